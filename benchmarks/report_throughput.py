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
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from contextlib import ExitStack
from types import SimpleNamespace

from benchmarks.reference_solution import load_reference_solution
from benchmarks.repeatability import cpu_bound_process
from course_tools.submissions.latencies import THROUGHPUT_HIGH_FACTOR

NEW = "fastest burst (report)"
OLD = "median of rounds (before)"


def median_of_rounds(reference: SimpleNamespace, runs: int = 50, rounds: int = 7, pause_s: float = 0.05) -> float:
    """The report's former throughput: the median of one ``runs``-call measurement per round."""
    model, x_batch = reference.baseline, reference.X_test[:1]
    throughputs = []
    for index in range(rounds):
        if index > 0:
            time.sleep(pause_s)
        reference.measure_latency(model, x_batch, warmup=10 if index == 0 else 0, runs=runs)
        throughputs.append(reference.measure_throughput(model, x_batch, warmup=0, runs=runs))
    return float(statistics.median(throughputs))


def measure(reports: int, busy: int) -> tuple[dict[str, list[float]], list[float]]:
    """``({estimator: figures}, [throughput x p50 / 1000 of each report])``."""
    reference = load_reference_solution()
    figures: dict[str, list[float]] = {NEW: [], OLD: []}
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
    return figures, ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=6, help="fresh reports to make (default: 6)")
    parser.add_argument("--busy", type=int, default=2, help="CPU-bound processes running beside (default: 2)")
    args = parser.parse_args(argv)
    print(f"{args.reports} reports beside {args.busy} CPU-bound processes; load average {os.getloadavg()[0]:.2f}")
    figures, ratios = measure(args.reports, args.busy)
    for method, values in figures.items():
        print(f"{method}: {[round(v) for v in values]} samples/s; max/min {max(values) / min(values):.3f}")
    print(
        f"{NEW}: throughput x p50 / 1000 from {min(ratios):.2f} to {max(ratios):.2f} "
        f"(validator's upper bound {THROUGHPUT_HIGH_FACTOR:g})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
