"""Helpers for the notebooks of the TTP data book.

The notebooks stay thin; the logic lives here, each module unit-tested under ``tests/``:

* ``data``: one validated loader per dataset in ``data/`` (``load_incidents()`` ...);
* ``charts``: the chart theme, ``finish()`` (title, source line, description) and builders;
* ``negotiations``, ``incidents``, ``trends``: the analyses of chapters 2 and 4, 3 and 5, and 6;
* ``reference``: the appendices' tables, generated from the data package;
* ``widgets``: ipywidgets explorers for readers with a kernel;
* ``checks``: one module per chapter, checking the coding exercises;
* ``build``: the tooling that makes the book and that no notebook imports: ``make execute``,
  ``make student``, the Sphinx extensions (offline runtimes, packs, PDF links), the notebook
  packs, the PDF and the notebooks' bootstrap cell; none of it goes into the packs.
"""

__version__ = "0.1.0"
