"""How far apart fresh reports put the baseline's batch-1 throughput, old estimator beside new.

    python -m benchmarks.report_throughput [--reports 6] [--busy 2]

Step 11's ``BenchmarkReport`` (the reference solution) keeps the **fastest** of the short
throughput bursts it times in every round. Beside each report, the estimator it replaced runs the
same rounds the old way (``measure_latency``, then one ``measure_throughput`` of ``runs`` calls,
``pause_s`` apart) and keeps the **median** of the round throughputs. The two alternate, report by
report, so both see the same machine states. Everything runs beside ``--busy`` CPU-bound processes
(the repeatability benchmark's ``cpu_bound_process``; 0 for the machine as found). Prints each
figure, max / min of each estimator (the target: <= 1.10), the load average at the start, and, for
the new figure, throughput x p50 / (1000 x batch), which the validator bounds by
``THROUGHPUT_HIGH_FACTOR``.

Then the same number of **probed reports**: the report's rounds again, each model burst followed
by one burst of a fixed NumPy workload that is not the model (``probe_workload``: a 1x1024 by
1024x1024 float32 product, about the baseline's 4 MB, ten calls a burst). Per probed report the
fastest model burst and the fastest probe burst are kept. When the two move together from report to
report (their correlation, and max / min of their ratio far below each one's), the spread of the
report's figure is the machine's own speed changing, which no estimator of a report can remove.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from types import SimpleNamespace
from typing import Any

import numpy as np

from benchmarks.reference_solution import load_reference_solution
from benchmarks.repeatability import cpu_bound_process
from course_tools.submissions.latencies import THROUGHPUT_HIGH_FACTOR

NEW = "fastest burst (report)"
OLD = "median of rounds (before)"
PROBED_MODEL = "probed reports, fastest model burst"
PROBE = "probed reports, fastest probe burst"
_PROBE_SIDE = 1024


def probe_workload() -> Callable[[object], np.ndarray]:
    """A fixed workload that is not the model: ``fn(x)`` multiplies a 1x1024 vector by a 1024x1024
    float32 matrix (4 MB), ignoring ``x``."""
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((_PROBE_SIDE, _PROBE_SIDE)).astype(np.float32)
    vector = rng.standard_normal((1, _PROBE_SIDE)).astype(np.float32)
    return lambda x: vector @ matrix


def report_rounds(reference: SimpleNamespace, rounds: int = 7, runs: int = 50, pause_s: float = 0.05) -> Iterator[None]:
    """Step 11's round structure on the baseline at batch 1: before each round, ``pause_s`` of sleep
    (none before the first) and one ``runs``-call latency measurement (10 warm-up calls in the
    first); the caller times its throughput in the body of each round."""
    model, x_batch = reference.baseline, reference.X_test[:1]
    for index in range(rounds):
        if index > 0:
            time.sleep(pause_s)
        reference.measure_latency(model, x_batch, warmup=10 if index == 0 else 0, runs=runs)
        yield


def probed_report(
    reference: SimpleNamespace,
    probe: Callable[[object], np.ndarray],
    bursts: int = 5,
    burst_runs: int = 10,
    **rounds: Any,
) -> tuple[float, float]:
    """The report's rounds (``report_rounds``, its keywords in ``rounds``) with a probe burst after
    every model burst: (fastest model burst, fastest probe burst), in samples (calls of the probe)
    per second."""
    model, x_batch = reference.baseline, reference.X_test[:1]
    model_bursts, probe_bursts = [], []
    for _ in report_rounds(reference, **rounds):
        for _ in range(bursts):
            model_bursts.append(reference.measure_throughput(model, x_batch, warmup=0, runs=burst_runs))
            probe_bursts.append(reference.measure_throughput(probe, x_batch, warmup=0, runs=burst_runs))
    return max(model_bursts), max(probe_bursts)


def median_of_rounds(reference: SimpleNamespace, runs: int = 50, **rounds: Any) -> float:
    """The report's former throughput: the median of one ``runs``-call measurement per round."""
    model, x_batch = reference.baseline, reference.X_test[:1]
    throughputs = [
        reference.measure_throughput(model, x_batch, warmup=0, runs=runs)
        for _ in report_rounds(reference, runs=runs, **rounds)
    ]
    return float(statistics.median(throughputs))


def pairs_within(values: list[float], factor: float) -> float:
    """The fraction of pairs of ``values`` whose larger is at most ``factor`` x the smaller."""
    pairs = list(itertools.combinations(values, 2))
    return sum(max(a, b) <= factor * min(a, b) for a, b in pairs) / len(pairs)


def measure(reports: int, busy: int) -> tuple[dict[str, list[float]], list[float]]:
    """``({estimator, probed model or probe: figures}, [throughput x p50 / 1000 of each report])``."""
    reference = load_reference_solution()
    figures: dict[str, list[float]] = {NEW: [], OLD: [], PROBED_MODEL: [], PROBE: []}
    probe = probe_workload()
    ratios = []
    with ExitStack() as stack:
        for _ in range(busy):
            stack.enter_context(cpu_bound_process())
        for _ in range(reports):
            metrics = reference.BenchmarkReport("baseline").benchmark_model(
                reference.baseline, reference.X_test, reference.y_test, batch_size=1
            )
            figures[NEW].append(float(metrics["throughput_samples_per_sec"]))
            ratios.append(metrics["throughput_samples_per_sec"] * metrics["latency_ms_p50"] / 1000.0)
            figures[OLD].append(median_of_rounds(reference))
        for _ in range(reports):
            fastest_model, fastest_probe = probed_report(reference, probe)
            figures[PROBED_MODEL].append(fastest_model)
            figures[PROBE].append(fastest_probe)
    return figures, ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=6, help="fresh reports to make (default: 6)")
    parser.add_argument("--busy", type=int, default=2, help="CPU-bound processes running beside (default: 2)")
    args = parser.parse_args(argv)
    print(f"{args.reports} reports beside {args.busy} CPU-bound processes; load average {os.getloadavg()[0]:.2f}")
    figures, ratios = measure(args.reports, args.busy)
    for method, values in figures.items():
        print(
            f"{method}: {[round(v) for v in values]} per s; max/min {max(values) / min(values):.3f}; "
            f"pairs of reports within 10%: {pairs_within(values, 1.10):.0%}"
        )
    model, probe = np.array(figures[PROBED_MODEL]), np.array(figures[PROBE])
    ratio = model / probe
    print(
        f"probed reports: model / probe max/min {ratio.max() / ratio.min():.3f}; "
        f"correlation of model and probe {np.corrcoef(model, probe)[0, 1]:.2f}"
    )
    print(
        f"{NEW}: throughput x p50 / 1000 from {min(ratios):.2f} to {max(ratios):.2f} "
        f"(validator's upper bound {THROUGHPUT_HIGH_FACTOR:g})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
