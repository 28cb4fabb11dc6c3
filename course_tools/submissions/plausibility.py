"""Plausibility bounds: is an improvement within what the listed techniques can give?

Each technique name is sorted into families by keywords (case-insensitive, a name may belong
to several, e.g. "pruned-int8"):

- quantization: "quant", "int8", "int4", "fp16", "half", "8-bit", "8 bit";
- parameter removal: "prun", "distil", "low-rank", "low rank", "factoriz", "factoris",
  "sparse" (sparse storage), "neuron", "channel" -- except that a name containing "magnitude"
  or "unstructured" without "sparse" is dense sparsity: zeros stored densely remove nothing;
- training: "fine-tun", "finetun", "retrain", "calibrat" -- recovers accuracy, changes
  neither size nor work;
- anything else is a runtime technique (operator fusion, caching, ...).

From the metrics: precision ratio R = bytes per baseline parameter / bytes per optimized
parameter (fp32 = 4, fp16 = 2, int8 = 1, so at most 4) and parameter ratio P = baseline
parameter_count / optimized parameter_count. Then, with Q = R if a quantization technique is
listed else 1, and K = P if a parameter-removing technique is listed else 1:

1. compression <= Q x K (plus 1%): a model is only smaller by storing fewer bytes per parameter
   (quantization) or fewer parameters (removal). So int8 quantization alone compresses fp32 at
   most 4x, fp16 at most 2x, and dense magnitude pruning not at all.
2. speedup <= max(Q, 1) x max(K, 1) x (2 if a runtime technique is listed) x 2: the work per
   sample shrinks at most by the bytes moved (Q) and the parameters touched (K, FLOPs of an
   MLP grow with its parameters); a runtime technique is granted 2x; the final 2x allows for
   cache effects and timer noise. Dense magnitude pruning alone is thus allowed 2x at most.
3. Neither speedup nor compression above ``MAX_RATIO`` (1000x): no technique of this course
   comes near it; beyond it a timer or a size was broken or invented.

Speedup and compression are the ones recomputed from the metrics (see ``consistency``); the
claimed ones are checked against those separately. Failing a bound gives ``implausible``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from course_tools.submissions.consistency import (
    RATIO_RELATIVE_TOLERANCE,
    derive_improvements,
    lookup,
    whole_count,
)
from course_tools.submissions.problems import Problem, json_path
from tinytorch.schema import BYTES_PER_PARAMETER

QUANTIZATION = "quantization"
PARAMETER_REMOVAL = "parameter removal"
DENSE_SPARSITY = "dense sparsity"
TRAINING = "training"
RUNTIME = "runtime"

QUANTIZATION_KEYWORDS = ("quant", "int8", "int4", "fp16", "half", "8-bit", "8 bit")
PARAMETER_REMOVAL_KEYWORDS = (
    "prun",
    "distil",
    "low-rank",
    "low rank",
    "factoriz",
    "factoris",
    "sparse",
    "neuron",
    "channel",
)
DENSE_SPARSITY_KEYWORDS = ("magnitude", "unstructured")
TRAINING_KEYWORDS = ("fine-tun", "finetun", "retrain", "calibrat")
RUNTIME_SPEEDUP_ALLOWANCE = 2.0
MEASUREMENT_SLACK = 2.0
MAX_RATIO = 1000.0


def technique_families(technique: str) -> set[str]:
    """The families (see the module docstring) that one technique name belongs to."""
    name = technique.casefold()
    families: set[str] = set()
    if any(keyword in name for keyword in QUANTIZATION_KEYWORDS):
        families.add(QUANTIZATION)
    dense = any(keyword in name for keyword in DENSE_SPARSITY_KEYWORDS) and "sparse" not in name
    if dense:
        families.add(DENSE_SPARSITY)
    elif any(keyword in name for keyword in PARAMETER_REMOVAL_KEYWORDS):
        families.add(PARAMETER_REMOVAL)
    if any(keyword in name for keyword in TRAINING_KEYWORDS):
        families.add(TRAINING)
    if not families:
        families.add(RUNTIME)
    return families


def plausibility_problems(document: Any) -> list[Problem]:
    """Improvements beyond the bounds of the module docstring; empty when inputs are unusable."""
    techniques = lookup(document, "optimized", "techniques")
    if not isinstance(techniques, list) or not techniques or not all(isinstance(item, str) for item in techniques):
        return []
    families = set().union(*(technique_families(item) for item in techniques))
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
            "(structured pruning, distillation, low-rank factorization, sparse storage) is listed"
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
