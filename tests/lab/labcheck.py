"""Drive JupyterLab the way a student does: offline, in Debian's Chromium, through Playwright.

Used by the JupyterLab tests on the book's notebooks and on the notebook packs. Every check
counts what a reader sees on the screen (rendered charts, visible text), not what the file holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# A chart counts as drawn when JupyterLab's own Vega renderer has put a canvas or SVG in it.
CHART = ".jp-RenderedVegaLite"
# The notebook in front (JupyterLab keeps the other open notebooks in hidden panels).
ACTIVE = ".jp-NotebookPanel:not(.lm-mod-hidden)"
LAB_OPTIONS = [
    "--no-browser",
    "--ServerApp.token=",
    "--ServerApp.password=",
    "--ServerApp.disable_check_xsrf=True",
    "--LabApp.expose_app_in_browser=True",
    "--LabApp.news_url=",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabServerApp.extension_manager=readonly",
]


# Draw every cell, not only those on screen, so a count covers the whole notebook; and no
# pop-up asking to fetch news from the internet.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(root_dir: Path, python: str = sys.executable, app: str = "lab", log: Path | None = None):
    """JupyterLab (``app="lab"``) or Notebook 7 (``app="notebook"``) serving ``root_dir`` on
    127.0.0.1, from the environment of ``python``; yields the base URL."""
    port = _free_port()
    settings = root_dir / ".jupyter-settings"
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root_dir / ".jupyter-config"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTER_RUNTIME_DIR": str(root_dir / ".jupyter-runtime"),
        "PYTHONUNBUFFERED": "1",
    }
    options = LAB_OPTIONS if app == "lab" else [o.replace("--LabApp.", "--JupyterNotebookApp.") for o in LAB_OPTIONS]
    cmd = [
        python,
        "-m",
        "jupyterlab" if app == "lab" else "notebook",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--ServerApp.root_dir={root_dir}",
        *options,
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")  # CI runs as root
    out = open(log or root_dir / ".jupyter.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "api/status", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Jupyter did not start; see {out.name}") from None
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()


@dataclass
class Seen:
    """What a reader saw of one notebook."""

    charts_drawn: int = 0
    chart_errors: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    raw_markup: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)


def block_offsite(context, offsite: list[str]) -> None:
    """Abort, and remember, every request that leaves 127.0.0.1."""

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "file://")):
            r.continue_()
        else:
            offsite.append(url)
            r.abort()

    context.route("**/*", route)


def saved_chart_count(nb_path: Path) -> int:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return sum(
        any(k.startswith("application/vnd.vegalite.") for k in out.get("data", {}))
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
    )


RAW_MARKUP = ("{glue", "<!--glue", "{term}", "{ref}", ":::{", "```{", ":label:", "{solution", "{exercise")


def look(page, expected: int | None = None, wait_s: float = 30) -> Seen:
    """Count the drawn charts and find error output and raw markup on the open notebook.

    With ``expected``, first give JupyterLab up to ``wait_s`` seconds to draw that many charts:
    its Vega renderer loads on first use, which takes longer on a busy machine."""
    seen = Seen()
    panel = page.locator(ACTIVE)
    if expected:
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if panel.locator(CHART).filter(has=page.locator("canvas, svg.marks")).count() >= expected:
                break
            scroll_through(page)
    seen.charts_drawn = panel.locator(CHART).filter(has=page.locator("canvas, svg.marks")).count()
    seen.chart_errors = [t for t in panel.locator(CHART).all_inner_texts() if "rror" in t]
    for text in panel.locator(".jp-OutputArea-output").all_inner_texts():
        if "Traceback" in text or "Error loading script" in text:
            seen.tracebacks.append(text[:300])
    for text in panel.locator(".jp-MarkdownOutput").all_inner_texts():
        for mark in RAW_MARKUP:
            if mark in text:
                i = text.index(mark)
                seen.raw_markup.append(text[max(0, i - 40) : i + 60].replace("\n", " "))
    return seen


def open_notebook(page, base: str, rel: str, app: str = "lab") -> None:
    # ?reset: a fresh workspace, not the tabs of the previous test.
    url = f"{base}lab/tree/{rel}?reset" if app == "lab" else f"{base}notebooks/{rel}"
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # Rendering is lazy: scroll through so every cell is drawn.
    scroll_through(page)


def scroll_through(page) -> None:
    page.evaluate("""async () => {
        const cells = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell');
        for (const c of cells) { c.scrollIntoView(); await new Promise(r => setTimeout(r, 40)); }
    }""")
    page.wait_for_timeout(1500)


def run_all(page, timeout_s: int = 600, server_log: Path | None = None) -> None:
    """Restart the kernel and run every cell, as a student does; wait for the last one (a generous
    limit: on a loaded 2-core machine chapter 6 has taken over 4 minutes; speed is measured in `make bench`).

    A run that stops early fails at once, naming the error a cell showed. A run that stalls with no
    error (the kernel idle, cells never run: a restart racing a kernel that was still starting) is
    asked again once, as a student would click Run All again; a second stall fails with the state."""
    state = """() => {
        const panel = window.jupyterapp.shell.currentWidget;
        const counts = panel.content.widgets.filter(c => c.model.type === 'code').map(c => c.model.executionCount);
        return {counts, status: panel.sessionContext.session?.kernel?.status};
    }"""
    # The kernel that a freshly opened notebook starts must be up before it is restarted.
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'",
        timeout=120_000,
    )
    deadline = time.monotonic() + timeout_s
    now: dict = {}
    for attempt in (1, 2):
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
        page.locator(".jp-Dialog button.jp-mod-accept").click(timeout=15_000)
        # Wait for the restart to clear the counts, then for every code cell to have run.
        started = False
        idle_since: float | None = None
        while time.monotonic() < deadline:
            now = page.evaluate(state)
            started = started or any(c is None for c in now["counts"]) or now["status"] == "busy"
            if started and now["status"] == "idle" and all(c is not None for c in now["counts"]):
                scroll_through(page)
                return
            idle_since = (idle_since or time.monotonic()) if now["status"] == "idle" else None
            if started and idle_since and time.monotonic() - idle_since > 45:
                if _cell_errors(page) or attempt == 2:
                    raise RuntimeError(f"Run All stopped before the last cell: {_run_state(page, now, server_log)}")
                print(f"Run All stalled with no error; asking again. {_run_state(page, now)}", file=sys.stderr)
                break
            page.wait_for_timeout(500)
        else:
            report = _run_state(page, now, server_log)
            raise TimeoutError(f"the notebook did not finish running in {timeout_s} s: {report}")


def _cell_errors(page) -> list[str]:
    """The errors the open notebook's code cells show, as "code cell N: Name: message"."""
    return page.evaluate("""() => {
        const panel = window.jupyterapp.shell.currentWidget;
        const out = [];
        panel.content.widgets.filter(c => c.model.type === 'code').forEach((c, i) => {
            for (let k = 0; k < c.model.outputs.length; k++) {
                const o = c.model.outputs.get(k).toJSON();
                if (o.output_type === 'error') out.push(`code cell ${i}: ${o.ename}: ${o.evalue}`);
            }
        });
        return out;
    }""")


