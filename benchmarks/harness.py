"""Benchmarks of the measuring harness itself and of the models it measures.

Every comparison is measured side by side in one run, alternating the two sides over several
rounds, and reported as the median of the per-round ratios: the machines are shared and noisy,
so absolute times drift between runs while ratios measured together hold.
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from benchmarks import models_summary, repeatability
from tinytorch import load_model


@dataclass
class Figure:
    """One measured figure with its target and whether the target is met."""

    area: str
    measure: str
    value: str
    target: str
    met: bool | None


def _p50_ms(ref: SimpleNamespace, fn: Callable, x, runs: int) -> float:
    return float(np.median(ref.measure_latency(fn, x, warmup=20, runs=runs)))


def timer_fidelity(ref: SimpleNamespace, rounds: int = 5) -> list[Figure]:
    """Reference ``measure_latency`` p50 against ``timeit`` with autorange, baseline at batch 1."""
    model, x = load_model("baseline"), ref.X_test[:1]
    timer = timeit.Timer(lambda: model(x))
    number, _ = timer.autorange()
    ratios, ours, theirs = [], [], []
    for _ in range(rounds):
        our_p50 = _p50_ms(ref, model, x, runs=500)
        timeit_ms = statistics.median(t / number for t in timer.repeat(repeat=7, number=number)) * 1e3
        ours.append(our_p50)
        theirs.append(timeit_ms)
        ratios.append(our_p50 / timeit_ms)
    ratio = statistics.median(ratios)
    return [
        Figure(
            "fidelity",
            "measure_latency p50 / timeit (autorange, median of 7) per call, baseline batch 1",
            f"{ratio:.3f} ({statistics.median(ours):.4f} ms vs {statistics.median(theirs):.4f} ms)",
            "0.95-1.05",
            0.95 <= ratio <= 1.05,
        )
    ]


def stability(runs: int = 5) -> list[Figure]:
    """Repeatability over fresh processes (``benchmarks.repeatability``): the baseline's p50 and
    the student's speedup, with the machine as found and with one extra CPU-bound process."""
    as_found, loaded = repeatability.measure(runs)
    figures = []
    for run_set, target in ((as_found, 0.03), (loaded, None)):
        where = f"{run_set.condition}, load average {run_set.load_average:.2f} at start"
        values = ", ".join(f"{v:.4f}" for v in run_set.baseline_p50_ms)
        speedups = ", ".join(f"{v:.2f}" for v in run_set.speedups)
        figures += [
            Figure(
                "stability",
                f"CV of the baseline p50 over {runs} fresh reference-harness runs ({where})",
                f"{run_set.baseline_cv:.2%} (ms: {values})",
                "<= 3%" if target else "- (reported)",
                run_set.baseline_cv <= target if target else None,
            ),
            Figure(
                "stability",
                f"CV of the speedup a student obtains with the notebook's steps ({run_set.speedup_method}) "
                f"over the same {runs} runs ({where})",
                f"{run_set.speedup_cv:.2%} (x: {speedups})",
                "<= 3%" if target else "- (reported)",
                run_set.speedup_cv <= target if target else None,
            ),
        ]
    naive = as_found.naive_cv
    figures.append(
        Figure(
            "stability",
            f"CV of a naive harness (time.time, no warm-up, mean of 100) over the same {runs} runs (as found)",
            f"{naive:.2%} ({naive / as_found.baseline_cv:.1f}x our CV)" if as_found.baseline_cv > 0 else f"{naive:.2%}",
            "ours steadier",
            as_found.baseline_cv < naive,
        )
    )
    return figures


def timer_overhead(ref: SimpleNamespace) -> list[Figure]:
    """p50 of timing an empty function: the cost the harness adds to every timed call."""
    samples = ref.measure_latency(lambda _: None, None, warmup=1_000, runs=100_000)
    overhead_us = float(np.median(samples)) * 1e3
    return [
        Figure(
            "overhead",
            "measure_latency p50 of an empty function (timer + call overhead)",
            f"{overhead_us:.3f} µs",
            "<= 1 µs",
            overhead_us <= 1.0,
        )
    ]


def optimization() -> list[Figure]:
    """The shipped variants against the baseline (batch 1), from `benchmarks.models_summary`."""
    rows, _ = models_summary.collect()
    baseline = next(row for row in rows if row.model == "baseline")
    figures = []
    for row in rows:
        if row.model == "baseline":
            continue
        delta = row.accuracy - baseline.accuracy
        if row.model == "pruned-int8":
            target = "speedup >= 4x, compression >= 10x, |delta| <= 1 pt"
            met = row.speedup >= 4 and row.compression >= 10 and abs(delta) <= 0.01
        elif row.model == "int8":
            target, met = "compression ~4x, |delta| <= 1 pt", 3.5 <= row.compression <= 4.0 and abs(delta) <= 0.01
        elif row.model == "magnitude-90":
            target, met = "shown honestly: no smaller, no faster", row.compression == 1.0
        else:
            target, met = "-", None
        figures.append(
            Figure(
                "optimization",
                f"{row.model} vs baseline (batch 1, p50, median of per-round ratios)",
                f"speedup {row.speedup:.2f}x, compression {row.compression:.2f}x, accuracy {delta * 100:+.2f} pt, "
                f"{row.size_mb:.3f} MB, {row.zero_fraction:.0%} zero weights",
                target,
                met,
            )
        )
    return figures


def framework_overhead() -> list[Figure]:
    """tinytorch baseline forward against the same matmuls in raw numpy, batch 1."""
    ratio = models_summary.framework_overhead()
    return [
        Figure(
            "framework",
            "tinytorch baseline forward / raw numpy matmuls (p50, batch 1)",
            f"{ratio:.3f}x",
            "<= 1.15x",
            ratio <= 1.15,
        )
    ]
