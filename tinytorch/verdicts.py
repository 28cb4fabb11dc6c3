"""Verdicts computed from this run's numbers, for the notebook to print instead of asserting them.

Each verdict is one clause that states the numbers it is decided on, and decides on those numbers
*as printed* (rounded), so its words never contradict the figures beside it. The clauses have
fixed shapes, so a test can read them back:

- speed: ``1.93x [1.81, 2.05] (95% interval, 41 rounds): faster``: the median of the same-round
  ratios of a ``compare_latency`` result and the confidence interval of that median it carries
  (``interval``, step 5a); ``faster`` when the whole interval is above 1, ``slower`` when it is
  below 1, otherwise ``within noise``. A comparison of fewer than 5 rounds has no interval:
  ``1.93x (3 rounds, too few for an interval): not judged``;
- size: ``size 4.00x: smaller`` (``smaller``, ``no smaller`` or ``larger``);
- floor: ``accuracy 0.9965 >= floor 0.9900: meets the floor`` (or ``<``, ``below the floor``);
- together: ``correlation of the round p50s r = 0.72: they moved together`` (r >= 0.5, else
  ``they did not move together``);
- narrowing: ``same-round ratios spread 12% vs different-round 35%: interleaving narrowed the
  spread`` (or ``interleaving did not narrow the spread``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tinytorch.viz_rounds import cross_round_ratios, relative_range

TOGETHER_CORRELATION = 0.5


def interval_text(comparison: Mapping) -> str:
    """``1.93x [1.81, 2.05]``: a ``compare_latency`` result's speedup and its interval (``interval``:
    ``low`` and ``high``), to 2 decimals; the speedup alone when it has none."""
    speedup = f"{round(float(comparison['speedup']), 2):.2f}x"
    interval = comparison.get("interval")
    if interval is None:
        return speedup
    return f"{speedup} [{round(float(interval['low']), 2):.2f}, {round(float(interval['high']), 2):.2f}]"


def speed_clause(comparison: Mapping) -> str:
    """The speed verdict of a ``compare_latency`` result (``speedup``, ``ratios``, ``interval``): how
    many times faster its second function ran, with the confidence interval of that median."""
    rounds = len(list(comparison["ratios"]))
    interval = comparison.get("interval")
    if interval is None:
        return f"{interval_text(comparison)} ({rounds} rounds, too few for an interval): not judged"
    low, high = round(float(interval["low"]), 2), round(float(interval["high"]), 2)
    word = "faster" if low > 1.0 else "slower" if high < 1.0 else "within noise"
    confidence = round(100 * float(interval["confidence"]))
    return f"{interval_text(comparison)} ({confidence}% interval, {rounds} rounds): {word}"


def size_clause(compression: float) -> str:
    """The size verdict of ``baseline size / model size`` (counted or stored, as the caller says)."""
    ratio = round(float(compression), 2)
    word = "smaller" if ratio > 1.0 else "larger" if ratio < 1.0 else "no smaller"
    return f"size {ratio:.2f}x: {word}"


def floor_clause(accuracy: float, floor: float) -> str:
    """Whether ``accuracy`` meets the accuracy ``floor`` (both fractions, printed to 4 decimals)."""
    accuracy, floor = round(float(accuracy), 4), round(float(floor), 4)
    if accuracy >= floor:
        return f"accuracy {accuracy:.4f} >= floor {floor:.4f}: meets the floor"
    return f"accuracy {accuracy:.4f} < floor {floor:.4f}: below the floor"


def together_clause(p50_a_ms: Sequence[float], p50_b_ms: Sequence[float]) -> str:
    """Whether two models' round p50s rose and fell together: the correlation of their logarithms
    (0 when either is flat, as nothing then moves)."""
    a, b = np.log(np.asarray(p50_a_ms, dtype=float)), np.log(np.asarray(p50_b_ms, dtype=float))
    r = 0.0 if a.std() == 0 or b.std() == 0 else float(np.corrcoef(a, b)[0, 1])
    r = round(r, 2)
    word = "they moved together" if r >= TOGETHER_CORRELATION else "they did not move together"
    return f"correlation of the round p50s r = {r:.2f}: {word}"


def narrowing_clause(comparison: Mapping) -> str:
    """Whether same-round ratios spread less than ratios of different rounds (relative ranges)."""
    same = round(100 * relative_range(comparison["ratios"]))
    cross_ratios = cross_round_ratios(comparison["p50_a_ms"], comparison["p50_b_ms"])
    cross = round(100 * relative_range(cross_ratios)) if cross_ratios.size else same
    word = "interleaving narrowed the spread" if same < cross else "interleaving did not narrow the spread"
    return f"same-round ratios spread {same}% vs different-round {cross}%: {word}"
