"""What re-measuring a class costs: ``reproduce`` on a folder of distinct artifacts, timed.

    python -m benchmarks.reproduce_cost [--class-size 10]

``class-size`` honest submissions (``benchmarks.honest_claims``), each with its own artifact
(int8, keep ratios spread over 0.1 to 0.9), re-measured by ``reproduce`` at its defaults; the
time is scaled to 100 submissions in proportion, an upper bound: the rounds are linear in the
number of artifacts, but the looks' process starts and gaps are paid once (run two class sizes
to separate the fixed part from the part per artifact). Whether the rule passes honest
claims and flags doctored ones is ``benchmarks.reproduce_intervals``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.honest_claims import honest_submission
from course_tools.reproduce.run import reproduce
from tinytorch import Recipe


def cost(class_size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for index in range(class_size):
            keep = 0.1 + 0.8 * index / max(1, class_size - 1)
            honest_submission(root / f"s{index:03d}", f"s{index:03d}", Recipe(round(keep, 3), 0, "int8"), runs=50)
        started = time.perf_counter()
        outcome = reproduce(root)
        seconds = time.perf_counter() - started
        print(
            f"reproduce: {class_size} submissions, {outcome.context['artifacts_measured']} artifacts, "
            f"{seconds:.1f} s; scaled to 100 in proportion (an upper bound): {seconds * 100 / class_size:.0f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--class-size", type=int, default=10)
    cost(parser.parse_args().class_size)


if __name__ == "__main__":
    main()
