"""The notebook refuses to save a submission while SUBMITTER is still its placeholder.

The settings cell starts with ``SUBMITTER = "your-name"`` (``tinytorch.SUBMITTER_PLACEHOLDER``);
the cell that writes ``submission.json`` must say what to change and write nothing, before any
step's code runs. Run here without a kernel: the setup cell, the settings cell, that cell.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import matplotlib
import nbformat
import pytest

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.samples import with_settings
from tinytorch import SUBMITTER_PLACEHOLDER

NOTEBOOK = Path(__file__).resolve().parents[1] / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"


def _run_settings_and_submission_cells(nb: nbformat.NotebookNode, folder: Path) -> str:
    cells = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source for cell in nb.cells}
    settings = next(cell.source for cell in nb.cells if cell.cell_type == "code" and "SUBMITTER =" in cell.source)
    namespace: dict[str, object] = {"__name__": "__main__"}
    output = io.StringIO()
    matplotlib.use("Agg")
    previous = Path.cwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(output):
            for source in (cells["setup"], settings, cells["make_submission"]):
                exec(compile(source, "cell", "exec"), namespace)
    finally:
        os.chdir(previous)
    return output.getvalue()


def test_the_notebook_ships_the_placeholder_and_saves_nothing_under_it(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    printed = _run_settings_and_submission_cells(nb, tmp_path)
    assert f"SUBMITTER is still '{SUBMITTER_PLACEHOLDER}'" in printed and "Nothing was saved" in printed, printed
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ['"  YOUR-NAME "', '""'])
def test_any_spelling_of_the_placeholder_or_an_empty_name_is_refused(tmp_path, name):
    nb = with_settings(nbformat.read(NOTEBOOK, as_version=4), {"SUBMITTER": name})
    assert "Nothing was saved" in _run_settings_and_submission_cells(nb, tmp_path)
    assert list(tmp_path.iterdir()) == []
