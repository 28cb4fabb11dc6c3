"""benchmarks/grading.py: the submissions both grading comparisons grade (no grading here)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from benchmarks.grading import CRASHING_STEP, SEGFAULT, UNDONE_STEPS, write_submissions
from course_tools.course import copy_course
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.samples import SubmissionBuilder

COURSE = Path(__file__).resolve().parents[1]


def solution_cells(course: Path, student: str) -> dict[str, str]:
    nb = nbformat.read(course / "submitted" / student / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def test_submissions_mix_the_reference_undone_steps_and_crashes(tmp_path):
    course = copy_course(COURSE, tmp_path / "course")
    builder = SubmissionBuilder(course)
    students = write_submissions(course, 4, crashes=True)
    assert students == ["student-00", "student-01", "student-02", "student-03"]
    cells = {student: solution_cells(course, student) for student in students}

    assert cells["student-00"] == builder.reference
    undone = {step for step, source in cells["student-01"].items() if source == builder.stubs[step]}
    assert undone == set(UNDONE_STEPS[1])
    crashed = {step for step, source in cells["student-02"].items() if source != builder.reference[step]}
    assert crashed == {CRASHING_STEP} and cells["student-02"][CRASHING_STEP].startswith(SEGFAULT)
    undone = {step for step, source in cells["student-03"].items() if source == builder.stubs[step]}
    assert undone == set(UNDONE_STEPS[3 % len(UNDONE_STEPS)])


def test_without_crashes_no_submission_segfaults(tmp_path):
    course = copy_course(COURSE, tmp_path / "course")
    for student in write_submissions(course, 3, crashes=False):
        assert not any(SEGFAULT in source for source in solution_cells(course, student).values())
