"""Cross-field checks of a submission: do its numbers agree with each other?

Each check reads only values of the right type and range; a value the schema already rejects
(missing, wrong type, not positive) is skipped here, so one mistake is reported once.

- ``percentile-order``: p50 <= p90 <= p95 <= p99 in each report.
- ``inconsistent-size``: model_size_mb = parameter_count x bytes per parameter / 1024**2
  (`tinytorch.schema.BYTES_PER_PARAMETER`), within ``RATIO_RELATIVE_TOLERANCE``.
- ``inconsistent-improvement``: speedup recomputed by its ``speedup_method`` (the median of
  ``speedup_rounds`` for ``interleaved_rounds``; baseline p50 / optimized p50 for ``p50_ratio``
  and when the method is absent, as in 1.0.0 documents) and compression = baseline model_size_mb /
  optimized model_size_mb within ``RATIO_RELATIVE_TOLERANCE``;
  accuracy_delta = optimized accuracy - baseline accuracy within
  ``ACCURACY_DELTA_ABSOLUTE_TOLERANCE``. The tolerances accept numbers rounded to three
  significant digits, nothing coarser.
- ``system-mismatch``: platform, machine, python_version and numpy_version equal in the
  baseline's, the optimized model's and the submission's system_info.
- ``batch-size-mismatch``: both models measured at the same batch size.
- ``schema`` for a timestamp of the right shape that is no real date (2026-02-30), in case the
  optional date-time format checker of ``jsonschema`` is not installed.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from course_tools.submissions.problems import Problem, json_path, show
from tinytorch.schema import BYTES_PER_MB, BYTES_PER_PARAMETER

RATIO_RELATIVE_TOLERANCE = 0.01
INTERLEAVED = "interleaved_rounds"
ACCURACY_DELTA_ABSOLUTE_TOLERANCE = 0.0005
PERCENTILE_FIELDS = ("latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99")
SAME_SYSTEM_FIELDS = ("platform", "machine", "python_version", "numpy_version")
REPORTS = ("baseline", "optimized")


@dataclass(frozen=True)
class DerivedImprovements:
    """Improvements recomputed from the metrics; ``None`` where an input is missing or invalid.
    A ratio of valid inputs can still be 0 or inf when they are extreme."""

    speedup: float | None
    compression: float | None
    accuracy_delta: float | None
    speedup_formula: str = "baseline latency_ms_p50 / optimized latency_ms_p50"


def lookup(document: Any, *parts: str) -> Any:
    """The value at ``parts`` inside nested objects, or ``None`` when any step is absent."""
    value = document
    for part in parts:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def finite_number(value: Any) -> float | None:
    """``value`` as a float when it is a finite JSON number (not a boolean), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def positive_number(value: Any) -> float | None:
    number = finite_number(value)
    return number if number is not None and number > 0 else None


def whole_count(value: Any) -> float | None:
    """``value`` when it is a whole number >= 1 (JSON allows ``3`` or ``3.0``), else ``None``."""
    number = finite_number(value)
    return number if number is not None and number >= 1 and number.is_integer() else None


def positive_numbers(value: Any) -> list[float] | None:
    """``value`` as floats when it is a non-empty list of positive finite numbers, else ``None``."""
    if not isinstance(value, list) or not value:
        return None
    numbers = [number for number in (positive_number(item) for item in value) if number is not None]
    return numbers if len(numbers) == len(value) else None


def accuracy_fraction(value: Any) -> float | None:
    number = finite_number(value)
    return number if number is not None and 0.0 <= number <= 1.0 else None


def derive_improvements(document: Any) -> DerivedImprovements:
    """speedup by the document's method (the median of ``speedup_rounds`` when measured in
    interleaved rounds, else baseline p50 / optimized p50), compression = baseline MB /
    optimized MB, accuracy_delta = optimized accuracy - baseline accuracy."""
    base_p50 = positive_number(lookup(document, "baseline", "metrics", "latency_ms_p50"))
    opt_p50 = positive_number(lookup(document, "optimized", "metrics", "latency_ms_p50"))
    base_mb = positive_number(lookup(document, "baseline", "metrics", "model_size_mb"))
    opt_mb = positive_number(lookup(document, "optimized", "metrics", "model_size_mb"))
    base_acc = accuracy_fraction(lookup(document, "baseline", "metrics", "accuracy"))
    opt_acc = accuracy_fraction(lookup(document, "optimized", "metrics", "accuracy"))
    if lookup(document, "improvements", "speedup_method") == INTERLEAVED:
        rounds = positive_numbers(lookup(document, "improvements", "speedup_rounds"))
        return DerivedImprovements(
            speedup=statistics.median(rounds) if rounds else None,
            compression=_ratio(base_mb, opt_mb),
            accuracy_delta=opt_acc - base_acc if opt_acc is not None and base_acc is not None else None,
            speedup_formula="the median of speedup_rounds",
        )
    return DerivedImprovements(
        speedup=_ratio(base_p50, opt_p50),
        compression=_ratio(base_mb, opt_mb),
        accuracy_delta=opt_acc - base_acc if opt_acc is not None and base_acc is not None else None,
    )


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator of two positive finite numbers; may overflow to inf or underflow
    to 0 (e.g. a 5e-324 ms latency), which the checks then report rather than skip."""
    if numerator is None or denominator is None:
        return None
    try:
        return numerator / denominator
    except OverflowError:
        return math.inf


def consistency_problems(document: Any) -> list[Problem]:
    """Every cross-field inconsistency of ``document`` (any shape is accepted)."""
    problems: list[Problem] = []
    for report in REPORTS:
        problems.extend(_percentile_order(document, report))
        problems.extend(_size_consistency(document, report))
    problems.extend(_improvement_consistency(document))
    problems.extend(_same_system(document))
    problems.extend(_same_batch_size(document))
    return problems


def timestamp_problems(document: Any, skip_paths: set[str]) -> list[Problem]:
    """Timestamps that look right but are no real date-time (checked unless already reported)."""
    problems = []
    for parts in (["timestamp"], ["baseline", "timestamp"], ["optimized", "timestamp"]):
        path = json_path(parts)
        value = lookup(document, *parts)
        if path in skip_paths or not isinstance(value, str):
            continue
        if parse_utc_timestamp(value) is None:
            problems.append(Problem(path, "schema", f"{show(value)} is not a real ISO 8601 date-time in UTC"))
    return problems


def parse_utc_timestamp(text: str) -> datetime | None:
    """Parse an ISO 8601 timestamp with a zero UTC offset; ``None`` when it is not one."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None
    offset = moment.utcoffset()
    if offset is None or offset.total_seconds() != 0:
        return None
    return moment


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


