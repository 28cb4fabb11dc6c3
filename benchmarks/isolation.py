"""Per-submission cost of the grading isolation layer (course_tools/grading/README.md).

Two parts, each measured side by side in alternating rounds (medians):

- kernel: `SandboxedExecute` running a one-cell notebook with the kernel in bubblewrap against the
  same without isolation (``unsafe_no_isolation``): the difference is what bwrap, the empty view
  and the Unix-socket transport add to each kernel start (a submission starts one kernel, more
  only after crashes);
- private course: `private_course.stage_run`, `import_result` and the checks of
  `verify_and_repair` for 8 submissions on a scratch copy of this course with its real gradebook,
  divided by 8 (the gradebook check before each import grows with the students already imported).

The preflight (`check_before_grading`, once per grading run) is reported on its own.
Run alone: ``python -m benchmarks.isolation``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from contextlib import chdir
from pathlib import Path

from nbformat.v4 import new_code_cell, new_notebook

from benchmarks.harness import Figure
from course_tools.course import copy_course, ensure_tools_on_path, nbgrader_config
from course_tools.facts import ASSIGNMENT_ID
from course_tools.grading.nbgrader_plugins.execute import SandboxedExecute
from course_tools.grading.orchestrator import private_course
from course_tools.grading.orchestrator.config import load_course_settings
from course_tools.grading.orchestrator.gradebook import record_zero
from course_tools.grading.orchestrator.preflight import check_before_grading
from course_tools.release import register_assignment
from course_tools.samples import SubmissionBuilder

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.3


def _run_one_cell(isolated: bool, folder: str) -> float:
    execute = SandboxedExecute(
        kernel_packages=["tinytorch"],
        unsafe_no_isolation=not isolated,
        bwrap_path="bwrap" if isolated else "no-such-bwrap-for-the-benchmark",
    )
    notebook = new_notebook(cells=[new_code_cell("x = 1")])
    started = time.perf_counter()
    execute.preprocess(notebook, {"metadata": {"path": folder}})
    return time.perf_counter() - started


def kernel_overhead(rounds: int) -> tuple[float, list[float], list[float]]:
    """(median of per-round differences, isolated seconds, unisolated seconds)."""
    isolated: list[float] = []
    plain: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-isolation-") as folder:
        _run_one_cell(True, folder), _run_one_cell(False, folder)  # warm-up: imports, caches
        for index in range(rounds):
            order = (True, False) if index % 2 == 0 else (False, True)
            for mode in order:
                (isolated if mode else plain).append(_run_one_cell(mode, folder))
    return statistics.median(a - b for a, b in zip(isolated, plain)), isolated, plain


def private_course_overhead(rounds: int, students: int = 8) -> tuple[list[float], float]:
    """(seconds per submission to stage, import and check private courses, per round; preflight seconds).

    Each round stages ``students`` submissions of the reference, gives each a result in its private
    gradebook (not timed: it stands in for the autograde), then imports them one by one with the
    gradebook check before each, and checks the files at the end, as `grade_submissions` does.
    """
    names = [f"student-{index}" for index in range(students)]
    with tempfile.TemporaryDirectory(prefix="bench-private-") as base:
        root = copy_course(ROOT, Path(base) / "course")
        (Path(base) / "register").mkdir()
        register_assignment(root, Path(base) / "register")
        builder = SubmissionBuilder(root)
        for name in names:
            builder.write(name, builder.reference_solution())
        settings = load_course_settings(root)
        started = time.perf_counter()
        check_before_grading(root, nbgrader_config(root), unsafe_no_isolation=False)
        preflight = time.perf_counter() - started
        per_submission = []
        for _ in range(rounds + 1):
            started = time.perf_counter()
            staging = private_course.stage_run(settings, ASSIGNMENT_ID, names)
            spent = time.perf_counter() - started
            for name in names:
                record_zero(staging.courses[name], ASSIGNMENT_ID, name, ["capstone"])
                started = time.perf_counter()
                private_course.verify_and_repair(settings, staging, ASSIGNMENT_ID, files=False)
                private_course.import_result(settings, staging, staging.courses[name], ASSIGNMENT_ID, name)
                spent += time.perf_counter() - started
            started = time.perf_counter()
            private_course.verify_and_repair(settings, staging, ASSIGNMENT_ID, files=True)
            private_course.close(staging)
            per_submission.append((spent + time.perf_counter() - started) / students)
        return per_submission[1:], preflight


def overhead(rounds: int = 8) -> list[Figure]:
    ensure_tools_on_path()
    with chdir(ROOT):
        kernel, isolated, plain = kernel_overhead(rounds)
    private, preflight = private_course_overhead(max(2, rounds // 2))
    total = kernel + statistics.median(private)
    return [
        Figure(
            "isolation",
            f"per submission: kernel in bwrap vs not (one-cell notebook, median of {rounds} "
            "alternating rounds) + private course copy, import and check",
            f"{total:.3f} s (kernel +{kernel:.3f} s: {statistics.median(isolated):.2f} s vs "
            f"{statistics.median(plain):.2f} s; private copy {statistics.median(private):.3f} s per submission of 8)",
            f"<= {TARGET_S} s",
            total <= TARGET_S,
        ),
        Figure(
            "isolation",
            "preflight once per grading run (bwrap probe, kernel imports in the sandbox)",
            f"{preflight:.2f} s",
            "-",
            None,
        ),
    ]


if __name__ == "__main__":
    for figure in overhead():
        print(f"{figure.measure}: {figure.value} (target {figure.target}, met {figure.met})")
    sys.exit(0)
