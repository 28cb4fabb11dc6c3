"""How close grading one submission is to its floor, and submissions per minute per worker count.

    python -m benchmarks.grading_floor [--rounds 3] [--workers 1 2 4] [--submissions 4]

- **Overhead over plain nbclient.** The floor of grading a submission is executing its notebook.
  Each round grades the reference submission with `grade_submissions` (``jobs=1``: our whole
  path, sandbox, guard, private course, gradebook import) and then executes the very notebook
  that was graded (the autograded one, hidden tests included, outputs cleared) with a plain
  ``nbclient.NotebookClient`` in a fresh ``python3`` kernel, same working folder, one BLAS
  thread. Rounds alternate which goes first. Reported: both medians and the median per-round
  ratio ``ours / plain - 1``. "Ours" is the wall time of the whole ``grade_submissions`` call for
  one submission (start-up included), and the part spent in the submission's own job
  (``GradeOutcome.seconds``).
- **Throughput.** ``--submissions`` reference submissions graded with each worker count
  (``jobs``), in the same rounds; submissions per minute = count / wall seconds * 60.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.context import machine_context
from benchmarks.grading import _our_course, _reset, _scratch_folder
from benchmarks.grading_breakdown import plain_breakdown
from course_tools.course import ensure_tools_on_path
from course_tools.facts import ASSIGNMENT_ID
from course_tools.grading import grade_submissions
from course_tools.samples import SubmissionBuilder

# What SandboxedExecute.kernel_env gives a graded kernel, so the plain run does the same work.
KERNEL_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def plain_nbclient_seconds(notebook_path: Path, timeout: int = 600) -> float:
    """Seconds to execute ``notebook_path`` (outputs cleared) in a fresh kernel with nbclient."""
    return plain_breakdown(notebook_path, timeout).total


def _write_references(course: Path, count: int) -> list[str]:
    builder = SubmissionBuilder(course)
    students = [f"student-{index:02d}" for index in range(count)]
    for student in students:
        builder.write(student, builder.reference_solution())
    return students


def _grade(course: Path, students: list[str], jobs: int) -> tuple[float, list[float], set[float]]:
    _reset(course)
    started = time.perf_counter()
    outcomes = grade_submissions(course, ASSIGNMENT_ID, jobs=jobs, students=students)
    return time.perf_counter() - started, [o.seconds for o in outcomes], {o.score for o in outcomes}


def measure(rounds: int = 3, workers: tuple[int, ...] = (1, 2, 4), submissions: int = 4) -> dict[str, Any]:
    """Overhead rounds and throughput rounds; every figure of every round, medians, context."""
    ensure_tools_on_path()
    os.environ.update(KERNEL_ENV)
    before = machine_context()
    plain, ours, ours_job, ratios, scores = [], [], [], [], set()
    throughput: dict[int, list[float]] = {jobs: [] for jobs in workers}
    with _scratch_folder() as folder:
        course, _ = _our_course(Path(folder), "course", 0, crashes=False)
        students = _write_references(course, max(submissions, 1))
        graded = course / "autograded" / students[0] / ASSIGNMENT_ID / "capstone.ipynb"
        _grade(course, students[:1], 1)  # warm-up: caches, font list, fork server's first start
        plain_nbclient_seconds(graded)
        for round_ in range(rounds):
            pair: dict[str, float] = {}
            for side in ("ours", "plain") if round_ % 2 == 0 else ("plain", "ours"):
                if side == "ours":
                    pair["ours"], job_seconds, got = _grade(course, students[:1], 1)
                    ours_job.extend(job_seconds)
                    scores |= got
                else:
                    pair["plain"] = plain_nbclient_seconds(graded)
            plain.append(pair["plain"])
            ours.append(pair["ours"])
            ratios.append(pair["ours"] / pair["plain"] - 1.0)
            for jobs in workers if round_ % 2 == 0 else tuple(reversed(workers)):
                seconds, _, got = _grade(course, students, jobs)
                scores |= got
                throughput[jobs].append(len(students) / seconds * 60.0)
            print(
                f"round {round_ + 1}: plain {pair['plain']:.2f} s, ours {pair['ours']:.2f} s, "
                f"per minute { ({j: round(v[-1], 1) for j, v in throughput.items()}) }",
                flush=True,
            )
    return {
        "plain_nbclient_seconds": [round(s, 2) for s in plain],
        "ours_seconds": [round(s, 2) for s in ours],
        "ours_job_seconds": [round(s, 2) for s in ours_job],
        "median_plain_s": round(statistics.median(plain), 2),
        "median_ours_s": round(statistics.median(ours), 2),
        "median_ours_job_s": round(statistics.median(ours_job), 2),
        "median_overhead": round(statistics.median(ratios), 3),
        "submissions_per_minute": {jobs: [round(v, 1) for v in values] for jobs, values in throughput.items()},
        "median_submissions_per_minute": {jobs: round(statistics.median(v), 1) for jobs, v in throughput.items()},
        "throughput_submissions": len(students),
        "scores": sorted(scores),
        "context_before": before,
        "context_after": machine_context(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="worker counts (jobs)")
    parser.add_argument("--submissions", type=int, default=4, help="submissions per throughput run")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.rounds, tuple(args.workers), args.submissions), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
