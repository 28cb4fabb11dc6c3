"""tinytorch.verdicts: each verdict is decided on the numbers it prints, as printed."""

from __future__ import annotations

import numpy as np
import pytest

from tinytorch import verdicts


def comparison(ratios, p50_a=None, p50_b=None, interval=None, confidence=0.95):
    """A compare_latency-shaped result; ``interval`` (low, high) is given, as compare_latency would
    attach it (None: fewer than 5 rounds)."""
    ratios = [float(r) for r in ratios]
    p50_a = p50_a if p50_a is not None else [0.2] * len(ratios)
    p50_b = p50_b if p50_b is not None else [a / r for a, r in zip(p50_a, ratios)]
    attached = None if interval is None else {
        "low": interval[0], "high": interval[1], "confidence": confidence, "resamples": 2000, "seed": 0,
        "method": "percentile_bootstrap_median"}
    return {"speedup": float(np.median(ratios)), "ratios": ratios, "p50_a_ms": p50_a, "p50_b_ms": p50_b,
            "interval": attached}


@pytest.mark.parametrize(
    ("ratios", "interval", "expected"),
    [
        ([1.8, 1.9, 2.0, 2.1, 2.2], (1.9, 2.1), "2.00x [1.90, 2.10] (95% interval, 5 rounds): faster"),
        ([0.93, 0.95, 0.97, 1.0, 1.02], (0.95, 1.0), "0.97x [0.95, 1.00] (95% interval, 5 rounds): within noise"),
        ([0.3, 0.35, 0.4, 0.32, 0.38], (0.32, 0.38), "0.35x [0.32, 0.38] (95% interval, 5 rounds): slower"),
        ([0.3, 0.35, 0.4], None, "0.35x (3 rounds, too few for an interval): not judged"),
    ],
)
def test_speed_clause_states_the_median_its_interval_and_the_verdict(ratios, interval, expected):
    assert verdicts.speed_clause(comparison(ratios, interval=interval)) == expected


def test_speed_verdict_is_decided_on_the_interval_as_printed():
    # The low end is 1.0004: printed as 1.00, so it cannot be called faster than 1.00.
    clause = verdicts.speed_clause(comparison([1.0004] * 3 + [1.2] * 17, interval=(1.0004, 1.2)))
    assert "[1.00, 1.20] (95% interval, 20 rounds): within noise" in clause, clause


def test_the_clause_states_the_confidence_the_interval_was_computed_at():
    clause = verdicts.speed_clause(comparison([1.4, 1.5, 1.6, 1.5, 1.5], interval=(1.45, 1.55), confidence=0.9))
    assert clause == "1.50x [1.45, 1.55] (90% interval, 5 rounds): faster", clause


def test_size_and_floor_clauses():
    assert verdicts.size_clause(4.0) == "size 4.00x: smaller"
    assert verdicts.size_clause(1.0) == "size 1.00x: no smaller"
    assert verdicts.size_clause(0.5) == "size 0.50x: larger"
    assert verdicts.floor_clause(0.99, 0.98) == "accuracy 0.9900 >= floor 0.9800: meets the floor"
    assert verdicts.floor_clause(0.98, 0.98) == "accuracy 0.9800 >= floor 0.9800: meets the floor"
    assert verdicts.floor_clause(0.97, 0.98) == "accuracy 0.9700 < floor 0.9800: below the floor"


def test_together_clause_follows_the_correlation_of_the_round_p50s():
    state = np.array([1.0, 1.3, 1.0, 1.6, 1.1, 1.0])
    assert verdicts.together_clause(0.2 * state, 0.05 * state).endswith("r = 1.00: they moved together")
    apart = verdicts.together_clause(0.2 * state, 0.05 * state[::-1])
    assert apart.endswith(": they did not move together"), apart
    assert verdicts.together_clause([0.2] * 4, [0.1, 0.2, 0.1, 0.2]).endswith("r = 0.00: they did not move together")


def test_narrowing_clause_compares_same_round_with_different_round_spreads():
    state = np.array([1.0, 1.0, 1.3, 1.3, 1.0])
    shared = comparison([4.0] * 5, list(0.2 * state), list(0.05 * state))
    assert verdicts.narrowing_clause(shared) == (
        "same-round ratios spread 0% vs different-round 53%: interleaving narrowed the spread")
    # The second model's own noise, no shared state: pairing cannot help.
    rng = np.random.default_rng(0)
    p50_b = list(rng.uniform(0.04, 0.06, 9))
    own = comparison([0.2 / b for b in p50_b], [0.2] * 9, p50_b)
    assert verdicts.narrowing_clause(own).endswith("interleaving did not narrow the spread")
