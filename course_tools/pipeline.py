"""The instructor pipeline after the release: register, autograde, feedback, grades.csv.

`grade_course` is what ``python -m course_tools grade`` and the demo run:

1. the gradebook learns the assignment from the current source (``release/`` untouched; a
   warning when the committed release is not what the source generates);
2. every submission in ``submitted/`` is autograded by `course_tools.grading.grade_submissions`
   (isolated, parallel), one progress line per submission as it finishes;
3. nbgrader's ``generate_feedback`` writes ``feedback/<student>/<assignment>/*.html`` with the
   hidden tests stripped (see `course_tools.feedback`);
4. ``grades.csv`` is exported from the gradebook (see `course_tools.export`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from course_tools.course import CourseError
from course_tools.export import export_grades
from course_tools.facts import ASSIGNMENT_ID
from course_tools.feedback import generate_feedback
from course_tools.grading import GradeOutcome, GradingRefused, grade_submissions
from course_tools.grading.orchestrator.config import load_course_settings
from course_tools.grading.orchestrator.orchestrate import discover_students
from course_tools.release import register_assignment

# Statuses that mean the grader itself failed (not the student's code): the command exits 1.
GRADER_FAILURES = frozenset({"grader-error"})


@dataclass
class GradingRun:
    """What one `grade_course` call did."""

    outcomes: list[GradeOutcome] = field(default_factory=list)
    feedback_files: list[Path] = field(default_factory=list)
    grades_csv: Path | None = None
    release_differences: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when the grader failed on some submission (see `GRADER_FAILURES`)."""
        return any(outcome.status in GRADER_FAILURES for outcome in self.outcomes)


def progress_line(done: int, total: int, outcome: GradeOutcome) -> str:
    """``n/N student score/max seconds status``, e.g. ``3/12 ada 35/43 6.2s graded``."""
    return (
        f"{done}/{total} {outcome.student} {outcome.score:g}/{outcome.max_score:g} "
        f"{outcome.seconds:.1f}s {outcome.status}"
    )


def grade_course(
    root: Path,
    assignment: str = ASSIGNMENT_ID,
    *,
    jobs: int | None = None,
    students: Sequence[str] | None = None,
    echo: Callable[[str], None] = print,
    register: bool = True,
    unsafe_no_isolation: bool = False,
    scheduler: str | None = None,
    force: bool = False,
) -> GradingRun:
    """Run the whole pipeline (module docstring) on ``students`` (default: all in submitted/).

    ``jobs``: submissions graded at once (default: the course's ``c.GradeSubmissions.jobs``, else
    one per CPU core). ``echo`` receives every line meant for the instructor. ``register``
    False skips step 1, for a caller that has just registered the assignment itself.
    ``unsafe_no_isolation`` grades even without kernel isolation (see course_tools/grading).
    ``scheduler``: a Dask scheduler address to grade on (default ``c.GradeSubmissions.scheduler``).
    ``force``: grade every submission again; by default a rerun keeps the results of submissions
    an earlier run graded that have not changed since, and says how many it kept.
    """
    run = GradingRun()
    if register:
        with tempfile.TemporaryDirectory(prefix="register-") as workdir:
            _, run.release_differences = register_assignment(root, Path(workdir), assignment)
    if run.release_differences:
        echo("warning: release/ is not what the source generates now (students may hold another notebook):")
        for difference in run.release_differences:
            echo(f"  {difference}")

    chosen = list(students) if students is not None else discover_students(load_course_settings(root), assignment)
    if not chosen:
        echo(f"no submissions: submitted/<student>/{assignment}/ is empty")
    else:
        finished = kept = 0

        def report(outcome: GradeOutcome) -> None:
            nonlocal finished, kept
            finished += 1
            if outcome.kept:
                kept += 1
                return
            if kept and finished == kept + 1:
                echo(f"skipped {kept}: graded by an earlier run and unchanged since (--force grades them again)")
            echo(progress_line(finished, len(chosen), outcome))
            if outcome.status != "graded":
                echo(f"    {outcome.message}")

        try:
            run.outcomes = grade_submissions(
                root,
                assignment,
                jobs=jobs,
                students=chosen,
                progress=report,
                unsafe_no_isolation=unsafe_no_isolation,
                scheduler=scheduler,
                keep_unchanged=not force,
            )
        except (ValueError, GradingRefused) as error:  # documented: a requested student or the assignment is missing
            raise CourseError(str(error)) from error
        if kept == len(chosen):
            echo(f"skipped {kept}: graded by an earlier run and unchanged since (--force grades them again)")

    graded = [s for s in chosen if any((root / "autograded" / s / assignment).glob("*.ipynb"))]
    if graded:
        run.feedback_files = generate_feedback(root, assignment, graded)
    run.grades_csv = export_grades(root, assignment=assignment)
    echo(f"feedback: {len(run.feedback_files)} HTML files under {root / 'feedback'}")
    echo(f"grades: {run.grades_csv}")
    return run
