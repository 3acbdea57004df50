"""Run the marked code blocks of a how-to, in order, on a copy of the repository.

The instructor guide's worked example (tests/test_instructor_guide.py) and CONTRIBUTING.md's
"How to add a dataset" (tests/test_add_dataset.py) are tested by doing what they say. Every
code block in such a text carries a marker on the line just above its opening fence, a MyST
comment (``% guide: ...``, hidden in the book) or an HTML comment (``<!-- guide: ... -->``,
hidden on GitHub):

    illustrative                  shown to the reader, not run
    run-python                    run with the project's Python, in the copy's root folder
    run-shell                     run with bash, in the copy's root folder
    write PATH                    written as the whole of file PATH
    append-to PATH                added at the end of file PATH
    replace NAME in PATH          replaces the top-level function, class or assignment NAME in
                                  the Python file PATH
    student-edition (...)         ``make student``: too slow for a test, so the test that owns
                                  the text does something cheaper and says what

A code block with no marker, or with a marker this module does not know, is an error, so a
new block cannot silently escape the test. Directives written with backtick fences
(```` ```{exercise} ````) are not code blocks; ```` ```{code-block} ```` is.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^\s*(?:%\s*guide:\s*(?P<a>.+?)|<!--\s*guide:\s*(?P<b>.+?)\s*-->)\s*$")
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
ACTIONS = ("illustrative", "run-python", "run-shell", "write", "append-to", "replace", "student-edition")
CODE_DIRECTIVES = ("{code-block}", "{code}", "{code-cell}", "{sourcecode}")
SKIP = {".git", ".venv", "node_modules", "_build"}


class StepFailed(AssertionError):
    """A marked block of the how-to did not do what the text says."""


@dataclass
class Block:
    line: int  # 1-based line of the opening fence
    info: str  # the fence's info string: "python", "bash", "````md" ...
    body: str
    action: str | None  # None: not marked
    args: str = ""

    def __str__(self) -> str:
        return f"code block at line {self.line} ({self.info or 'no language'}; {self.action or 'UNMARKED'} {self.args})"


def code_blocks(text: str) -> list[Block]:
    """Every top-level code block of a Markdown text, with its marker (``action`` None if unmarked)."""
    lines = text.splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info = m["fence"], m["info"].strip()
        close = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        is_directive = info.startswith("{") and not info.startswith(CODE_DIRECTIVES)
        if not is_directive:
            marker = MARKER.match(lines[i - 1]) if i > 0 else None
            action, args = None, ""
            if marker:
                words = (marker["a"] or marker["b"]).split(None, 1)
                action, args = words[0], (words[1] if len(words) > 1 else "")
            body = "\n".join(lines[i + 1 : j])
            if info.startswith(CODE_DIRECTIVES):  # drop the directive's :option: lines
                body = re.sub(r"\A(?::[\w-]+:.*\n)*", "", body + "\n").rstrip("\n")
            blocks.append(Block(i + 1, info, body + "\n", action, args))
        i = j + 1
    return blocks


def problems(blocks: list[Block]) -> list[str]:
    """Blocks that are neither run nor marked illustrative, or carry a marker nobody runs."""
    out = []
    for b in blocks:
        if b.action is None:
            out.append(f"{b}: mark it with '% guide: illustrative' or with the step it performs")
        elif b.action not in ACTIONS:
            out.append(f"{b}: unknown marker '{b.action}' (known: {', '.join(ACTIONS)})")
    return out


def copy_repository(dest: Path, root: Path = ROOT) -> Path:
    """The repository's files (tracked and new, not ignored) copied to ``dest``, with the project's
    .venv and node_modules linked rather than copied."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        src = root / name
        if set(Path(name).parts) & SKIP or not src.is_file():
            continue  # a deleted file, or a link to a shared folder
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / name)
    for shared in (".venv", "node_modules"):
        if (root / shared).exists():
            (dest / shared).symlink_to((root / shared).resolve())
    return dest


def environment(copy: Path) -> dict:
    """Run in the copy: its ``ttpbook`` (not the one the project's .venv was installed from)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(copy)
    env["PATH"] = f"{copy / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTEST_ADDOPTS", None)
    return env


def run(command: list[str], copy: Path, what: str, stdin: str | None = None, timeout: int = 300) -> str:
    done = subprocess.run(
        command, cwd=copy, env=environment(copy), input=stdin, text=True, capture_output=True, timeout=timeout
    )
    if done.returncode != 0:
        raise StepFailed(f"{what} failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def _defines(node: ast.stmt, name: str) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def replace_top_level(source: str, name: str, new: str) -> str:
    """``source`` with the top-level function, class or assignment ``name`` (and any decorators)
    replaced by ``new``."""
    tree = ast.parse(source)
    found = [n for n in tree.body if _defines(n, name)]
    if len(found) != 1:
        raise StepFailed(f"no single top-level definition of '{name}' to replace ({len(found)} found)")
    node = found[0]
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
    lines = source.splitlines(keepends=True)
    return "".join(lines[:first]) + new.rstrip("\n") + "\n" + "".join(lines[node.end_lineno :])


def perform(block: Block, copy: Path, source: str = "the how-to") -> str:
    """Do what one marked block says, in the copy. Returns any output; raises StepFailed."""
    what = f"{source}, {block}"
    if block.action == "run-python":
        return run([str(copy / ".venv" / "bin" / "python"), "-"], copy, what, stdin=block.body)
    if block.action == "run-shell":
        return run(["bash", "-euo", "pipefail", "-c", block.body], copy, what, timeout=600)
    if block.action in ("write", "append-to", "replace"):
        if block.action == "replace":
            name, _, path = block.args.partition(" in ")
            target = copy / path.strip()
        else:
            target = copy / block.args.strip()
        if not target.resolve().is_relative_to(copy.resolve()):
            raise StepFailed(f"{what}: {target} is outside the repository")
        if block.action == "write":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif not target.exists():
            raise StepFailed(f"{what}: {block.args} does not exist")
        elif block.action == "append-to":
            old = target.read_text(encoding="utf-8")
            target.write_text(old + ("" if old.endswith("\n") else "\n") + block.body, encoding="utf-8")
        else:
            target.write_text(
                replace_top_level(target.read_text(encoding="utf-8"), name.strip(), block.body), encoding="utf-8"
            )
        return ""
    raise StepFailed(f"{what}: perform() does not run '{block.action}' blocks")
