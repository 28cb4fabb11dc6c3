"""benchmarks/sleep_overrun.py: a sleep never ends early, and the summary names the largest median of 8."""

from __future__ import annotations

import numpy as np

from benchmarks.sleep_overrun import describe, overruns_ms


def test_overruns_are_never_negative_and_one_per_sleep():
    overrun = overruns_ms(0.001, 5)
    assert overrun.shape == (5,) and np.all(overrun >= 0.0)


def test_the_summary_gives_the_largest_median_of_eight_consecutive_sleeps():
    # Medians of the two groups of 8: 1.0 and 3.0.
    overrun = np.array([1.0] * 8 + [3.0] * 8)
    summary = describe(overrun)
    assert "largest median of 8 3.00 ms" in summary and "max 3.00" in summary
