"""The exchange workflow clicked through JupyterLab in headless Chromium.

A student (`make lab --exchange`, their own server root) fetches the assignment and submits it
from the *Assignments* tab; the instructor collects and grades it with our tools, then
(`make instructor`, server root = course root) opens Formgrader from the Nbgrader menu, sees the
submission, grades the reflection, and those points reach grades.csv. Formgrader shows only an
error page when the course is outside the server root: this test fails then.

Screenshots of every stage: build/browser-screenshots/workflow/{student,instructor}/ (named in the failure output).
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

import nbformat

from browser_support import TOKEN, JupyterServer, browser_page, dismiss_news, nbgrader_menu
from course_tools.course import copy_course, open_gradebook
from course_tools.facts import ASSIGNMENT_ID, AUTOGRADED_POINTS, NOTEBOOK_ID
from course_tools.exchange import Instructor
from course_tools.export import export_grades
from course_tools.pipeline import grade_course
from course_tools.release import register_assignment
from course_tools.samples import SubmissionBuilder

COURSE = Path(__file__).resolve().parents[1]
SHOTS = COURSE / "build" / "browser-screenshots" / "workflow"
STUDENT = "ada"
REFLECTION_POINTS = 4


def test_student_submits_from_the_assignments_tab_and_the_instructor_grades_in_formgrader(tmp_path):
    course = copy_course(COURSE, tmp_path / "course")
    with tempfile.TemporaryDirectory() as workdir:
        register_assignment(course, Path(workdir))
    instructor = Instructor(course)
    instructor.release()
    home = tmp_path / "home" / STUDENT

    student_lab = JupyterServer(course, ["lab", "--exchange", "--student", STUDENT, "--workspace", str(home)],
                                tmp_path / "student.log", tmp_path / "runtime-student")
    try:
        with browser_page(SHOTS / "student") as (page, stages):
            page.goto(f"{student_lab.url}/lab?token={TOKEN}")
            page.wait_for_selector(".jp-DirListing")
            dismiss_news(page)
            nbgrader_menu(page, "Assignment List")
            page.get_by_role("button", name="Fetch").click()
            notebook = home / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
            deadline = time.monotonic() + 60
            while not notebook.is_file() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert notebook.is_file(), "Fetch in the Assignments tab put no notebook in the student's folder"
            stages.shot("student-fetched")
            # The student's work: the reference solution, as if typed into the fetched notebook.
            nbformat.write(SubmissionBuilder(COURSE, release_dir=notebook.parent).reference_solution(), notebook)
            page.get_by_role("button", name="Submit").first.click()
            page.wait_for_function("() => document.body.innerText.includes('Submitted assignments') && "
                                   "/\\d{4}-\\d{2}-\\d{2}/.test(document.body.innerText)", timeout=60_000)
            stages.shot("student-submitted")
    finally:
        student_lab.stop()
    inbound = list((instructor.exchange / "tinytorch-capstone" / "inbound").glob(f"{STUDENT}+{ASSIGNMENT_ID}+*"))
    assert len(inbound) == 1, inbound

    instructor.collect()
    run = grade_course(course, jobs=1, register=False)
    assert [(o.student, o.score) for o in run.outcomes] == [(STUDENT, AUTOGRADED_POINTS)]

    formgrader = JupyterServer(course, ["instructor"], tmp_path / "instructor.log", tmp_path / "runtime-instructor")
    try:
        with browser_page(SHOTS / "instructor") as (page, stages):
            page.goto(f"{formgrader.url}/lab?token={TOKEN}")
            page.wait_for_selector(".jp-DirListing")
            dismiss_news(page)
            nbgrader_menu(page, "Formgrader")
            frame = page.frame_locator("iframe")
            frame.get_by_text("Manage Assignments").first.wait_for()
            stages.shot("formgrader-opened")
            frame.get_by_role("link", name="Manual Grading").click()
            # Each table is filled by JavaScript after the page loads: wait for the row's link.
            # Exact names: "capstone" is also part of "20_capstone", the link of the page before.
            frame.get_by_role("link", name=ASSIGNMENT_ID, exact=True).click()
            frame.get_by_role("link", name=NOTEBOOK_ID, exact=True).click()
            submission = frame.locator("table a", has_text="Submission #1")
            submission.wait_for()
            assert frame.locator("table a", has_text="Submission #").count() == 1
            stages.shot("formgrader-sees-the-submission")
            submission.click()
            # Formgrader's script marks the field once it is bound to the grade (then a change saves).
            score = frame.locator("input.score.needs_manual_grade#reflection")
            score.wait_for()
            score.fill(str(REFLECTION_POINTS))
            score.press("Tab")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with open_gradebook(course) as gradebook:
                    grade = gradebook.find_grade("reflection", NOTEBOOK_ID, ASSIGNMENT_ID, STUDENT)
                    if grade.manual_score is not None:
                        break
                time.sleep(0.5)
            stages.shot("reflection-graded")
            assert grade.manual_score == REFLECTION_POINTS
    finally:
        formgrader.stop()
    with open(export_grades(course), newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["student_id"] == STUDENT)
    assert float(row["reflection"]) == REFLECTION_POINTS
    assert float(row["score"]) == AUTOGRADED_POINTS + REFLECTION_POINTS
