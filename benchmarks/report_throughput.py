"""How far apart two runs put the report's throughput on a busy machine.

    python -m benchmarks.report_throughput [--reports 4]

Step 11's ``BenchmarkReport`` (the reference solution) measures the baseline's batch-1 throughput
as the median of its rounds; beside it, one 20-call ``measure_throughput`` (what the report used
before). Every report is made fresh, all beside one CPU-bound process (the repeatability
benchmark's `cpu_bound_process`). Prints each figure and max / min of each method.
"""

from __future__ import annotations

import argparse

from benchmarks.reference_solution import load_reference_solution
from benchmarks.repeatability import cpu_bound_process


def measure(reports: int) -> dict[str, list[float]]:
    reference = load_reference_solution()
    figures: dict[str, list[float]] = {"report (median of rounds)": [], "one 20-call measurement": []}
    with cpu_bound_process():
        for _ in range(reports):
            report = reference.BenchmarkReport("baseline")
            metrics = report.benchmark_model(reference.baseline, reference.X_test, reference.y_test, batch_size=1)
            figures["report (median of rounds)"].append(float(metrics["throughput_samples_per_sec"]))
            figures["one 20-call measurement"].append(
                float(reference.measure_throughput(reference.baseline, reference.X_test[:1]))
            )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=4, help="fresh reports to make (default: 4)")
    args = parser.parse_args(argv)
    for method, values in measure(args.reports).items():
        print(f"{method}: {[round(v) for v in values]} samples/s; max/min {max(values) / min(values):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
