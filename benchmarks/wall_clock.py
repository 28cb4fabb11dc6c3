"""Whole runs timed by the wall clock: the source notebook, and the `validate` command's start-up.

Each figure is the median of several runs, ``time.perf_counter`` around the whole run, after one
untimed run that warms caches (files, bytecode, the kernel's imports).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from benchmarks.harness import Figure
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
ONE_SUBMISSION = ROOT / "tests" / "submission_corpus" / "good" / "alice.json"


def _median_figure(area: str, measure: str, run: Callable[[], object], runs: int, limit_s: float) -> Figure:
    seconds = []
    for index in range(runs + 1):
        start = time.perf_counter()
        run()
        if index:
            seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return Figure(
        area,
        f"{measure} (median of {runs})",
        f"{median:.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f})",
        f"<= {limit_s:g} s",
        median <= limit_s,
    )


def _execute_notebook() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-notebook-") as folder:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()


def notebook_runtime(runs: int = 3) -> list[Figure]:
    """The source notebook executed top to bottom in a fresh kernel."""
    measure = "source notebook, fresh kernel, top to bottom"
    return [_median_figure("notebook", measure, _execute_notebook, runs, limit_s=30)]


def validate_start_up(runs: int = 9) -> list[Figure]:
    """A whole ``python -m course_tools validate`` process on one file, interpreter start included."""
    command = [sys.executable, "-m", "course_tools", "validate", str(ONE_SUBMISSION)]
    measure = "`python -m course_tools validate` one file, whole process"
    return [
        _median_figure(
            "start-up", measure, lambda: subprocess.run(command, cwd=ROOT, check=True, capture_output=True), runs, 0.5
        )
    ]
