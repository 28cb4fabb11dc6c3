"""Each report's latency statistics and throughput: do they describe one set of samples?

- ``percentile-order``: p50 <= p90 <= p95 <= p99.
- ``inconsistent-latency``: abs(mean - median) <= std, which holds for any set of samples; 1% of
  the p50 (``LATENCY_RELATIVE_TOLERANCE``) absorbs rounding.
- ``inconsistent-throughput``: batch x 1000 / (mean x L) <= throughput <= batch x 1000 x H / p50,
  with L = ``THROUGHPUT_LOW_FACTOR`` and H = ``THROUGHPUT_HIGH_FACTOR``.

Tolerances from measurements. Throughput is timed in a separate, short loop (20 calls) from the
latency samples, so under load the two disagree: preemptions inflate the latency mean far above
the p50, and hit the short throughput loop or not. Measured with the reference harness on the
2-core course machine under load (load average 6-9, or two busy loops on both cores), 30 reports
of baseline, int8, pruned-int8 and pruned fp32 models at batch 1 and 32:
throughput x mean / (1000 x batch) was 0.56 to 8.6, never below 0.5; throughput x p50 /
(1000 x batch) (10 of the reports) 0.15 to 0.92, never above 1. The notebook now keeps the
fastest of many short throughput bursts (10 calls each), while the latencies come from other
moments: in a CI run sharing the machine with a benchmark the reference's throughput x mean /
(1000 x batch) came out at 0.12 (a throughput window in a slow state); with the fastest burst,
throughput x p50 / (1000 x batch) was 1.04 to 1.36 over 12 baseline reports, beside two busy
processes or none (``python -m benchmarks.report_throughput``). So the lower bound uses the mean with
``THROUGHPUT_LOW_FACTOR`` = 20 and the upper bound the p50 with ``THROUGHPUT_HIGH_FACTOR`` = 5; a
throughput computed for another batch size (32x off at batch 32) or invented apart from the
latencies still falls outside. ``|mean - median| <= std`` held with at most 0.61 std in those runs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from course_tools.submissions.fields import REPORTS, finite_number, lookup, positive_number, whole_count
from course_tools.submissions.problems import Problem, json_path

PERCENTILE_FIELDS = ("latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99")
THROUGHPUT_LOW_FACTOR = 20.0
THROUGHPUT_HIGH_FACTOR = 5.0
LATENCY_RELATIVE_TOLERANCE = 0.01


def latency_problems(document: Any) -> list[Problem]:
    """Every disagreement between one report's latency statistics and throughput (module docstring)."""
    problems: list[Problem] = []
    for report in REPORTS:
        problems.extend(_percentile_order(document, report))
        problems.extend(_throughput(document, report))
        problems.extend(_mean_median(document, report))
    return problems


def _percentile_order(document: Any, report: str) -> Iterator[Problem]:
    metrics = lookup(document, report, "metrics")
    values = {field: positive_number(lookup(metrics, field)) for field in PERCENTILE_FIELDS}
    for low_field, high_field in itertools.pairwise(PERCENTILE_FIELDS):
        low, high = values[low_field], values[high_field]
        if low is not None and high is not None and high < low:
            yield Problem(
                json_path([report, "metrics", high_field]),
                "percentile-order",
                f"{high_field} = {high:g} ms is below {low_field} = {low:g} ms; "
                "percentiles must satisfy p50 <= p90 <= p95 <= p99",
            )


def _throughput(document: Any, report: str) -> Iterator[Problem]:
    metrics = lookup(document, report, "metrics")
    throughput = positive_number(lookup(metrics, "throughput_samples_per_sec"))
    mean = positive_number(lookup(metrics, "latency_ms_mean"))
    p50 = positive_number(lookup(metrics, "latency_ms_p50"))
    batch = whole_count(lookup(metrics, "batch_size"))
    if throughput is None or mean is None or p50 is None or batch is None:
        return
    low = batch * 1000.0 / (mean * THROUGHPUT_LOW_FACTOR)
    high = batch * 1000.0 * THROUGHPUT_HIGH_FACTOR / p50
    if not low <= throughput <= high:
        yield Problem(
            json_path([report, "metrics", "throughput_samples_per_sec"]),
            "inconsistent-throughput",
            f"throughput {throughput:g} samples/s contradicts the latencies at batch_size {batch:.0f}: it must lie "
            f"between batch x 1000 / (latency_ms_mean x {THROUGHPUT_LOW_FACTOR:g}) = {low:.4g} and batch x 1000 x "
            f"{THROUGHPUT_HIGH_FACTOR:g} / latency_ms_p50 = {high:.4g} samples/s (was it measured at another batch size?)",
        )


def _mean_median(document: Any, report: str) -> Iterator[Problem]:
    metrics = lookup(document, report, "metrics")
    mean = positive_number(lookup(metrics, "latency_ms_mean"))
    p50 = positive_number(lookup(metrics, "latency_ms_p50"))
    std = finite_number(lookup(metrics, "latency_ms_std"))
    if mean is None or p50 is None or std is None or std < 0:
        return
    if abs(mean - p50) > std + LATENCY_RELATIVE_TOLERANCE * p50:
        yield Problem(
            json_path([report, "metrics", "latency_ms_std"]),
            "inconsistent-latency",
            f"latency_ms_mean {mean:g} ms and latency_ms_p50 {p50:g} ms differ by more than latency_ms_std "
            f"{std:g} ms, which no set of samples allows (|mean - median| <= std; tolerance 1% of p50)",
        )
