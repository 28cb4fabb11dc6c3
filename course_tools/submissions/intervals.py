"""The speedup's confidence interval (schema 1.4.0): does it belong to the recorded rounds?

``inconsistent-interval``, for ``improvements.speedup_interval``:

- it contains the claimed ``speedup`` (the median of ``speedup_rounds``) and ``low <= high``;
- it needs at least ``bootstrap.MIN_ROUNDS`` ``speedup_rounds``;
- it is recomputable: the validator runs the method (`course_tools.bootstrap`) on
  ``speedup_rounds`` with the recorded ``seed``, ``resamples`` and ``confidence``. The notebook's
  reference solution gives the same interval bit for bit; another correct implementation draws
  other resamples, so each bound is accepted anywhere its Monte-Carlo error can put it.

The Monte-Carlo tolerance. A bound is the empirical ``q``-quantile of ``B = resamples`` bootstrap
medians (``q = (1 - confidence) / 2`` for ``low``, ``(1 + confidence) / 2`` for ``high``). Of
``B`` independent draws, the share falling below the true ``q``-quantile of the bootstrap
distribution is a binomial proportion with standard deviation ``sqrt(q (1 - q) / B)``; the
student's run and the validator's run are two such independent estimates, so the level their
bounds sit at differs by a standard deviation of ``sqrt(2 q (1 - q) / B)``. A bound passes when
it lies between the validator's bootstrap medians at levels ``q - d`` and ``q + d``, ``d =
MONTE_CARLO_Z x sqrt(2 q (1 - q) / B)`` (z = 4: a correct implementation is refused about once
in 16,000 bounds, by the normal approximation), widened by ``RATIO_RELATIVE_TOLERANCE`` so that
bounds rounded to three significant digits pass. At the notebook's 2,000 resamples and 95%
confidence, ``d`` is 0.014: ``low`` may sit anywhere from the 1.1th to the 3.9th percentile of
the bootstrap medians. Shifting a bound outside that band, or keeping the interval of other
rounds, is reported.

Recomputing costs ``resamples x rounds`` numbers; documents asking for more than
``RECOMPUTE_BUDGET`` are reported rather than recomputed (the schema bounds both, but not
their product).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from course_tools.bootstrap import MIN_ROUNDS, bootstrap_medians
from course_tools.submissions.fields import (
    RATIO_RELATIVE_TOLERANCE,
    finite_number,
    lookup,
    positive_number,
    positive_numbers,
)
from course_tools.submissions.problems import Problem, json_path

MONTE_CARLO_Z = 4.0
RECOMPUTE_BUDGET = 20_000_000
_PATH = ("improvements", "speedup_interval")
CODE = "inconsistent-interval"


def interval_problems(document: Any) -> list[Problem]:
    """Every disagreement between ``speedup_interval`` and the recorded rounds (module docstring)."""
    interval = lookup(document, *_PATH)
    if not isinstance(interval, dict):
        return []
    low = positive_number(interval.get("low"))
    high = positive_number(interval.get("high"))
    confidence = finite_number(interval.get("confidence"))
    if low is None or high is None or confidence is None or not 0 < confidence < 1:
        return []
    problems = list(_contains_the_point(document, low, high))
    if not problems:
        problems.extend(_recomputed(document, interval, low, high, confidence))
    return problems


def _problem(field: str, message: str) -> Problem:
    return Problem(json_path([*_PATH, field]), CODE, message)


def _contains_the_point(document: Any, low: float, high: float) -> Iterator[Problem]:
    if low > high:
        yield _problem("low", f"low {low:g} is above high {high:g}")
        return
    speedup = positive_number(lookup(document, "improvements", "speedup"))
    if speedup is not None and not low <= speedup <= high:
        yield _problem("low", f"the interval [{low:g}, {high:g}] does not contain the speedup {speedup:g}")


def _recomputed(
    document: Any, interval: dict[str, Any], low: float, high: float, confidence: float
) -> Iterator[Problem]:
    rounds = positive_numbers(lookup(document, "improvements", "speedup_rounds"))
    resamples = interval.get("resamples")
    seed = interval.get("seed")
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        return
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        return
    if rounds is None:
        yield _problem("low", "an interval needs the speedup_rounds it was computed from; there are none")
        return
    if len(rounds) < MIN_ROUNDS:
        yield _problem("low", f"an interval needs at least {MIN_ROUNDS} speedup_rounds; there are {len(rounds)}")
        return
    if resamples * len(rounds) > RECOMPUTE_BUDGET:
        yield _problem(
            "resamples",
            f"{resamples} resamples of {len(rounds)} rounds is more than the validator recomputes "
            f"({RECOMPUTE_BUDGET:,} numbers)",
        )
        return
    medians = bootstrap_medians(rounds, resamples, seed)
    for field, value, level in (("low", low, (1 - confidence) / 2), ("high", high, (1 + confidence) / 2)):
        band = monte_carlo_band(medians, level, resamples)
        if not band[0] * (1 - RATIO_RELATIVE_TOLERANCE) <= value <= band[1] * (1 + RATIO_RELATIVE_TOLERANCE):
            exact = float(np.percentile(medians, 100 * level))
            yield _problem(
                field,
                f"{field} {value:g} is not the {100 * level:g}th percentile of the bootstrap medians of "
                f"speedup_rounds = {exact:.4g} (seed {seed}, {resamples} resamples; another implementation's "
                f"Monte-Carlo error allows {band[0]:.4g} to {band[1]:.4g}, and 1% for rounding)",
            )


def monte_carlo_band(medians: np.ndarray, level: float, resamples: int) -> tuple[float, float]:
    """The values of ``medians`` at levels ``level -+ d`` (module docstring), clipped to [0, 1]."""
    spread = MONTE_CARLO_Z * math.sqrt(2 * level * (1 - level) / resamples)
    low, high = np.percentile(medians, [100 * max(0.0, level - spread), 100 * min(1.0, level + spread)])
    return float(low), float(high)
