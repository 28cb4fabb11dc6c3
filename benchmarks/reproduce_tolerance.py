"""Where the reproduce tolerance comes from, and what re-measuring a class costs.

    python -m benchmarks.reproduce_tolerance [--repeats 2] [--class-size 10]

1. Honest claims: for each recipe, a submission is measured with the notebook's reference harness
   (``benchmarks.honest_claims.honest_submission``) on a quiet machine and again while two busy
   loops load both cores; ``reproduce`` then re-measures every artifact side by side with nothing
   else of ours running. Printed: claimed / re-measured speedup per submission; the largest one is
   what ``verdict.SPEEDUP_TOLERANCE`` must exceed.
2. Cost: ``reproduce`` on a folder of ``class-size`` submissions (distinct artifacts), timed,
   extrapolated linearly to 100 (the measurement is linear in the number of artifacts).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.honest_claims import honest_submission
from course_tools.reproduce.run import reproduce
from tinytorch import Recipe

RECIPES = (
    Recipe(0.25, 3, "int8"),
    Recipe(0.5, 2, "fp32"),
    Recipe(1.0, 0, "fp16"),
    Recipe(0.1, 5, "int8"),
    Recipe(0.5, 4, "int8"),
)


def _busy_loops(count: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def tolerance(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for repeat in range(repeats):
            for index, recipe in enumerate(RECIPES):
                honest_submission(root / f"quiet{repeat}-{index}", f"quiet{repeat}-{index}", recipe)
                hogs = _busy_loops(2)
                try:
                    honest_submission(root / f"loaded{repeat}-{index}", f"loaded{repeat}-{index}", recipe)
                finally:
                    for hog in hogs:
                        hog.kill()
                        hog.wait()
        outcome = reproduce(root, progress=lambda message: print(message, file=sys.stderr))
        ratios = []
        for item in outcome.submissions:
            assert item.claimed and item.measured, item
            ratio = item.claimed["speedup"] / item.measured["speedup"]
            ratios.append(ratio)
            print(
                f"{item.file:32} claimed {item.claimed['speedup']:7.3f}x  re-measured {item.measured['speedup']:7.3f}x"
                f"  ratio {ratio:5.2f}  {item.verdict}"
            )
        print(f"claimed / re-measured: min {min(ratios):.2f}, max {max(ratios):.2f} over {len(ratios)} honest claims")
        print(f"load average during the run: {outcome.context['load_average_start']}")


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
            f"{seconds:.1f} s; linear extrapolation to 100: {seconds * 100 / class_size:.0f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--class-size", type=int, default=10)
    args = parser.parse_args()
    tolerance(args.repeats)
    cost(args.class_size)


if __name__ == "__main__":
    main()
