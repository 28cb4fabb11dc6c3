"""benchmarks/models_summary.py: the table's structure, its size figures, and how it aggregates
rounds of timings (with a scripted clock: no real timing is asserted)."""

import statistics

import numpy as np
import pytest

from benchmarks import models_summary
from tinytorch import MODEL_NAMES

# Scripted per-round p50 latencies (ms) of each model, three rounds.
ROUND_P50S = {
    "baseline": [1.0, 3.0, 2.0],
    "int8": [2.0, 2.0, 4.0],
    "pruned": [0.5, 0.25, 0.2],
    "pruned-int8": [0.1, 0.3, 0.4],
    "magnitude-90": [1.0, 3.0, 2.5],
}


def test_rows_cover_every_model_with_consistent_sizes():
    rows, context = models_summary.collect(runs=3, rounds=1, warmup=1)
    by_name = {row.model: row for row in rows}
    assert list(by_name) == list(MODEL_NAMES)
    assert by_name["baseline"].size_mb == pytest.approx(1_126_410 * 4 / 1024**2)
    assert by_name["int8"].size_mb == pytest.approx(1_126_410 / 1024**2)
    assert by_name["baseline"].speedup == 1.0 and by_name["baseline"].compression == 1.0
    assert by_name["int8"].compression == pytest.approx(4.0)
    assert by_name["pruned-int8"].compression >= 10
    assert by_name["magnitude-90"].compression == 1.0
    assert by_name["magnitude-90"].zero_fraction == pytest.approx(0.9, abs=1e-3)
    assert all(row.p50_ms > 0 for row in rows)
    assert context["batch_size"] == 1 and context["rounds"] == 1
    table = models_summary.format_table(rows)
    assert table.count("\n") == len(rows) + 1
    assert "pruned-int8" in table


def test_each_model_gets_the_median_and_spread_of_its_round_p50s_and_the_median_round_ratio(monkeypatch):
    assert set(ROUND_P50S) == set(MODEL_NAMES)
    warmup_calls = len(MODEL_NAMES)  # one untimed batch per model comes first
    calls = []

    def scripted(fn, x, runs):
        index = len(calls) - warmup_calls
        calls.append(fn)
        if index < 0:
            return np.zeros(runs)
        round_, position = divmod(index, len(MODEL_NAMES))
        return np.full(runs, ROUND_P50S[MODEL_NAMES[position]][round_])

    monkeypatch.setattr(models_summary, "time_calls_ms", scripted)
    rows, context = models_summary.collect(runs=5, rounds=3, warmup=2)
    assert len(calls) == warmup_calls + 3 * len(MODEL_NAMES) and context["rounds"] == 3
    base = ROUND_P50S["baseline"]
    for row in rows:
        p50s = ROUND_P50S[row.model]
        assert row.p50_ms == statistics.median(p50s)
        assert (row.p50_min_ms, row.p50_max_ms) == (min(p50s), max(p50s))
        assert row.speedup == pytest.approx(statistics.median(b / m for b, m in zip(base, p50s)))
    by_name = {row.model: row for row in rows}
    # medians of ratios, not ratios of medians: 2.0 / 2.0 would say 1.0
    assert by_name["int8"].speedup == pytest.approx(0.5)
