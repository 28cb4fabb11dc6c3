"""Start-up of the submission commands: ``python -m course_tools validate`` on one file."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import Figure

ROOT = Path(__file__).resolve().parents[1]
ONE_SUBMISSION = ROOT / "tests" / "submission_corpus" / "good" / "alice.json"
TARGET_S = 0.5


def validate_one_file(runs: int = 9) -> list[Figure]:
    """Wall-clock seconds of a whole ``validate`` process (interpreter start included), after one
    untimed run that warms the file cache."""
    command = [sys.executable, "-m", "course_tools", "validate", str(ONE_SUBMISSION)]
    seconds = []
    for index in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        if index:
            seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return [
        Figure(
            "start-up",
            f"`python -m course_tools validate` one file, whole process (median of {runs})",
            f"{median:.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f})",
            f"<= {TARGET_S} s",
            median <= TARGET_S,
        )
    ]
