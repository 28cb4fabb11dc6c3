"""The few gradebook operations the orchestrator does itself (everything else is nbgrader's)."""

from __future__ import annotations

import warnings

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from .config import CourseSettings


def assignment_notebooks(settings: CourseSettings, assignment: str) -> list[str]:
    """Names (without ``.ipynb``) of the assignment's notebooks in the gradebook.

    Raises ValueError when the assignment is not in the gradebook (it was never generated).
    """
    with Gradebook(settings.db_url, settings.course_id) as gradebook:
        try:
            found = gradebook.find_assignment(assignment)
        except MissingEntry:
            raise ValueError(
                f"assignment {assignment!r} is not in the gradebook {settings.db_url}: "
                "run `nbgrader generate_assignment` for it first"
            ) from None
        return [notebook.name for notebook in found.notebooks]


def record_zero(settings: CourseSettings, assignment: str, student: str, notebooks: list[str]) -> None:
    """Create the submission if needed and give every auto-graded cell of ``notebooks`` 0 points.

    Used when a notebook cannot be graded at all (unreadable file, run stopped at the wall-clock
    limit), so that the gradebook and grades.csv show the submission with an honest 0 rather
    than leave it out or keep a stale score.
    """
    with Gradebook(settings.db_url, settings.course_id) as gradebook, warnings.catch_warnings():
        # nbgrader's own submission creation trips SQLAlchemy 2's autoflush warnings; harmless.
        warnings.simplefilter("ignore", SAWarning)
        gradebook.update_or_create_student(student)
        gradebook.update_or_create_submission(assignment, student)
        for name in notebooks:
            submitted = gradebook.find_submission_notebook(name, assignment, student)
            for grade in submitted.grades:
                grade.auto_score = 0.0
                grade.needs_manual_grade = False
        gradebook.db.commit()


def read_score(settings: CourseSettings, assignment: str, student: str) -> tuple[float, float]:
    """(score, max_score) of the student's submission in points; (0, max) when it has none."""
    with Gradebook(settings.db_url, settings.course_id) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return 0.0, float(gradebook.find_assignment(assignment).max_score)
        return float(submission.score or 0.0), float(submission.max_score or 0.0)