def _run_state(page, now: dict, server_log: Path | None = None) -> str:
    """What a stuck run looks like: the kernel's status, which code cells never ran, any error shown,
    and the end of the Jupyter server's log."""
    counts = now.get("counts", [])
    waiting = [i for i, c in enumerate(counts) if c is None]
    tail = ""
    if server_log and server_log.exists():
        tail = "\nserver log (end):\n" + "\n".join(server_log.read_text(errors="replace").splitlines()[-15:])
    return (
        f"kernel {now.get('status')!r}; {len(waiting)} of {len(counts)} code cells without a count "
        f"(first: {waiting[:5]}); errors: {_cell_errors(page) or 'none'}{tail}"
    )


def set_theme(page, theme: str) -> None:
    """Switch JupyterLab's theme ("JupyterLab Light" or "JupyterLab Dark") and wait for it."""
    page.evaluate("t => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
    light = "true" if theme.endswith("Light") else "false"
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'", timeout=30_000)
    page.wait_for_timeout(1000)


def faint_text(page, selector: str, minimum: float = 4.5) -> list[str]:
    """Text inside ``selector`` whose colour has less than ``minimum``:1 contrast on the background
    it is drawn on (the nearest ancestor with an opaque background), as "text: ratio"."""
    return page.evaluate(
        """([selector, minimum]) => {
        const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => {
            const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const background = el => {
            for (let e = el; e; e = e.parentElement) {
                const c = rgb(getComputedStyle(e).backgroundColor);
                if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) return c;
            }
            return [255, 255, 255];
        };
        const out = [];
        for (const root of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const el = n.parentElement;
                if (!n.textContent.trim() || el.closest('svg') || !el.getClientRects().length) continue;
                const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
                const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                if (ratio < minimum) out.push(`${n.textContent.trim().slice(0, 40)}: ${ratio.toFixed(1)}`);
            }
        }
        return out;
    }""",
        [selector, minimum],
    )
