"""Side-by-side latency of a baseline and many models, in one process: paired interleaved rounds.

The method the notebook teaches (and ``benchmarks/models_summary.py`` uses), written once here for
the instructor tools: BLAS pinned to one thread (threadpoolctl), batch 1 (one test image), every
model warmed up, then ``rounds`` rounds separated by ``pause_s`` seconds of sleep. In each round
every model is timed right next to a block of the baseline, each block ``runs`` calls timed one by
one with ``time.perf_counter``; the order inside a pair alternates between rounds (baseline first,
then model first) so neither side always gets the warmer cache. A model's speedup is the median
over rounds of baseline p50 / model p50 of the same pair: the machine's slow drifts and performance
states hit both sides of a pair alike. Some states change the ratio itself (a memory-bound
baseline and a cache-resident model feel a busy neighbour differently) and last seconds, so the
pauses spread the rounds over several seconds whatever the number of models, as the notebook's
``compare_latency`` does.

Cost: ``rounds x models x runs x (baseline + model latency)``, linear in the number of models,
plus ``(rounds - 1) x pause_s`` once.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

Model = Callable[[np.ndarray], object]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class SideBySide:
    """Per model: the round p50s of the model and of the baseline block paired with it (ms), and
    the per-round speedups baseline p50 / model p50."""

    model_p50s_ms: list[float]
    baseline_p50s_ms: list[float]

    @property
    def speedup_rounds(self) -> list[float]:
        return [base / model for base, model in zip(self.baseline_p50s_ms, self.model_p50s_ms)]

    @property
    def speedup(self) -> float:
        """Median over rounds of the paired ratios."""
        return statistics.median(self.speedup_rounds)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.model_p50s_ms)


def block_p50_ms(model: Model, x: np.ndarray, runs: int) -> float:
    """p50 in ms of ``runs`` calls ``model(x)``, each timed alone."""
    samples = np.empty(runs)
    for index in range(runs):
        start = time.perf_counter()
        model(x)
        samples[index] = time.perf_counter() - start
    return float(np.median(samples)) * 1e3


def check_timing(rounds: int, runs: int, warmup: int, pause_s: float) -> None:
    """Raise ``ValueError`` naming the settings when they cannot measure anything."""
    if rounds < 1 or runs < 1 or warmup < 0 or pause_s < 0:
        raise ValueError(
            f"need rounds >= 1, runs >= 1, warmup >= 0, pause_s >= 0; got {rounds}, {runs}, {warmup}, {pause_s}"
        )


def measure_side_by_side(
    baseline: Model,
    models: Mapping[str, Model],
    x: np.ndarray,
    rounds: int = 21,
    runs: int = 30,
    warmup: int = 20,
    progress: Progress | None = None,
    pause_s: float = 0.25,
) -> dict[str, SideBySide]:
    """Every model of ``models`` against ``baseline`` on input ``x`` (see the module docstring)."""
    check_timing(rounds, runs, warmup, pause_s)
    results = {name: SideBySide([], []) for name in models}
    if not models:
        return results
    with threadpool_limits(limits=1, user_api="blas"):
        for model in (baseline, *models.values()):
            for _ in range(warmup):
                model(x)
        for round_index in range(rounds):
            if round_index > 0:
                time.sleep(pause_s)
            baseline_first = round_index % 2 == 0
            for name, model in models.items():
                if baseline_first:
                    base_p50 = block_p50_ms(baseline, x, runs)
                    model_p50 = block_p50_ms(model, x, runs)
                else:
                    model_p50 = block_p50_ms(model, x, runs)
                    base_p50 = block_p50_ms(baseline, x, runs)
                results[name].model_p50s_ms.append(model_p50)
                results[name].baseline_p50s_ms.append(base_p50)
            if progress is not None:
                progress(f"round {round_index + 1}/{rounds}: {len(models)} model(s) timed against the baseline")
    return results
