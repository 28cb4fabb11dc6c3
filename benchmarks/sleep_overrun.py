"""How far ``time.sleep`` overruns beside busy processes: the margin of the grade cells' sleeping fakes.

    python -m benchmarks.sleep_overrun [--busy 0 3 6] [--sleeps 300]

The checks of ``measure_latency`` and ``measure_throughput`` time fakes that sleep. Load can only
lengthen a sleep (the process wakes late), never shorten it, so a timed call of the fake is never
shorter than its sleep; how much longer it gets bounds what a check may assume. The units checks
bound the median of 7 or 8 calls of 2 or 3 ms (their warm-up calls return at once, so a timed one
shows as a latency near 0 without any margin); the rate checks time 2 and 4 ms calls (after 40 ms
warm-ups in the hidden one). For each number of CPU-bound processes beside (the repeatability
benchmark's ``cpu_bound_process``) and each duration the fakes use, this prints the median, p90,
p99 and largest overrun of ``--sleeps`` sleeps, and the largest median of 8 consecutive ones.
"""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack

import numpy as np

from benchmarks.repeatability import cpu_bound_process

DURATIONS_S = (0.002, 0.003, 0.004)
CHECKED_MEDIAN_OF = 8


def overruns_ms(duration_s: float, sleeps: int) -> np.ndarray:
    """Milliseconds each of ``sleeps`` sleeps of ``duration_s`` lasted beyond ``duration_s``."""
    lasted = np.empty(sleeps)
    for index in range(sleeps):
        started = time.perf_counter()
        time.sleep(duration_s)
        lasted[index] = time.perf_counter() - started
    return (lasted - duration_s) * 1e3


def describe(overrun: np.ndarray) -> str:
    medians = [np.median(overrun[i : i + CHECKED_MEDIAN_OF]) for i in range(0, len(overrun), CHECKED_MEDIAN_OF)]
    p50, p90, p99 = np.percentile(overrun, [50, 90, 99])
    return (
        f"overrun median {p50:.2f} ms, p90 {p90:.2f}, p99 {p99:.2f}, max {overrun.max():.2f}; "
        f"largest median of {CHECKED_MEDIAN_OF} {max(medians):.2f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, nargs="+", default=[0, 3, 6], help="CPU-bound processes beside")
    parser.add_argument("--sleeps", type=int, default=300, help="sleeps per duration (default: 300)")
    args = parser.parse_args(argv)
    for busy in args.busy:
        with ExitStack() as stack:
            for _ in range(busy):
                stack.enter_context(cpu_bound_process())
            for duration_s in DURATIONS_S:
                print(
                    f"beside {busy} busy, sleep {duration_s * 1e3:g} ms: {describe(overruns_ms(duration_s, args.sleeps))}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
