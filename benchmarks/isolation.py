"""Per-submission cost of the grading isolation layer (course_tools/grading/README.md).

Two parts, each measured side by side in alternating rounds (medians):

- kernel: `SandboxedExecute` running a one-cell notebook with the kernel in bubblewrap against the
  same without isolation (``unsafe_no_isolation``): the difference is what bwrap, the empty view
  and the Unix-socket transport add to each kernel start (a submission starts one kernel, more
  only after crashes);
- private course: `private_course.stage_run` for one student, `import_result` and the gradebook
  check `verify_and_repair` on a scratch copy of this course with its real gradebook.

The preflight (`check_before_grading`, once per grading run) is reported on its own.
Run alone: ``python -m benchmarks.isolation``.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from contextlib import chdir
from pathlib import Path

from nbformat.v4 import new_code_cell, new_notebook

from benchmarks.harness import Figure
from course_tools.course import ASSIGNMENT_ID, copy_course, ensure_tools_on_path, nbgrader_config
from course_tools.grading import private_course
from course_tools.grading.config import load_course_settings
from course_tools.grading.execute import SandboxedExecute
from course_tools.grading.gradebook import record_zero
from course_tools.grading.preflight import check_before_grading
from course_tools.release import register_assignment
from course_tools.samples import SubmissionBuilder

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.3


def _run_one_cell(isolated: bool, folder: str) -> float:
    execute = SandboxedExecute(kernel_packages=["tinytorch"], unsafe_no_isolation=not isolated,
                               bwrap_path="bwrap" if isolated else "no-such-bwrap-for-the-benchmark")
    notebook = new_notebook(cells=[new_code_cell("x = 1")])
    started = time.perf_counter()
    execute.preprocess(notebook, {"metadata": {"path": folder}})
    return time.perf_counter() - started


def kernel_overhead(rounds: int) -> tuple[float, list[float], list[float]]:
    """(median of per-round differences, isolated seconds, unisolated seconds)."""
    isolated, plain = [], []
    with tempfile.TemporaryDirectory(prefix="bench-isolation-") as folder:
        _run_one_cell(True, folder), _run_one_cell(False, folder)  # warm-up: imports, caches
        for index in range(rounds):
            order = (True, False) if index % 2 == 0 else (False, True)
            for mode in order:
                (isolated if mode else plain).append(_run_one_cell(mode, folder))
    return statistics.median(a - b for a, b in zip(isolated, plain)), isolated, plain


def private_course_overhead(rounds: int) -> tuple[list[float], float]:
    """(seconds per submission to stage, import and check its private course; preflight seconds)."""
    with tempfile.TemporaryDirectory(prefix="bench-private-") as base:
        root = copy_course(ROOT, Path(base) / "course")
        (Path(base) / "register").mkdir()
        register_assignment(root, Path(base) / "register")
        builder = SubmissionBuilder(root)
        builder.write("reference", builder.reference_solution())
        settings = load_course_settings(root)
        started = time.perf_counter()
        check_before_grading(root, nbgrader_config(root), unsafe_no_isolation=False)
        preflight = time.perf_counter() - started
        seconds = []
        for _ in range(rounds + 1):
            started = time.perf_counter()
            staging = private_course.stage_run(settings, ASSIGNMENT_ID, ["reference"])
            private = staging.courses["reference"]
            staged = time.perf_counter()
            record_zero(private, ASSIGNMENT_ID, "reference", ["capstone"])  # stands in for the autograde
            resumed = time.perf_counter()
            private_course.import_result(settings, staging, private, ASSIGNMENT_ID, "reference")
            private_course.verify_and_repair(settings, staging, ASSIGNMENT_ID, files=True)
            private_course.close(staging)
            seconds.append(staged - started + time.perf_counter() - resumed)
        return seconds[1:], preflight


def overhead(rounds: int = 8) -> list[Figure]:
    ensure_tools_on_path()
    with chdir(ROOT):
        kernel, isolated, plain = kernel_overhead(rounds)
    private, preflight = private_course_overhead(rounds)
    total = kernel + statistics.median(private)
    return [
        Figure("isolation", f"per submission: kernel in bwrap vs not (one-cell notebook, median of {rounds} "
               "alternating rounds) + private course copy, import and check",
               f"{total:.3f} s (kernel +{kernel:.3f} s: {statistics.median(isolated):.2f} s vs "
               f"{statistics.median(plain):.2f} s; private copy {statistics.median(private):.3f} s)",
               f"<= {TARGET_S} s", total <= TARGET_S),
        Figure("isolation", "preflight once per grading run (bwrap probe, kernel imports in the sandbox)",
               f"{preflight:.2f} s", "-", None),
    ]


if __name__ == "__main__":
    for figure in overhead():
        print(f"{figure.measure}: {figure.value} (target {figure.target}, met {figure.met})")
    sys.exit(0)
