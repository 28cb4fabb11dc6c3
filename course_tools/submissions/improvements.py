"""The improvements a submission claims: are they the ones its metrics give?

``inconsistent-improvement``: speedup recomputed by its ``speedup_method`` (the median of
``speedup_rounds`` for ``interleaved_rounds``; baseline p50 / optimized p50 for ``p50_ratio``
and when the method is absent, as in 1.0.0 documents) and compression = baseline model_size_mb /
optimized model_size_mb within ``RATIO_RELATIVE_TOLERANCE``; accuracy_delta = optimized accuracy
- baseline accuracy within ``ACCURACY_DELTA_ABSOLUTE_TOLERANCE``. The tolerances accept numbers
rounded to three significant digits, nothing coarser.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from course_tools.submissions.fields import (
    RATIO_RELATIVE_TOLERANCE,
    accuracy_fraction,
    finite_number,
    lookup,
    positive_number,
    positive_numbers,
)
from course_tools.submissions.problems import Problem, json_path

INTERLEAVED = "interleaved_rounds"
ACCURACY_DELTA_ABSOLUTE_TOLERANCE = 0.0005


@dataclass(frozen=True)
class DerivedImprovements:
    """Improvements recomputed from the metrics; ``None`` where an input is missing or invalid.
    A ratio of valid inputs can still be 0 or inf when they are extreme."""

    speedup: float | None
    compression: float | None
    accuracy_delta: float | None
    speedup_formula: str = "baseline latency_ms_p50 / optimized latency_ms_p50"


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


def improvement_problems(document: Any) -> list[Problem]:
    """Every claimed improvement that differs from its recomputation (module docstring)."""
    return list(_improvement_consistency(document))


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
