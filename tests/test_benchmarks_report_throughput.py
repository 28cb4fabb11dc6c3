"""benchmarks/report_throughput.py: pairs within a factor, and the probed report's interleaving (no timing here)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from benchmarks.report_throughput import pairs_within, probe_workload, probed_report


def test_pairs_within_counts_the_pairs_whose_ratio_is_at_most_the_factor():
    # Pairs: (100, 105) 1.05, (100, 120) 1.2, (105, 120) 1.14.
    assert pairs_within([100.0, 105.0, 120.0], 1.10) == pytest.approx(1 / 3)
    assert pairs_within([100.0, 105.0, 120.0], 1.20) == 1.0
    assert pairs_within([120.0, 100.0], 1.10) == 0.0


def test_the_probed_report_follows_every_model_burst_with_a_probe_burst_and_keeps_each_fastest():
    calls: list[str] = []
    model, probe = object(), object()
    rates = iter(range(1, 1000))

    def measure_latency(fn, x, warmup, runs):
        calls.append("latency")

    def measure_throughput(fn, x, warmup, runs):
        calls.append("model" if fn is model else "probe")
        return float(next(rates))

    reference = SimpleNamespace(
        baseline=model, X_test=np.zeros((4, 2)), measure_latency=measure_latency, measure_throughput=measure_throughput
    )
    fastest_model, fastest_probe = probed_report(reference, probe, rounds=2, bursts=3, pause_s=0.0)
    assert calls == ["latency", "model", "probe", "model", "probe", "model", "probe"] * 2
    # Rates rise call by call: the last model burst is the 11th call, the last probe burst the 12th.
    assert (fastest_model, fastest_probe) == (11.0, 12.0)


def test_the_probe_is_a_fixed_workload_that_ignores_its_input():
    probe = probe_workload()
    first, second = probe(None), probe(np.ones(3))
    assert first.shape == (1, 1024) and np.array_equal(first, second)
