"""The source notebook's two faces: the reviewable jupytext script and the .ipynb nbgrader reads.

The percent script ``source/<assignment>/<name>.py`` is what instructors edit and review; the
``.ipynb`` beside it is generated from it. Generation is deterministic: jupytext would give every
cell a random id, so ids are derived from the nbgrader grade id (or the cell's position).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat


def notebook_from_script(script: Path) -> nbformat.NotebookNode:
    """Read a jupytext percent script into a notebook with stable cell ids and no outputs."""
    notebook = jupytext.read(script, fmt="py:percent")
    for index, cell in enumerate(notebook.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell["id"] = grade_id if grade_id else f"cell-{index:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(notebook)
    return notebook


def render_notebook(notebook: nbformat.NotebookNode) -> str:
    """The exact text written for a notebook (nbformat's own layout, trailing newline)."""
    return nbformat.writes(notebook) + "\n"


def paired_notebook_path(script: Path) -> Path:
    return script.with_suffix(".ipynb")


def is_in_sync(script: Path) -> bool:
    """True when the .ipynb beside ``script`` is exactly what the script generates."""
    target = paired_notebook_path(script)
    return target.exists() and target.read_text(encoding="utf-8") == render_notebook(notebook_from_script(script))


def write_notebook(script: Path) -> Path:
    target = paired_notebook_path(script)
    target.write_text(render_notebook(notebook_from_script(script)), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate (or check) source notebooks from their jupytext scripts.")
    parser.add_argument("scripts", nargs="*", type=Path, help="percent scripts (default: source/*/*.py)")
    parser.add_argument("--check", action="store_true", help="fail if a notebook differs instead of writing it")
    args = parser.parse_args(argv)
    scripts = args.scripts or sorted(Path("source").glob("*/*.py"))
    if not scripts:
        print("no source scripts found under source/*/", file=sys.stderr)
        return 1
    stale = []
    for script in scripts:
        if args.check:
            if not is_in_sync(script):
                stale.append(script)
        else:
            print(f"wrote {write_notebook(script)}")
    for script in stale:
        print(f"{paired_notebook_path(script)} is not what {script} generates: run `make sync`", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
