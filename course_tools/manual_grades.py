"""Points for manually graded answers (the reflection), through nbgrader's gradebook API.

Instructors grade in Formgrader (*Manual Grading*); this does the same write for scripts and
tests: the grade's ``manual_score`` is set and it no longer needs grading, exactly as
Formgrader's API does. Afterwards ``python -m course_tools feedback`` and ``export`` carry the
points into the feedback HTML and ``grades.csv``.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.api import MissingEntry

from course_tools.course import CourseError, open_gradebook
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID


def record_manual_grade(
    root: Path, student: str, cell: str, points: float, assignment: str = ASSIGNMENT_ID, notebook: str = NOTEBOOK_ID
) -> None:
    """Give ``student`` ``points`` for the manually graded ``cell`` of their autograded notebook.

    Raises `CourseError` when the submission was not autograded or ``points`` is outside
    ``0..max_score`` of the cell.
    """
    with open_gradebook(root) as gradebook:
        try:
            grade = gradebook.find_grade(cell, notebook, assignment, student)
        except MissingEntry as missing:
            raise CourseError(f"no autograded {cell!r} of {student} in {assignment}: {missing}") from missing
        maximum = grade.max_score
        if not 0 <= points <= maximum:
            raise CourseError(f"{points:g} points for {cell!r}: must be between 0 and {maximum:g}")
        grade.manual_score = points
        grade.needs_manual_grade = False
        gradebook.db.commit()
