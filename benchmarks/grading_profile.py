"""Grading a submission with the grading profile, in full, and the floor, side by side, per submission.

    python -m benchmarks.grading_profile [--rounds 3] [--batch 3]

Per round, in rotating order, ``--batch`` reference submissions are graded by one
``grade_submissions`` call (``jobs=1``, the whole call: preflight, private courses, sandbox, guard,
import), as a class is graded: per submission is the call's seconds / ``--batch``, so the costs paid
once per run (the preflight, the warm fork server) are shared as they are in a class:

- **full**: every cell executed (``c.SkipDemonstrationCells.enabled = False``);
- **profile**: the course's configuration, demonstration cells not executed;

and the **floor** is measured: plain ``nbclient`` in a fresh kernel (one BLAS thread, the graded
folder) executing the graded notebook without its demonstration cells, i.e. kernel start, the
setup cell, the solution cells and the grade cells, hidden tests included: the work no grader can
avoid. Reported: every figure of every round, the medians, and the medians of the per-round ratios
profile / floor (target <= 1.5) and full / profile (target >= 2.5), with the machine context.

Where the seconds go (grading_breakdown.py), in the same rounds: the floor's own run, timed per
part, and a fourth run that executes the graded notebook as the profile does (grading profile,
`SandboxedExecute`, course configuration) in this process, timed per part; what the profile's job
spends around that execution (the ``nbgrader autograde`` process: start, sanitizing, gradebook) and
what the whole call spends around the job (preflight, private course, import) are medians of
differences. Each part is printed as a table, with the slowest grade cells.
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
from benchmarks.grading_breakdown import PARTS, Breakdown, plain_breakdown, sandboxed_breakdown
from benchmarks.grading_floor import KERNEL_ENV, _write_references
from course_tools.course import ensure_tools_on_path
from course_tools.facts import ASSIGNMENT_ID, AUTOGRADED_POINTS, NOTEBOOK_ID
from course_tools.grading import grade_submissions
from course_tools.lint import DEMONSTRATION_TAG

FULL_EXECUTION = "\n# Benchmark: every cell executed.\nc.SkipDemonstrationCells.enabled = False\n"
SIDES = ("full", "profile", "floor")
# The in-process, per-part run of the profile's execution (module docstring) joins the rotation.
IN_PROCESS = "profile, in process"
SLOWEST_SHOWN = 6


def floor_notebook(graded: Path, destination: Path) -> Path:
    """``graded`` without its demonstration cells, written to ``destination`` (same folder)."""
    notebook = nbformat.read(graded, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if DEMONSTRATION_TAG not in cell.metadata.get("tags", [])]
    nbformat.write(notebook, destination)
    return destination


def _grade_batch(course: Path, students: list[str]) -> tuple[float, float]:
    """Per submission: (seconds of the whole call, median seconds of a submission's own job); every
    automatic point for each, or RuntimeError."""
    _reset(course)
    started = time.perf_counter()
    outcomes = grade_submissions(course, ASSIGNMENT_ID, jobs=1, students=students)
    seconds = time.perf_counter() - started
    for outcome in outcomes:
        if outcome.status != "graded" or outcome.score != AUTOGRADED_POINTS:
            raise RuntimeError(f"the reference was not graded in full: {outcome}")
    return seconds / len(students), statistics.median(outcome.seconds for outcome in outcomes)


def measure(rounds: int = 3, batch: int = 3) -> dict[str, Any]:
    """Every round's seconds per side, medians and ratios, where the seconds go (module docstring),
    with the machine context."""
    ensure_tools_on_path()
    os.environ.update(KERNEL_ENV)
    before = machine_context()
    seconds: dict[str, list[float]] = {side: [] for side in SIDES}
    job_seconds: dict[str, list[float]] = {"full": [], "profile": []}
    breakdowns: dict[str, list[Breakdown]] = {"floor": [], IN_PROCESS: []}
    with _scratch_folder() as folder:
        scratch = Path(folder)
        courses = {"profile": _our_course(scratch, "profile", 0, crashes=False)[0]}
        courses["full"] = _our_course(scratch, "full", 0, crashes=False)[0]
        with open(courses["full"] / "nbgrader_config.py", "a", encoding="utf-8") as config:
            config.write(FULL_EXECUTION)
        students = _write_references(courses["profile"], batch)
        _write_references(courses["full"], batch)
        for side in ("full", "profile"):  # warm-up: caches, font list, fork server's first start
            _grade_batch(courses[side], students[:1])
        graded = courses["profile"] / "autograded" / students[0] / ASSIGNMENT_ID
        # The floor runs in a copy of the graded folder (its data files), which grading does not remove;
        # the in-process run executes the graded notebook itself from another copy.
        shutil.copytree(graded, scratch / "floor")
        shutil.copytree(graded, scratch / "in-process")
        floor = floor_notebook(scratch / "floor" / f"{NOTEBOOK_ID}.ipynb", scratch / "floor" / "floor.ipynb")
        in_process = scratch / "in-process" / f"{NOTEBOOK_ID}.ipynb"
        plain_breakdown(floor)
        sandboxed_breakdown(courses["profile"], in_process)
        runs = (*SIDES, IN_PROCESS)
        for round_ in range(rounds):
            order = runs[round_ % len(runs) :] + runs[: round_ % len(runs)]
            for side in order:
                if side == "floor":
                    breakdowns["floor"].append(plain_breakdown(floor))
                    seconds["floor"].append(breakdowns["floor"][-1].total)
                elif side == IN_PROCESS:
                    breakdowns[IN_PROCESS].append(sandboxed_breakdown(courses["profile"], in_process))
                else:
                    whole, job = _grade_batch(courses[side], students)
                    seconds[side].append(whole)
                    job_seconds[side].append(job)
            print(f"round {round_ + 1}: " + ", ".join(f"{s} {seconds[s][-1]:.2f} s" for s in SIDES), flush=True)
    profile_over_floor = [p / f for p, f in zip(seconds["profile"], seconds["floor"])]
    full_over_profile = [f / p for f, p in zip(seconds["full"], seconds["profile"])]
    return {
        "batch": batch,
        "seconds": {side: [round(s, 2) for s in values] for side, values in seconds.items()},
        "job_seconds": {side: [round(s, 2) for s in values] for side, values in job_seconds.items()},
        "median_s": {side: round(statistics.median(values), 2) for side, values in seconds.items()},
        "profile_over_floor": [round(r, 2) for r in profile_over_floor],
        "full_over_profile": [round(r, 2) for r in full_over_profile],
        "median_profile_over_floor": round(statistics.median(profile_over_floor), 2),
        "median_full_over_profile": round(statistics.median(full_over_profile), 2),
        "breakdown_s": breakdown_table(breakdowns, seconds["profile"], job_seconds["profile"]),
        "slowest_grade_cells_s": {side: slowest_grade_cells(runs) for side, runs in breakdowns.items()},
        "context_before": before,
        "context_after": machine_context(),
    }


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def breakdown_table(
    breakdowns: dict[str, list[Breakdown]], profile_whole: list[float], profile_job: list[float]
) -> dict[str, dict[str, float]]:
    """``{part: {run: median seconds}}`` for the floor and the in-process profile execution, and the
    profile's costs around that execution (medians of differences; module docstring)."""
    table: dict[str, dict[str, float]] = {
        part: {side: _median([b.parts[part] for b in runs]) for side, runs in breakdowns.items()} for part in PARTS
    }
    table["executing the notebook, total"] = {
        side: _median([b.total for b in runs]) for side, runs in breakdowns.items()
    }
    in_process_total = statistics.median(b.total for b in breakdowns[IN_PROCESS])
    table["nbgrader autograde around the execution"] = {
        "profile": round(statistics.median(profile_job) - in_process_total, 2)
    }
    table["grade_submissions around the job"] = {
        "profile": _median([whole - job for whole, job in zip(profile_whole, profile_job)])
    }
    return table


def slowest_grade_cells(runs: list[Breakdown]) -> dict[str, float]:
    """The `SLOWEST_SHOWN` grade cells with the largest median seconds over ``runs``."""
    medians = {cell: _median([run.grade_cells[cell] for run in runs]) for cell in runs[0].grade_cells}
    return dict(sorted(medians.items(), key=lambda item: -item[1])[:SLOWEST_SHOWN])


def render_breakdown(result: dict[str, Any]) -> str:
    """The breakdown as a Markdown table, then the slowest grade cells of each run."""
    sides = ["floor", IN_PROCESS, "profile"]
    lines = ["| part | " + " | ".join(sides) + " |", "| --- |" + " --- |" * len(sides)]
    for part, values in result["breakdown_s"].items():
        lines.append(f"| {part} | " + " | ".join(f"{values[s]:.2f}" if s in values else "" for s in sides) + " |")
    for side, cells in result["slowest_grade_cells_s"].items():
        lines.append(f"slowest grade cells, {side}: " + ", ".join(f"{cell} {s:.2f}" for cell, s in cells.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each side once per round in rotating order")
    parser.add_argument("--batch", type=int, default=3, help="submissions graded per call (default: 3)")
    args = parser.parse_args(argv)
    result = measure(args.rounds, args.batch)
    print(json.dumps(result, indent=2))
    print(render_breakdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
