# One obvious entry point per job. `make book` and `make test` set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
STAMP_PY := $(VENV)/.requirements-installed
STAMP_JS := node_modules/.package-lock-installed
CHROMIUM ?= /usr/bin/chromium
BUILD_FLAGS := -W -n --keep-going
PORT ?= 8000
STUDENT_PORT ?= 8001
# Launch buttons: `make book REPOSITORY=https://github.com/OWNER/NAME [BRANCH=main]
# [JUPYTERHUB=https://hub.example.edu]`. Without REPOSITORY (or the environment variable
# TTPBOOK_REPOSITORY) the site has none. ttpbook/build/sphinx_packs.py reads these variables.
ifdef REPOSITORY
export TTPBOOK_REPOSITORY := $(REPOSITORY)
endif
ifdef BRANCH
export TTPBOOK_BRANCH := $(BRANCH)
endif
ifdef JUPYTERHUB
export TTPBOOK_JUPYTERHUB := $(JUPYTERHUB)
endif

.PHONY: help env book student pdf packs lab test test-fast execute serve serve-student bench chromium clean

help:
	@echo "make book     set up the environment and build the site into _build/html"
	@echo "make student  build the student edition (no solutions, no instructor guide) into _build/student/html,"
	@echo "              with the student notebook pack in its packs/"
	@echo "make pdf      the book and each chapter as PDF (full and student editions), into each site's pdf/"
	@echo "make packs    the runnable notebook packs (teacher and student zips) into _build/packs"
	@echo "make test     the whole suite: unit tests, nbval on every notebook, browser tests"
	@echo "make lab      open the book's notebooks in JupyterLab (offline, from .venv)"
	@echo "make execute  re-run every notebook in place so committed outputs are fresh"
	@echo "make serve    serve _build/html on http://127.0.0.1:$(PORT)/ (gzip, as a real host)"
	@echo "make serve-student  serve _build/student/html on http://127.0.0.1:$(STUDENT_PORT)/ the same way"
	@echo "make bench    measure set-up, build and test times, page weights and Lighthouse scores"

$(STAMP_PY): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(STAMP_JS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to install the widget runtime"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

env: $(STAMP_PY) $(STAMP_JS)

book: env
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)

# The same book with every exercise's solution removed and the pages listed under
# `student_edition: leave_out:` in _config.yml (the instructor guide) left out
# (ttpbook/build/editions.py). The site's packs/ttp-book-notebooks-student.zip is the student
# notebook pack, without solutions (ttpbook/build/sphinx_packs.py writes it).
student: env
	$(BIN)/python -m ttpbook.build.editions student

# The PDF edition, printed from each built site by Debian's Chromium (ttpbook/build/pdf.py):
# pdf/ttp-book.pdf, one PDF per chapter and the appendices; the student site's have no solutions.
pdf: book student chromium
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m ttpbook.build.pdf _build/html
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m ttpbook.build.pdf _build/student/html --edition student

# The notebooks, data and helper package as zips that run outside a clone (ttpbook/build/packs.py).
packs: env
	$(BIN)/python -m ttpbook.build.packs _build/packs

# JupyterLab on the chapters, from the project's environment (charts and explorers work offline).
lab: env
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR)/chapters --ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root,)

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Chromium at $(CHROMIUM). Install it (Debian: sudo apt-get install chromium)"; \
	  echo "or point CHROMIUM=/path/to/chromium at one."; exit 1; \
	fi

test: book student pdf chromium
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests chapters --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

# Everything but the browser: quicker while writing.
test-fast: book student
	$(BIN)/python -m pytest tests chapters --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -m "not browser"

execute: env
	$(BIN)/python -m ttpbook.build.notebooks

serve:
	@test -d _build/html || { echo "no site yet: run make book"; exit 1; }
	$(BIN)/python tools/gzip_server.py _build/html $(PORT)

# The student edition, served the same way on its own port (STUDENT_PORT=... to change it).
serve-student:
	@test -d _build/student/html || { echo "no student edition yet: run make student"; exit 1; }
	$(BIN)/python tools/gzip_server.py _build/student/html $(STUDENT_PORT)

# BENCH_ARGS=--skip-tests leaves out the nbval and test-suite timings (see tools/bench.py).
bench: chromium
	$(PYTHON) tools/bench.py $(BENCH_ARGS)

clean:
	rm -rf _build
