"""tinytorch.verdicts: each verdict is decided on the numbers it prints, as printed."""

from __future__ import annotations

import numpy as np
import pytest

from tinytorch import verdicts


def comparison(ratios, p50_a=None, p50_b=None):
    ratios = [float(r) for r in ratios]
    p50_a = p50_a if p50_a is not None else [0.2] * len(ratios)
    p50_b = p50_b if p50_b is not None else [a / r for a, r in zip(p50_a, ratios)]
    return {"speedup": float(np.median(ratios)), "ratios": ratios, "p50_a_ms": p50_a, "p50_b_ms": p50_b}


@pytest.mark.parametrize(
    ("ratios", "expected"),
    [
        ([1.8, 1.9, 2.0, 2.1, 2.2], "2.00x, p10-p90 of 5 rounds [1.84, 2.16]: faster"),
        ([0.93, 0.95, 0.97, 1.0, 1.02], "0.97x, p10-p90 of 5 rounds [0.94, 1.01]: within noise"),
        ([0.3, 0.35, 0.4], "0.35x, p10-p90 of 3 rounds [0.31, 0.39]: slower"),
    ],
)
def test_speed_clause_states_the_median_the_round_range_and_the_verdict(ratios, expected):
    assert verdicts.speed_clause(comparison(ratios)) == expected


def test_speed_verdict_is_decided_on_the_range_as_printed():
    # p10 is 1.0004: printed as 1.00, so it cannot be called faster than 1.00.
    ratios = [1.0004] * 3 + [1.2] * 17
    clause = verdicts.speed_clause(comparison(ratios))
    assert "[1.00, 1.20]: within noise" in clause, clause


def test_one_disturbed_round_does_not_flip_a_clear_speedup():
    clause = verdicts.speed_clause(comparison([0.8] + [1.5] * 20))
    assert clause.endswith(": faster"), clause


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
