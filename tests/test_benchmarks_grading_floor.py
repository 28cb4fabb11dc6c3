"""benchmarks/grading_floor.py: the plain nbclient floor and the submissions it grades (no grading here)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from benchmarks.grading_floor import _write_references, plain_nbclient_seconds
from course_tools.course import copy_course
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.samples import SubmissionBuilder

COURSE = Path(__file__).resolve().parents[1]


def test_the_floor_runs_every_cell_in_the_notebooks_folder(tmp_path: Path):
    stale = new_code_cell(
        "import os\nopen('ran.txt', 'a').write(os.getcwd() + '\\n')",
        outputs=[new_output("stream", name="stdout", text="stale\n")],
    )
    nbformat.write(
        new_notebook(cells=[stale, new_code_cell("open('ran.txt', 'a').write('second\\n')")]), tmp_path / "graded.ipynb"
    )
    seconds = plain_nbclient_seconds(tmp_path / "graded.ipynb")
    assert seconds > 0
    assert (tmp_path / "ran.txt").read_text().splitlines() == [str(tmp_path), "second"]


def test_throughput_runs_grade_reference_solutions(tmp_path: Path):
    course = copy_course(COURSE, tmp_path / "course")
    students = _write_references(course, 3)
    builder = SubmissionBuilder(course)
    assert students == ["student-00", "student-01", "student-02"]
    for student in students:
        notebook = nbformat.read(course / "submitted" / student / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb", as_version=4)
        solutions = {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("solution")
        }
        assert solutions == builder.reference
