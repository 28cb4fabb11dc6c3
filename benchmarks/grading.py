"""Grading speed, measured two ways on submissions built from the release.

    python -m benchmarks.grading [--compare plain|jobs] [--submissions 8] [--repeats 3]

- ``plain`` (the figure `make bench` reports): plain ``nbgrader autograde`` against our
  ``grade --jobs 2``. The plain course's ``nbgrader_config.py`` holds only what nbgrader needs to
  find the course (course id, and the ignore list that keeps the solution script out of the
  grading folder) and runs as one ``nbgrader autograde`` process: stock preprocessors, one
  submission after another, no sandbox. Ours is the course's own configuration through
  `course_tools.grading.grade_submissions` (sandboxed kernels, tamper guard, crash recovery).
  The submissions are the reference solution and the reference with a few steps left undone; the
  scores must be identical per student.
- ``jobs``: our grader with ``jobs=1`` against ``jobs=2``, each run in a fresh Python process (so
  each pays the same one-time start-up, e.g. the warm fork server). A third of the submissions
  crash the kernel with a segfault in one step, so recovery is measured too; every run must give
  identical grades per cell.

Runs alternate between the two sides; the clock is ``time.perf_counter`` around the grading call
(the whole ``nbgrader autograde`` process for plain). Reported: every run's seconds, the median
ratio, whether grades agree, and the context (cores, load average, versions).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.context import machine_context
from course_tools.course import copy_course, ensure_tools_on_path, open_gradebook
from course_tools.facts import ASSIGNMENT_ID, COURSE_ID
from course_tools.grading import grade_submissions
from course_tools.release import register_assignment
from course_tools.samples import SubmissionBuilder

ROOT = Path(__file__).resolve().parents[1]

PLAIN_CONFIG = f"""c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{COURSE_ID}"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]
"""

UNDONE_STEPS = (("measure_latency",), ("latency_stats", "check_success"), ("validate_submission",))
CRASHING_STEP = "count_parameters"
SEGFAULT = "import ctypes\nctypes.string_at(0)\n"


def write_submissions(course: Path, count: int, *, crashes: bool) -> list[str]:
    """``count`` submissions in ``course/submitted``: the reference solution, the reference with
    steps of `UNDONE_STEPS` left as stubs, and (``crashes``) the reference with a segfault in
    `CRASHING_STEP`. Returns the student ids."""
    builder = SubmissionBuilder(course)
    students = []
    for index in range(count):
        if crashes and index % 3 == 2:
            nb = builder.variant({CRASHING_STEP: SEGFAULT + builder.reference[CRASHING_STEP]})
        else:
            undone = UNDONE_STEPS[index % len(UNDONE_STEPS)] if index % 2 else ()
            nb = builder.variant({step: builder.stubs[step] for step in undone})
        student = f"student-{index:02d}"
        builder.write(student, nb)
        students.append(student)
    return students


def cell_scores(course: Path, students: list[str]) -> dict[str, dict[str, float]]:
    """``{student: {grade cell: automatic score}}`` from the course's gradebook."""
    with open_gradebook(course) as gradebook:
        return {
            student: {
                grade.name: grade.auto_score
                for notebook in gradebook.find_submission(ASSIGNMENT_ID, student).notebooks
                for grade in notebook.grades
            }
            for student in students
        }


def _our_course(scratch: Path, name: str, count: int, *, crashes: bool) -> tuple[Path, list[str]]:
    course = copy_course(ROOT, scratch / name)
    register_assignment(course, scratch / f"{name}-release")
    return course, write_submissions(course, count, crashes=crashes)


def _plain_course(scratch: Path, count: int) -> tuple[Path, list[str]]:
    course = copy_course(ROOT, scratch / "plain", parts=("source", "release"))
    (course / "nbgrader_config.py").write_text(PLAIN_CONFIG, encoding="utf-8")
    _nbgrader(course, "generate_assignment")
    return course, write_submissions(course, count, crashes=False)


def _nbgrader(course: Path, command: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "nbgrader", command, ASSIGNMENT_ID, "--force"],
        cwd=course,
        check=True,
        capture_output=True,
    )


def _reset(course: Path) -> None:
    shutil.rmtree(course / "autograded", ignore_errors=True)


def _scratch_folder() -> tempfile.TemporaryDirectory[str]:
    folder = tempfile.TemporaryDirectory(prefix="bench-grading-")
    os.chmod(folder.name, 0o755)  # kernels under a sandbox uid must enter the course, as in a real course
    return folder


