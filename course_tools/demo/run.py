"""The instructor demo: the whole course workflow, through nbgrader's exchange, on sample students.

``python -m course_tools demo [--into DIR]`` (``make demo``) works in a scratch folder (default
``build/demo/`` in the course; emptied first) and never writes into the course itself:

- ``DIR/course/``: a copy of the course (config, source, release) with its own gradebook,
  ``submitted/``, ``autograded/``, ``feedback/``, ``grades.csv``, ``exchange/`` and
  ``leaderboard/`` (the students' claims re-measured and ranked);
- ``DIR/students/<id>/``: each sample student's own folder (their notebook server's root).

Stages, each one nbgrader's own command (see `course_tools.exchange`) or ours:

1. register the assignment from the source; ``nbgrader release_assignment`` to the exchange;
2. each student (`course_tools.demo.students`) ``fetch_assignment``, edits the notebook, runs it
   (which writes ``submission.json`` and ``model.npz`` beside it, what the grader takes from the
   submission), ``submit``: ``demo-reference``, ``demo-untouched``, ``demo-partial`` (wrong steps
   and one left undone) and ``demo-doctored`` (who claims more speedup than they measured);
3. ``nbgrader collect`` into ``submitted/``; our hardened ``grade`` (isolated, parallel);
4. the reflection of ``demo-reference`` graded by hand (`REFLECTION_POINTS`, as in Formgrader),
   then feedback HTML and ``grades.csv`` regenerated;
5. ``release_feedback``; each student ``fetch_feedback``;
6. the points of every step (summed over its grade cells); the ``submission.json`` files
   validated, every claim re-measured from its ``model.npz`` (``reproduce``: ``demo-doctored``
   is *not reproduced*) and ranked (`course_tools.demo.submissions`).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_tools.course import copy_course, nbgrader_config, open_gradebook
from course_tools.demo.students import (
    DEMO_STUDENTS,
    DOCTORED,
    DOCTORED_FACTOR,
    PARTIAL,
    PARTIAL_VARIANTS,
    REFERENCE,
    REFLECTION_POINTS,
    demo_notebooks,
)
from course_tools.demo.submissions import check_demo_submissions
from course_tools.exchange import Instructor, Student
from course_tools.export import AWAITING_GRADING, StepGradesCsvExportPlugin, export_grades, points_text
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID, step_of_grade_cell
from course_tools.feedback import generate_feedback
from course_tools.manual_grades import record_manual_grade
from course_tools.pipeline import grade_course
from course_tools.release import register_assignment


def run_as_student(folder: Path) -> None:
    """Run the notebook in ``folder`` top to bottom in a fresh kernel, as the student's Run All does:
    it writes ``submission.json`` and ``model.npz`` there, which ``submit`` then carries."""
    notebook = nbformat.read(folder / f"{NOTEBOOK_ID}.ipynb", as_version=4)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=600, allow_errors=True, resources={"metadata": {"path": str(folder)}}
    )
    client.execute()


def points_table(root: Path, students: Sequence[str], assignment: str = ASSIGNMENT_ID) -> str:
    """A text table: one row per graded step (notebook order), one column per student, ``got/max``.

    A step's points are the sum over its grade cells (partial credit); an answer nobody graded
    yet shows as awaiting grading.
    """
    config = nbgrader_config(root)
    with open_gradebook(root, config) as gradebook:
        plugin = StepGradesCsvExportPlugin(config=config, assignment=[assignment], student=list(students))
        header, rows = plugin.rows(gradebook)
        notebook = gradebook.find_notebook(NOTEBOOK_ID, assignment)
        maximum = {cell.name: cell.max_score for cell in notebook.grade_cells}
        manual = {cell.name for cell in notebook.grade_cells if cell.cell_type == "markdown"}
    by_student = {row["student_id"]: row for row in rows}
    steps: dict[str, list[str]] = {}
    for column in header:
        if column in maximum:
            steps.setdefault(step_of_grade_cell(column), []).append(column)

    def points(student: str, cells: list[str]) -> str:
        row = by_student.get(student, {})
        values = [row.get(cell) or "-" for cell in cells]
        if AWAITING_GRADING in values:
            return AWAITING_GRADING.replace(" ", "-")
        if "-" in values:
            return "-"
        return points_text(sum(float(value) for value in values))

    def cell(student: str, column: str) -> str:
        return by_student.get(student, {}).get(column) or "-"

    body = [
        [
            step + (" (manual)" if cells[0] in manual else ""),
            *(f"{points(s, cells)}/{sum(maximum[c] for c in cells):g}" for s in students),
        ]
        for step, cells in steps.items()
    ]
    total = ["automatic total", *(f"{cell(s, 'code_score')}/{cell(s, 'max_code_score')}" for s in students)]
    head = ["step", *students]
    widths = [max(len(row[i]) for row in [head, *body, total]) for i in range(len(head))]

    def line(row: list[str]) -> str:
        return "  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(head), rule, *map(line, body), rule, line(total)])


class _Stages:
    """Numbered stage headers, each followed by its duration once the next one starts."""

    def __init__(self, echo: Callable[[str], None], total: int) -> None:
        self.echo, self.total, self.number = echo, total, 0
        self.started: float | None = None

    def next(self, title: str) -> None:
        self.finish()
        self.number += 1
        self.started = time.monotonic()
        self.echo(f"== {self.number}/{self.total} {title}")

    def finish(self) -> None:
        if self.started is not None:
            self.echo(f"   ({time.monotonic() - self.started:.1f} s)")
            self.started = None


def run_demo(root: Path, into: Path | None = None, jobs: int | None = 2, echo: Callable[[str], None] = print) -> int:
    """Run the demo (module docstring) for the course at ``root`` in ``into`` (default
    ``root/build/demo``); 1 when grading failed, else 0."""
    into = (root / "build" / "demo") if into is None else into
    if into.exists():
        shutil.rmtree(into)
    course = copy_course(root, into / "course")
    echo(f"demo: scratch course {course}, students' folders {into / 'students'}")
    stages = _Stages(echo, 6)

    stages.next("register the assignment, `nbgrader release_assignment` to the exchange")
    with tempfile.TemporaryDirectory(prefix="demo-register-") as workdir:
        _, differences = register_assignment(course, Path(workdir))
    for difference in differences:
        echo(f"  release/ is NOT what the source generates (run `make release`): {difference}")
    instructor = Instructor(course)
    instructor.release()
    echo(f"  exchange: {instructor.exchange}")

    stages.next("students: `nbgrader fetch_assignment`, edit, `nbgrader submit`")
    course_id = nbgrader_config(course).CourseDirectory.course_id
    students = {s: Student(s, into / "students" / s, course_id, instructor.exchange) for s in DEMO_STUDENTS}
    notebooks = demo_notebooks(root, course / "release" / ASSIGNMENT_ID)
    for student_id, student in students.items():
        folder = student.fetch()
        nbformat.write(notebooks[student_id], folder / f"{NOTEBOOK_ID}.ipynb")
        run_as_student(folder)
        student.submit()
        echo(f"  {student_id}: fetched and submitted {folder.relative_to(into)}")
    for step, name in PARTIAL_VARIANTS.items():
        echo(f"  {PARTIAL} / {step}: {name or 'left unfinished (the release stub)'}")
    echo(f"  {DOCTORED}: a last cell of their own rewrites submission.json to claim {DOCTORED_FACTOR:g}x their speedup")

    stages.next(
        f"`nbgrader collect`, then `python -m course_tools grade` (jobs={jobs}): n/N student score/max seconds status"
    )
    instructor.collect()
    run = grade_course(course, jobs=jobs, students=DEMO_STUDENTS, echo=echo, register=False)

    stages.next(
        f"manual grading: {REFERENCE}'s reflection gets {REFLECTION_POINTS:g} points; feedback and grades.csv again"
    )
    record_manual_grade(course, REFERENCE, "reflection", REFLECTION_POINTS)
    feedback = generate_feedback(course, students=list(DEMO_STUDENTS))
    grades = export_grades(course)

    stages.next("`nbgrader release_feedback`; students `nbgrader fetch_feedback`")
    instructor.release_feedback()
    for student_id, student in students.items():
        for path in student.fetch_feedback():
            echo(f"  {student_id}: {path.relative_to(into)}")

    stages.next("points per step; submission.json files: validate, re-measure (`reproduce`), leaderboard")
    echo(points_table(course, DEMO_STUDENTS))
    pool = check_demo_submissions(course, DEMO_STUDENTS, echo)
    stages.finish()
    echo(f"feedback HTML: {', '.join(str(path.relative_to(into)) for path in feedback)}")
    echo(f"grades: {grades.relative_to(into)}")
    if pool is not None:
        echo(f"claims re-measured and ranked: {pool.relative_to(into)}/ (reproduced.json, leaderboard.md, .png)")
    return 1 if run.failed else 0
