"""Grading speed: plain ``nbgrader autograde`` against our ``grade --jobs 2``, same submissions.

Both sides grade the same submissions (the reference solution, and the reference with a few steps
left undone, under different student ids) in separate scratch copies of the course:

- plain: a course whose ``nbgrader_config.py`` holds only what nbgrader needs to find the course
  (course id, and the ignore list that keeps the solution script out of the grading folder), run
  as one ``nbgrader autograde 20_capstone`` process — stock preprocessors, one submission after
  another, no sandbox;
- ours: the course's own configuration through `course_tools.grading.grade_submissions` with two
  jobs (sandboxed kernels, tamper guard, crash recovery).

Scores must be identical per student; the figure is the ratio of wall-clock times, median of
``runs`` alternating runs.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course_tools.course import ASSIGNMENT_ID, copy_course, ensure_tools_on_path, open_gradebook
from course_tools.grading import grade_submissions
from course_tools.release import register_assignment
from course_tools.samples import SubmissionBuilder

ROOT = Path(__file__).resolve().parents[1]

PLAIN_CONFIG = '''c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "tinytorch-capstone"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]
'''

UNDONE_STEPS = (("measure_latency",), ("latency_stats", "check_success"), ("validate_submission",))


def _write_submissions(course: Path, count: int) -> list[str]:
    builder = SubmissionBuilder(course)
    students = []
    for index in range(count):
        undone = UNDONE_STEPS[index % len(UNDONE_STEPS)] if index % 2 else ()
        nb = builder.variant({step: builder.stubs[step] for step in undone})
        student = f"student-{index:02d}"
        builder.write(student, nb)
        students.append(student)
    return students


def _scores(course: Path, students: list[str]) -> dict[str, float]:
    with open_gradebook(course) as gradebook:
        return {s: gradebook.find_submission(ASSIGNMENT_ID, s).score for s in students}


def _plain_course(scratch: Path, count: int) -> tuple[Path, list[str]]:
    course = copy_course(ROOT, scratch / "plain", parts=("source", "release"))
    (course / "nbgrader_config.py").write_text(PLAIN_CONFIG, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT_ID, "--force"],
                   cwd=course, check=True, capture_output=True)
    return course, _write_submissions(course, count)


def _our_course(scratch: Path, count: int) -> tuple[Path, list[str]]:
    course = copy_course(ROOT, scratch / "ours")
    register_assignment(course, scratch / "ours-release")
    return course, _write_submissions(course, count)


def _reset(course: Path) -> None:
    shutil.rmtree(course / "autograded", ignore_errors=True)


def compare(count: int = 8, runs: int = 3, jobs: int = 2) -> dict:
    """Grade ``count`` submissions both ways ``runs`` times; return timings and scores."""
    ensure_tools_on_path()
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as folder:
        scratch = Path(folder)
        plain, plain_students = _plain_course(scratch, count)
        ours, our_students = _our_course(scratch, count)
        plain_s, ours_s = [], []
        for _ in range(runs):
            _reset(plain)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT_ID, "--force"],
                           cwd=plain, check=True, capture_output=True)
            plain_s.append(time.perf_counter() - start)
            _reset(ours)
            start = time.perf_counter()
            outcomes = grade_submissions(ours, ASSIGNMENT_ID, jobs=jobs)
            ours_s.append(time.perf_counter() - start)
        plain_scores = _scores(plain, plain_students)
        our_scores = _scores(ours, our_students)
    return {
        "submissions": count,
        "jobs": jobs,
        "plain_seconds": plain_s,
        "ours_seconds": ours_s,
        "speedup": statistics.median(p / o for p, o in zip(plain_s, ours_s)),
        "identical_scores": plain_scores == our_scores,
        "scores": our_scores,
        "statuses": sorted({outcome.status for outcome in outcomes}),
    }
