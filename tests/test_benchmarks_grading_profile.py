"""benchmarks/grading_profile.py: the floor is the graded notebook without its demonstration cells, and the
breakdown files each cell's seconds under its part (no grading here)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from benchmarks.grading_breakdown import Breakdown
from benchmarks.grading_profile import IN_PROCESS, breakdown_table, floor_notebook, slowest_grade_cells
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.lint import DEMONSTRATION_TAG

COURSE = Path(__file__).resolve().parents[1]


def test_the_floor_drops_exactly_the_demonstration_cells(tmp_path: Path):
    cells = [
        new_markdown_cell("# step"),
        new_code_cell("x = 1"),
        new_code_cell("plot(x)", metadata={"tags": [DEMONSTRATION_TAG]}),
        new_code_cell("assert x == 1", metadata={"tags": ["other"]}),
    ]
    nbformat.write(new_notebook(cells=cells), tmp_path / "graded.ipynb")
    floor = nbformat.read(floor_notebook(tmp_path / "graded.ipynb", tmp_path / "floor.ipynb"), as_version=4)
    assert [cell.source for cell in floor.cells] == ["# step", "x = 1", "assert x == 1"]


def test_the_floor_of_the_release_keeps_every_setup_solution_and_grade_cell(tmp_path: Path):
    release = COURSE / "release" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"

    def graded_ids(notebook: nbformat.NotebookNode) -> list[str]:
        return [
            c.metadata["nbgrader"]["grade_id"]
            for c in notebook.cells
            if any(c.metadata.get("nbgrader", {}).get(key) for key in ("grade", "solution"))
            or c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
        ]

    floor = nbformat.read(floor_notebook(release, tmp_path / "floor.ipynb"), as_version=4)
    original = nbformat.read(release, as_version=4)
    assert graded_ids(floor) == graded_ids(original) and len(graded_ids(floor)) > 40
    assert len(original.cells) - len(floor.cells) >= 10, "the demonstration cells are gone"


def test_the_breakdown_files_each_cell_under_its_part_and_shows_the_slowest_grade_cells():
    def nbgrader(**flags) -> dict:
        return {"nbgrader": {"grade_id": flags.pop("grade_id"), **flags}}

    run = Breakdown()
    run.add_cell(new_code_cell("import numpy", metadata=nbgrader(grade_id="setup", locked=True)), 2.0)
    run.add_cell(new_code_cell("def f(): ...", metadata=nbgrader(grade_id="f", solution=True)), 0.1)
    run.add_cell(new_code_cell("assert f() is None", metadata=nbgrader(grade_id="test_f", grade=True)), 0.5)
    run.add_cell(new_code_cell("assert f() is None", metadata=nbgrader(grade_id="test_f__more", grade=True)), 0.7)
    run.add_cell(new_code_cell("helper = 1"), 0.05)
    assert run.parts["setup cell"] == 2.0 and run.parts["solution cells"] == 0.1
    assert run.parts["grade cells"] == 1.2 and run.parts["other cells"] == 0.05
    assert list(slowest_grade_cells([run, run])) == ["test_f__more", "test_f"]
    run.total = 4.0
    table = breakdown_table({"floor": [run], IN_PROCESS: [run]}, profile_whole=[7.0], profile_job=[5.5])
    assert table["grade cells"] == {"floor": 1.2, IN_PROCESS: 1.2}
    assert table["nbgrader autograde around the execution"] == {"profile": 1.5}
    assert table["grade_submissions around the job"] == {"profile": 1.5}
