"""Re-execute the book's notebooks in place so their committed outputs are fresh.

    python -m ttpbook.build.notebooks [PATH ...]      (default: every notebook under chapters/)

The site shows the committed outputs and nbval checks them, so they must be reproducible: a
second run must leave the files byte for byte the same. Two things would change on every run
and are made stable here: the per-cell timing metadata (not recorded) and the random ids the
kernel gives widget models, which are renamed in order of first appearance. The numbers the
prose quotes between glue markers are rewritten from the fresh outputs (``ttpbook.glue``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ttpbook.glue import fill_markdown

ROOT = Path(__file__).resolve().parents[2]
MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TIMEOUT_S = 300


def notebooks(paths: list[str] | None = None) -> list[Path]:
    if paths:
        found = []
        for p in map(Path, paths):
            found += sorted(p.rglob("*.ipynb")) if p.is_dir() else [p]
    else:
        found = sorted((ROOT / "chapters").rglob("*.ipynb"))
    return [p for p in found if ".ipynb_checkpoints" not in p.parts]


def _widget_order(nb, state: dict) -> list[str]:
    """Model ids in a reproducible order: the views shown in the cells, in cell order, each
    followed depth-first by the models it refers to; then any others, by their content."""
    roots = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW, {})
            if view.get("model_id"):
                roots.append(view["model_id"])
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in order or model_id not in state:
            return
        order.append(model_id)
        refs = REFERENCE.findall(json.dumps(state[model_id].get("state", {}), sort_keys=True))
        for ref in refs:
            visit(ref)

    for root in roots:
        visit(root)
    rest = [m for m in state if m not in order]
    rest.sort(key=lambda m: MODEL_ID.sub("", json.dumps(state[m], sort_keys=True)))
    return order + rest


def stable_widget_ids(nb) -> None:
    """Rename each widget model id to a counter, in a reproducible order, everywhere."""
    meta = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    state = meta.get("state", {})
    if not state:
        return
    mapping = {old: f"{i + 1:032x}" for i, old in enumerate(_widget_order(nb, state))}

    def rename(m: re.Match) -> str:
        return mapping.get(m.group(0), m.group(0))

    meta["state"] = {mapping[old]: state[old] for old in mapping}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                data[WIDGET_VIEW]["model_id"] = rename(MODEL_ID.match(data[WIDGET_VIEW]["model_id"]))
    meta["state"] = json.loads(MODEL_ID.sub(rename, json.dumps(meta["state"])))


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    stable_widget_ids(nb)
    fill_markdown(nb, name=path.name)
    text = nbformat.writes(nb)
    path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")


def main(argv: list[str]) -> int:
    paths = notebooks(argv)
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    for path in paths:
        print(f"executing {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
