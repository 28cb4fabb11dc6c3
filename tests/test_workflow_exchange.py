"""The course workflow with nbgrader's own commands: exchange, LMS zip, manual grading.

One temporary course and a temporary exchange. The same three notebooks (reference, untouched,
partial: `course_tools.demo.students.demo_notebooks`) reach ``submitted/`` three ways -- written there
directly, through the exchange (``release_assignment`` -> ``fetch_assignment`` -> ``submit`` ->
``collect``) and from a Canvas-style zip (``zip_collect``) -- and are graded in one
``grade_course`` run: each route must give the same points for every step. Then the reflection
is graded through the gradebook API and must reach grades.csv and the feedback the student
fetches; late submissions keep nbgrader's timestamps.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest

from course_tools.course import CourseError, copy_course, open_gradebook
from course_tools.facts import AUTOGRADED_POINTS, ASSIGNMENT_ID, GRADED_STEPS, MANUAL_STEPS, NOTEBOOK_ID, step_of_grade_cell
from course_tools.demo.students import PARTIAL, PARTIAL_VARIANTS, REFERENCE, UNTOUCHED, demo_notebooks
from course_tools.exchange import Instructor, Student, run_nbgrader
from course_tools.export import export_grades
from course_tools.feedback import generate_feedback
from course_tools.manual_grades import record_manual_grade
from course_tools.pipeline import grade_course
from course_tools.release import register_assignment

COURSE = Path(__file__).resolve().parents[1]
KINDS = ("reference", "untouched", "partial")
ROUTES = ("direct", "exchange", "canvas")
DUE = datetime.datetime(2026, 1, 1, 12, 0)
REFLECTION_POINTS = 4.0


def canvas_name(student: str, resubmission: bool = False) -> str:
    """A file name as Canvas writes it in a submissions zip."""
    return f"{student}_{'LATE_' if resubmission else ''}40123_7781{len(student)}_{NOTEBOOK_ID}{'-1' if resubmission else ''}.ipynb"


def write_canvas_zip(course: Path, files: dict[str, nbformat.NotebookNode], name: str = "submissions.zip") -> Path:
    archive = course / "downloaded" / ASSIGNMENT_ID / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive / name, "w") as bundle:
        for filename, nb in files.items():
            bundle.writestr(filename, nbformat.writes(nb))
    return archive / name


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    base = tmp_path_factory.mktemp("workflow")
    course = copy_course(COURSE, base / "course")
    with tempfile.TemporaryDirectory() as workdir:
        register_assignment(course, Path(workdir))
    built = demo_notebooks(COURSE, course / "release" / ASSIGNMENT_ID)
    notebooks = dict(zip(KINDS, (built[REFERENCE], built[UNTOUCHED], built[PARTIAL])))

    for kind, nb in notebooks.items():
        folder = course / "submitted" / f"direct-{kind}" / ASSIGNMENT_ID
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NOTEBOOK_ID}.ipynb")

    instructor = Instructor(course, exchange=base / "exchange")
    instructor.release()
    students = {kind: Student(f"exchange-{kind}", base / "homes" / kind, "tinytorch-capstone", instructor.exchange)
                for kind in KINDS}
    for kind, student in students.items():
        fetched = student.fetch()
        nbformat.write(notebooks[kind], fetched / f"{NOTEBOOK_ID}.ipynb")
        student.submit()
    instructor.collect()

    # canvas-partial's upload is a late resubmission: Canvas adds LATE_ and names it capstone-1.ipynb.
    files = {canvas_name(f"canvas-{kind}", resubmission=kind == "partial"): nb for kind, nb in notebooks.items()}
    write_canvas_zip(course, files)
    zip_log = run_nbgrader(["zip_collect", ASSIGNMENT_ID], course)

    with open_gradebook(course) as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT_ID, duedate=DUE)
    run = grade_course(course, jobs=2)
    return course, run, students, instructor, zip_log


def step_points(course: Path, student: str) -> dict[str, float]:
    with open_gradebook(course) as gradebook:
        submission = gradebook.find_submission_notebook(NOTEBOOK_ID, ASSIGNMENT_ID, student)
        return {grade.name: grade.score for grade in submission.grades}


def test_every_route_gives_the_same_points_as_grading_submitted_directly(workflow):
    course, run, _, _, _ = workflow
    assert not run.failed
    assert sorted(o.student for o in run.outcomes) == sorted(f"{r}-{k}" for r in ROUTES for k in KINDS)
    for kind in KINDS:
        direct = step_points(course, f"direct-{kind}")
        assert {step_of_grade_cell(name) for name in direct} - set(MANUAL_STEPS) == set(GRADED_STEPS), direct
        for route in ROUTES[1:]:
            assert step_points(course, f"{route}-{kind}") == direct, (route, kind)
    reference, untouched, partial = (step_points(course, f"direct-{kind}") for kind in KINDS)
    assert sum(reference.values()) == AUTOGRADED_POINTS and sum(untouched.values()) == 0
    lost = {step_of_grade_cell(name) for name, points in partial.items() if points < reference[name]}
    assert lost == set(PARTIAL_VARIANTS)


def test_collect_keeps_the_exchange_timestamp_and_late_submissions_count_as_late(workflow):
    course, _, _, _, _ = workflow
    with open_gradebook(course) as gradebook:
        for kind in KINDS:
            submitted = course / "submitted" / f"exchange-{kind}" / ASSIGNMENT_ID / "timestamp.txt"
            stamped = submitted.read_text().strip()
            record = gradebook.find_submission(ASSIGNMENT_ID, f"exchange-{kind}")
            assert record.timestamp.strftime("%Y-%m-%d %H:%M:%S") == stamped[:19]
            assert record.total_seconds_late > 0, "submitted after the due date"
            direct = gradebook.find_submission(ASSIGNMENT_ID, f"direct-{kind}")
            assert direct.total_seconds_late == 0, "no timestamp: never late"


def test_zip_collect_maps_canvas_names_including_a_late_resubmission(workflow):
    course, _, _, _, zip_log = workflow
    for kind in KINDS:
        assert (course / "submitted" / f"canvas-{kind}" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb").is_file()
    assert "Skipped" not in zip_log


def test_reflection_graded_by_hand_reaches_grades_csv_and_the_fetched_feedback(workflow):
    course, _, students, instructor, _ = workflow
    student = students["reference"]
    record_manual_grade(course, student.student_id, "reflection", REFLECTION_POINTS)
    generate_feedback(course, students=[student.student_id])
    with open(export_grades(course), newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["student_id"] == student.student_id)
    assert float(row["reflection"]) == REFLECTION_POINTS
    instructor.release_feedback(student=student.student_id)
    fetched = student.fetch_feedback()
    assert len(fetched) == 1, fetched
    html = fetched[0].read_text(encoding="utf-8")
    assert re.search(rf"Score:\s*{REFLECTION_POINTS}\s*/\s*6\.0", html), "reflection points missing from feedback"
    total, maximum = AUTOGRADED_POINTS + REFLECTION_POINTS, AUTOGRADED_POINTS + sum(MANUAL_STEPS.values())
    assert re.search(rf"Score:\s*{total:.1f}\s*/\s*{maximum:.1f}", html), "total with the manual points missing"


def test_manual_grade_outside_the_cell_range_is_refused(workflow):
    course, _, students, _, _ = workflow
    with pytest.raises(CourseError, match="between 0 and 6"):
        record_manual_grade(course, students["partial"].student_id, "reflection", 7)