def _size_consistency(document: Any, report: str) -> Iterator[Problem]:
    metrics = lookup(document, report, "metrics")
    count = whole_count(lookup(metrics, "parameter_count"))
    precision = lookup(metrics, "precision")
    size_mb = positive_number(lookup(metrics, "model_size_mb"))
    if count is None or not isinstance(precision, str) or precision not in BYTES_PER_PARAMETER or size_mb is None:
        return
    expected_mb = count * BYTES_PER_PARAMETER[precision] / BYTES_PER_MB
    if not math.isclose(size_mb, expected_mb, rel_tol=RATIO_RELATIVE_TOLERANCE):
        yield Problem(
            json_path([report, "metrics", "model_size_mb"]),
            "inconsistent-size",
            f"model_size_mb {size_mb:g} MB does not match parameter_count x bytes per {precision} parameter / 1024**2 "
            f"= {count:.0f} x {BYTES_PER_PARAMETER[precision]} / 1048576 = {expected_mb:.6g} MB",
        )


def _improvement_consistency(document: Any) -> Iterator[Problem]:
    derived = derive_improvements(document)
    improvements = lookup(document, "improvements")
    ratio_checks = (
        ("speedup", derived.speedup, derived.speedup_formula),
        ("compression", derived.compression, "baseline model_size_mb / optimized model_size_mb"),
    )
    for field, recomputed, formula in ratio_checks:
        claimed = positive_number(lookup(improvements, field))
        if claimed is None or recomputed is None:
            continue
        if not math.isclose(claimed, recomputed, rel_tol=RATIO_RELATIVE_TOLERANCE):
            yield Problem(
                json_path(["improvements", field]),
                "inconsistent-improvement",
                f"{field} {claimed:g} does not match {formula} = {recomputed:.4g} "
                f"(relative tolerance {RATIO_RELATIVE_TOLERANCE:.0%})",
            )
    claimed_delta = finite_number(lookup(improvements, "accuracy_delta"))
    if claimed_delta is not None and not -1.0 <= claimed_delta <= 1.0:
        return
    if claimed_delta is None or derived.accuracy_delta is None:
        return
    if abs(claimed_delta - derived.accuracy_delta) > ACCURACY_DELTA_ABSOLUTE_TOLERANCE:
        yield Problem(
            json_path(["improvements", "accuracy_delta"]),
            "inconsistent-improvement",
            f"accuracy_delta {claimed_delta:g} does not match optimized accuracy - baseline accuracy "
            f"= {derived.accuracy_delta:.4g} (absolute tolerance {ACCURACY_DELTA_ABSOLUTE_TOLERANCE:g})",
        )


def _same_system(document: Any) -> Iterator[Problem]:
    reference = lookup(document, "baseline", "system_info")
    for where in (["optimized", "system_info"], ["system_info"]):
        other = lookup(document, *where)
        for field in SAME_SYSTEM_FIELDS:
            expected = lookup(reference, field)
            actual = lookup(other, field)
            if isinstance(expected, str) and isinstance(actual, str) and expected != actual:
                yield Problem(
                    json_path(where + [field]),
                    "system-mismatch",
                    f"{field} {show(actual)} differs from the baseline's {show(expected)}: "
                    "baseline and optimized must be measured on the same system",
                )


def _same_batch_size(document: Any) -> Iterator[Problem]:
    base = whole_count(lookup(document, "baseline", "metrics", "batch_size"))
    optimized = whole_count(lookup(document, "optimized", "metrics", "batch_size"))
    if base is not None and optimized is not None and base != optimized:
        yield Problem(
            json_path(["optimized", "metrics", "batch_size"]),
            "batch-size-mismatch",
            f"optimized batch_size {optimized:.0f} differs from the baseline's {base:.0f}: "
            "latencies at different batch sizes are not comparable",
        )
