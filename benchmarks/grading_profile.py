"""Grading one submission with the grading profile, in full, and the floor, side by side.

    python -m benchmarks.grading_profile [--rounds 3]

Per round, in rotating order, one reference submission is graded by ``grade_submissions``
(``jobs=1``, the whole call: preflight, private course, sandbox, guard, import):

- **full**: every cell executed (``c.SkipDemonstrationCells.enabled = False``);
- **profile**: the course's configuration, demonstration cells not executed;

and the **floor** is measured: plain ``nbclient`` in a fresh kernel (one BLAS thread, the graded
folder) executing the graded notebook without its demonstration cells, i.e. kernel start, the
setup cell, the solution cells and the grade cells, hidden tests included: the work no grader can
avoid. Reported: every figure of every round, the medians, and the medians of the per-round ratios
profile / floor (target <= 1.5) and full / profile (target >= 2.5), with the machine context.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import nbformat

from benchmarks.context import machine_context
from benchmarks.grading import _our_course, _reset, _scratch_folder
from benchmarks.grading_floor import KERNEL_ENV, _write_references, plain_nbclient_seconds
from course_tools.course import ensure_tools_on_path
from course_tools.facts import ASSIGNMENT_ID, AUTOGRADED_POINTS, NOTEBOOK_ID
from course_tools.grading import grade_submissions
from course_tools.lint import DEMONSTRATION_TAG

FULL_EXECUTION = "\n# Benchmark: every cell executed.\nc.SkipDemonstrationCells.enabled = False\n"
SIDES = ("full", "profile", "floor")


def floor_notebook(graded: Path, destination: Path) -> Path:
    """``graded`` without its demonstration cells, written to ``destination`` (same folder)."""
    notebook = nbformat.read(graded, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if DEMONSTRATION_TAG not in cell.metadata.get("tags", [])]
    nbformat.write(notebook, destination)
    return destination


def _grade_one(course: Path, student: str) -> tuple[float, float]:
    """(seconds of the whole call, seconds of the submission's own job); every automatic point, or RuntimeError."""
    _reset(course)
    started = time.perf_counter()
    (outcome,) = grade_submissions(course, ASSIGNMENT_ID, jobs=1, students=[student])
    seconds = time.perf_counter() - started
    if outcome.status != "graded" or outcome.score != AUTOGRADED_POINTS:
        raise RuntimeError(f"the reference was not graded in full: {outcome}")
    return seconds, outcome.seconds


def measure(rounds: int = 3) -> dict[str, Any]:
    """Every round's seconds per side, medians and ratios (module docstring), with the machine context."""
    ensure_tools_on_path()
    os.environ.update(KERNEL_ENV)
    before = machine_context()
    seconds: dict[str, list[float]] = {side: [] for side in SIDES}
    job_seconds: dict[str, list[float]] = {"full": [], "profile": []}
    with _scratch_folder() as folder:
        scratch = Path(folder)
        courses = {"profile": _our_course(scratch, "profile", 0, crashes=False)[0]}
        courses["full"] = _our_course(scratch, "full", 0, crashes=False)[0]
        with open(courses["full"] / "nbgrader_config.py", "a", encoding="utf-8") as config:
            config.write(FULL_EXECUTION)
        (student,) = _write_references(courses["profile"], 1)
        _write_references(courses["full"], 1)
        for side in ("full", "profile"):  # warm-up: caches, font list, fork server's first start
            _grade_one(courses[side], student)
        graded = courses["profile"] / "autograded" / student / ASSIGNMENT_ID
        # The floor runs in a copy of the graded folder (its data files), which grading does not remove.
        shutil.copytree(graded, scratch / "floor")
        floor = floor_notebook(scratch / "floor" / f"{NOTEBOOK_ID}.ipynb", scratch / "floor" / "floor.ipynb")
        plain_nbclient_seconds(floor)
        for round_ in range(rounds):
            order = SIDES[round_ % 3 :] + SIDES[: round_ % 3]
            for side in order:
                if side == "floor":
                    seconds["floor"].append(plain_nbclient_seconds(floor))
                else:
                    whole, job = _grade_one(courses[side], student)
                    seconds[side].append(whole)
                    job_seconds[side].append(job)
            print(f"round {round_ + 1}: " + ", ".join(f"{s} {seconds[s][-1]:.2f} s" for s in SIDES), flush=True)
    profile_over_floor = [p / f for p, f in zip(seconds["profile"], seconds["floor"])]
    full_over_profile = [f / p for f, p in zip(seconds["full"], seconds["profile"])]
    return {
        "seconds": {side: [round(s, 2) for s in values] for side, values in seconds.items()},
        "job_seconds": {side: [round(s, 2) for s in values] for side, values in job_seconds.items()},
        "median_s": {side: round(statistics.median(values), 2) for side, values in seconds.items()},
        "profile_over_floor": [round(r, 2) for r in profile_over_floor],
        "full_over_profile": [round(r, 2) for r in full_over_profile],
        "median_profile_over_floor": round(statistics.median(profile_over_floor), 2),
        "median_full_over_profile": round(statistics.median(full_over_profile), 2),
        "context_before": before,
        "context_after": machine_context(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each side once per round in rotating order")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.rounds), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