def plain_vs_ours(count: int = 8, runs: int = 3, jobs: int = 2) -> dict[str, Any]:
    """Grade ``count`` submissions with plain nbgrader and with ours ``runs`` times; timings, scores."""
    ensure_tools_on_path()
    with _scratch_folder() as folder:
        scratch = Path(folder)
        plain, plain_students = _plain_course(scratch, count)
        ours, our_students = _our_course(scratch, "ours", count, crashes=False)
        plain_s, ours_s = [], []
        for _ in range(runs):
            _reset(plain)
            start = time.perf_counter()
            _nbgrader(plain, "autograde")
            plain_s.append(time.perf_counter() - start)
            _reset(ours)
            start = time.perf_counter()
            outcomes = grade_submissions(ours, ASSIGNMENT_ID, jobs=jobs)
            ours_s.append(time.perf_counter() - start)
        plain_scores = cell_scores(plain, plain_students)
        our_scores = cell_scores(ours, our_students)
    return {
        "submissions": count,
        "jobs": jobs,
        "plain_seconds": plain_s,
        "ours_seconds": ours_s,
        "speedup": statistics.median(p / o for p, o in zip(plain_s, ours_s)),
        "identical_scores": plain_scores == our_scores,
        "scores": {student: sum(score or 0.0 for score in cells.values()) for student, cells in our_scores.items()},
        "statuses": sorted({outcome.status for outcome in outcomes}),
    }


def run_once(course: Path, jobs: int) -> dict[str, Any]:
    """Grade every submission of ``course`` with ``jobs``: seconds, and each student's status and cells."""
    ensure_tools_on_path()
    _reset(course)
    started = time.perf_counter()
    outcomes = grade_submissions(course, ASSIGNMENT_ID, jobs=jobs)
    seconds = time.perf_counter() - started
    cells = cell_scores(course, [outcome.student for outcome in outcomes])
    grades = {o.student: {"status": o.status, "cells": cells[o.student]} for o in outcomes}
    return {"jobs": jobs, "seconds": seconds, "grades": grades}


def jobs1_vs_jobs2(count: int = 8, runs: int = 3) -> dict[str, Any]:
    """Grade ``count`` submissions (some crashing) with jobs 1 and 2, ``runs`` times each, each
    run in a fresh process, alternating which goes first; timings and whether grades agree."""
    ensure_tools_on_path()
    results: list[dict[str, Any]] = []
    before = {**machine_context(), "kernel BLAS threads": "1 (SandboxedExecute.kernel_env)"}
    with _scratch_folder() as folder:
        course, students = _our_course(Path(folder), "course", count, crashes=True)
        for repeat in range(runs):
            for jobs in (1, 2) if repeat % 2 == 0 else (2, 1):
                command = [sys.executable, "-m", "benchmarks.grading", "--run-once", str(jobs), "--course", str(course)]
                output = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout
                results.append(json.loads(output.strip().splitlines()[-1]))
                print(f"repeat {repeat + 1} jobs={jobs}: {results[-1]['seconds']:.1f} s", flush=True)
    medians = {jobs: statistics.median(r["seconds"] for r in results if r["jobs"] == jobs) for jobs in (1, 2)}
    return {
        "submissions": len(students),
        "seconds": {jobs: [round(r["seconds"], 2) for r in results if r["jobs"] == jobs] for jobs in (1, 2)},
        "median_seconds": {jobs: round(value, 2) for jobs, value in medians.items()},
        "speedup_jobs2_vs_jobs1": round(medians[1] / medians[2], 2),
        "identical_grades": all(r["grades"] == results[0]["grades"] for r in results),
        "statuses": sorted({grade["status"] for grade in results[0]["grades"].values()}),
        "context_before": before,
        "context_after": machine_context(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run one comparison and print it as JSON; exit status 1 when the grades disagree."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", choices=("plain", "jobs"), default="jobs", help="which comparison (default: jobs)")
    parser.add_argument("--submissions", type=int, default=8, help="submissions graded per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each side, alternating")
    parser.add_argument("--run-once", type=int, metavar="JOBS", help=argparse.SUPPRESS)
    parser.add_argument("--course", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_once is not None:
        print(json.dumps(run_once(args.course.resolve(), args.run_once)))
        return 0
    if args.compare == "plain":
        summary = plain_vs_ours(args.submissions, args.repeats)
        agree = summary["identical_scores"]
    else:
        summary = jobs1_vs_jobs2(args.submissions, args.repeats)
        agree = summary["identical_grades"]
    print(json.dumps(summary, indent=2))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
