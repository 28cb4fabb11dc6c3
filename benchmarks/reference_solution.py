"""Load the reference solution of the capstone notebook as a Python namespace.

The benchmarks measure the harness students build, using the instructor's reference code exactly
as the source notebook holds it: the setup cell and every solution cell are executed, in notebook
order, into a fresh namespace. Grade cells and the given demo cells are not run, except through
``run_submission_cells``, which runs the notebook's own submission cells in that namespace.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from types import SimpleNamespace

from nbformat import NotebookNode

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.notebook_source import notebook_from_script

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SCRIPT = ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py"
SUBMISSION_CELL = "make_submission"


def load_reference_solution(script: Path = SOURCE_SCRIPT) -> SimpleNamespace:
    """Execute the setup cell and the solution cells of ``script``; return their globals."""
    namespace: dict = {"__name__": "capstone_reference"}
    for cell in notebook_from_script(script).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("grade_id") == "setup" or meta.get("solution")):
            exec(compile(cell.source, f"<{meta.get('grade_id')}>", "exec"), namespace)
    return SimpleNamespace(**namespace)


def settings_cell(script: Path = SOURCE_SCRIPT) -> NotebookNode:
    """The code cell before ``make_submission`` where the student sets ``MY_RECIPE`` and ``SUBMITTER``."""
    cells = notebook_from_script(script).cells
    index = next(
        i for i, cell in enumerate(cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == SUBMISSION_CELL
    )
    return next(cell for cell in reversed(cells[:index]) if cell.cell_type == "code")


def run_submission_cells(
    reference: SimpleNamespace, folder: Path, script: Path = SOURCE_SCRIPT, submitter: str = "benchmark-run"
) -> dict:
    """Run the student's submission exactly as the notebook does: the settings cell before the
    ``make_submission`` cell, with ``SUBMITTER`` set to ``submitter`` as a student sets it (the
    notebook saves nothing under its placeholder), then that cell, in ``reference``'s namespace with
    ``folder`` as the working directory (it saves ``submission.json`` there) and its printing silenced.

    Returns the ``submission`` dict the cells built.
    """
    cells = notebook_from_script(script).cells
    index = next(
        i for i, cell in enumerate(cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == SUBMISSION_CELL
    )
    settings = settings_cell(script)
    namespace = vars(reference)
    previous = Path.cwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(settings.source, "<settings>", "exec"), namespace)
            namespace["SUBMITTER"] = submitter
            exec(compile(cells[index].source, f"<{SUBMISSION_CELL}>", "exec"), namespace)
    finally:
        os.chdir(previous)
    if "submission" not in namespace:
        raise RuntimeError("the notebook's submission cells did not build `submission`")
    return namespace["submission"]
