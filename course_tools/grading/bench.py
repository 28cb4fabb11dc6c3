"""Parallel grading benchmark: the same submissions graded with ``--jobs 1`` and ``--jobs 2``.

    python -m course_tools.grading.bench [--course .] [--submissions 8] [--repeats 3]

The course (config, source, release) is copied to a temporary folder; its gradebook is filled
with ``nbgrader generate_assignment``; ``--submissions`` submissions are made from the source
notebook: two thirds the reference solutions, the rest the reference with a segfault in one step
(so recovery is measured too). Each (repeat, jobs) pair runs in a fresh Python process (so each
pays the same one-time start-up, e.g. the warm fork server), in alternating order; the clock is
``time.perf_counter`` around `grade_submissions`. Reported: every run's seconds, the median per
jobs value, the speedup of the medians, whether every run gave identical grades, and the context
(cores, load average, BLAS threads, versions). Exit status 1 when grades differ.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course_tools.course import copy_course, nbgrader_api, require_success

from .config import load_course_settings
from .orchestrate import grade_submissions

SEGFAULT = "import ctypes\nctypes.string_at(0)\n"


def prepare_course(source_root: Path, destination: Path, assignment: str, submissions: int) -> list[str]:
    """Copy the course to ``destination``, generate the assignment, write the submissions."""
    destination.mkdir(parents=True)
    os.chmod(destination, 0o755)
    copy_course(source_root, destination)
    require_success("generate_assignment", nbgrader_api(destination).generate_assignment(assignment, force=True))

    source_dir = destination / "source" / assignment
    notebook_path = next(source_dir.glob("*.ipynb"))
    reference = nbformat.read(notebook_path, as_version=4)
    crashing = nbformat.read(notebook_path, as_version=4)
    solution_cells = [c for c in crashing.cells if c.cell_type == "code"
                      and c.metadata.get("nbgrader", {}).get("solution")]
    solution_cells[len(solution_cells) // 2].source = SEGFAULT + solution_cells[len(solution_cells) // 2].source
    students = []
    for index in range(submissions):
        student = f"bench{index:02d}"
        folder = destination / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(crashing if index % 3 == 2 else reference, folder / notebook_path.name)
        students.append(student)
    return students


def run_once(course: Path, assignment: str, jobs: int) -> dict:
    """Grade every submission with ``jobs``; seconds and each submission's status and points."""
    settings = load_course_settings(course)
    from nbgrader.api import Gradebook

    started = time.perf_counter()
    outcomes = grade_submissions(course, assignment, jobs=jobs)
    seconds = time.perf_counter() - started
    grades = {}
    with Gradebook(settings.db_url, settings.course_id) as gradebook:
        for outcome in outcomes:
            submission = gradebook.find_submission(assignment, outcome.student)
            cells = {grade.name: grade.auto_score for notebook in submission.notebooks for grade in notebook.grades}
            grades[outcome.student] = {"status": outcome.status, "cells": cells}
    return {"jobs": jobs, "seconds": seconds, "grades": grades}


def context() -> dict:
    return {
        "cpu_count": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "kernel_blas_threads": "1 (SandboxedExecute.kernel_env)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--course", type=Path, default=Path("."))
    parser.add_argument("--assignment", default="20_capstone")
    parser.add_argument("--submissions", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--run-once", type=int, metavar="JOBS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_once is not None:
        print(json.dumps(run_once(args.course.resolve(), args.assignment, args.run_once)))
        return 0

    runs: list[dict] = []
    before = context()
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as scratch:
        os.chmod(scratch, 0o755)
        course = Path(scratch) / "course"
        students = prepare_course(args.course.resolve(), course, args.assignment, args.submissions)
        for repeat in range(args.repeats):
            for jobs in ((1, 2) if repeat % 2 == 0 else (2, 1)):
                result = subprocess.run([sys.executable, "-m", "course_tools.grading.bench", "--course", str(course),
                                         "--assignment", args.assignment, "--run-once", str(jobs)],
                                        capture_output=True, text=True, check=True)
                run = json.loads(result.stdout.strip().splitlines()[-1])
                runs.append(run)
                print(f"repeat {repeat + 1} jobs={jobs}: {run['seconds']:.1f} s", flush=True)
    medians = {jobs: statistics.median(r["seconds"] for r in runs if r["jobs"] == jobs) for jobs in (1, 2)}
    identical = all(run["grades"] == runs[0]["grades"] for run in runs)
    summary = {
        "submissions": len(students),
        "seconds": {jobs: [round(r["seconds"], 2) for r in runs if r["jobs"] == jobs] for jobs in (1, 2)},
        "median_seconds": {jobs: round(value, 2) for jobs, value in medians.items()},
        "speedup_jobs2_vs_jobs1": round(medians[1] / medians[2], 2),
        "identical_grades": identical,
        "statuses": sorted({g["status"] for g in runs[0]["grades"].values()}),
        "context_before": before,
        "context_after": context(),
    }
    print(json.dumps(summary, indent=2))
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
