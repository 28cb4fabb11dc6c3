"""Plausibility bounds: is an improvement within what the listed techniques can give?

Each technique is an id of the schema's vocabulary (``techniques``; a text label is read through
its fixed table), and each id belongs to one family:

- quantization: ``int8-quantization``, ``fp16-storage`` -- fewer bytes per parameter;
- parameter removal: ``structured-pruning`` -- whole neurons go, and their parameters with them;
- dense sparsity: ``magnitude-pruning`` -- zeros stored densely remove nothing;
- training: ``fine-tuning`` -- recovers accuracy, changes neither size nor work;
- runtime: ``other`` (operator fusion, caching, ...).

From the metrics: precision ratio R = bytes per baseline parameter / bytes per optimized
parameter (fp32 = 4, fp16 = 2, int8 = 1, so at most 4) and parameter ratio P = baseline
parameter_count / optimized parameter_count. Then, with Q = R if a quantization technique is
listed else 1, and K = P if a parameter-removing technique is listed else 1:

1. compression <= Q x K (plus 1%): a model is only smaller by storing fewer bytes per parameter
   (quantization) or fewer parameters (removal). So int8 quantization alone compresses fp32 at
   most 4x, fp16 at most 2x, and dense magnitude pruning not at all.
2. speedup <= max(Q, 1) x max(K, 1) x (2 if a runtime technique is listed) x 3: the work per
   sample shrinks at most by the bytes moved (Q) and the parameters touched (K, FLOPs of an
   MLP grow with its parameters); a runtime technique is granted 2x; the final 3x
   (``MEASUREMENT_SLACK``) allows for cache effects and timer noise. Measured: structured pruning
   of the baseline to half width (K = 3.74) ran 8.3x faster, 2.22x beyond K, because its
   weights then fit in the cache; no other keep ratio from 0.1 to 0.9 came above 1.67x beyond K.
   Dense magnitude pruning alone is thus allowed 3x at most.
3. Neither speedup nor compression above ``MAX_RATIO`` (1000x): no technique of this course
   comes near it; beyond it a timer or a size was broken or invented.

Speedup and compression are the ones recomputed from the metrics (see ``improvements``); the
claimed ones are checked against those separately. Failing a bound gives ``implausible``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from course_tools.submissions.fields import RATIO_RELATIVE_TOLERANCE, lookup, whole_count
from course_tools.submissions.improvements import derive_improvements
from course_tools.submissions.problems import Problem, json_path
from course_tools.submissions.techniques import technique_ids
from tinytorch.schema import BYTES_PER_PARAMETER

QUANTIZATION = "quantization"
PARAMETER_REMOVAL = "parameter removal"
DENSE_SPARSITY = "dense sparsity"
TRAINING = "training"
RUNTIME = "runtime"

FAMILIES: dict[str, str] = {
    "int8-quantization": QUANTIZATION,
    "fp16-storage": QUANTIZATION,
    "structured-pruning": PARAMETER_REMOVAL,
    "magnitude-pruning": DENSE_SPARSITY,
    "fine-tuning": TRAINING,
    "other": RUNTIME,
}
RUNTIME_SPEEDUP_ALLOWANCE = 2.0
MEASUREMENT_SLACK = 3.0
MAX_RATIO = 1000.0


def plausibility_problems(document: Any) -> list[Problem]:
    """Improvements beyond the bounds of the module docstring; empty when inputs are unusable."""
    ids = technique_ids(lookup(document, "optimized", "techniques"))
    if ids is None:
        return []
    families = {FAMILIES[technique] for technique in ids}
    ratios = _precision_and_parameter_ratios(document)
    derived = derive_improvements(document)
    problems: list[Problem] = []
    if derived.compression is not None and ratios is not None:
        problems.extend(_compression_bound(derived.compression, ratios, families))
    if derived.speedup is not None and ratios is not None:
        problems.extend(_speedup_bound(derived.speedup, ratios, families))
    for field, value in (("speedup", derived.speedup), ("compression", derived.compression)):
        if value is not None and value > MAX_RATIO:
            problems.append(
                Problem(
                    json_path(["improvements", field]),
                    "implausible",
                    f"{field} {value:.4g}x (recomputed from the metrics) is above the {MAX_RATIO:g}x "
                    "that no technique of this course comes near",
                )
            )
    return problems


def _precision_and_parameter_ratios(document: Any) -> tuple[float, float] | None:
    base_precision = lookup(document, "baseline", "metrics", "precision")
    opt_precision = lookup(document, "optimized", "metrics", "precision")
    base_count = whole_count(lookup(document, "baseline", "metrics", "parameter_count"))
    opt_count = whole_count(lookup(document, "optimized", "metrics", "parameter_count"))
    if not (isinstance(base_precision, str) and isinstance(opt_precision, str)):
        return None
    if base_precision not in BYTES_PER_PARAMETER or opt_precision not in BYTES_PER_PARAMETER:
        return None
    if base_count is None or opt_count is None:
        return None
    return BYTES_PER_PARAMETER[base_precision] / BYTES_PER_PARAMETER[opt_precision], base_count / opt_count


def _compression_bound(compression: float, ratios: tuple[float, float], families: set[str]) -> Iterator[Problem]:
    precision_ratio, parameter_ratio = ratios
    allowed = (precision_ratio if QUANTIZATION in families else 1.0) * (
        parameter_ratio if PARAMETER_REMOVAL in families else 1.0
    )
    if compression <= allowed * (1 + RATIO_RELATIVE_TOLERANCE):
        return
    reasons = []
    if precision_ratio > 1 and QUANTIZATION not in families:
        reasons.append(f"bytes per parameter fell {precision_ratio:g}x but no quantization technique is listed")
    if parameter_ratio > 1 + RATIO_RELATIVE_TOLERANCE and PARAMETER_REMOVAL not in families:
        reasons.append(
            f"the parameter count fell {parameter_ratio:.3g}x but no technique that removes parameters "
            "(structured-pruning) is listed"
        )
    explanation = "; ".join(reasons) if reasons else "the model sizes do not follow from the parameter counts"
    yield Problem(
        json_path(["improvements", "compression"]),
        "implausible",
        f"compression {compression:.4g}x exceeds the {allowed:.4g}x the listed techniques can give: {explanation}",
    )


def _speedup_bound(speedup: float, ratios: tuple[float, float], families: set[str]) -> Iterator[Problem]:
    precision_ratio, parameter_ratio = ratios
    allowed = MEASUREMENT_SLACK
    if QUANTIZATION in families:
        allowed *= max(precision_ratio, 1.0)
    if PARAMETER_REMOVAL in families:
        allowed *= max(parameter_ratio, 1.0)
    if RUNTIME in families:
        allowed *= RUNTIME_SPEEDUP_ALLOWANCE
    if speedup > allowed:
        yield Problem(
            json_path(["improvements", "speedup"]),
            "implausible",
            f"speedup {speedup:.4g}x exceeds the {allowed:.4g}x the listed techniques can give "
            f"({', '.join(sorted(families))}; precision ratio {precision_ratio:g}x, parameter ratio "
            f"{parameter_ratio:.3g}x, times {MEASUREMENT_SLACK:g} for cache effects and noise)",
        )
