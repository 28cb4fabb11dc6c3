"""Checks of the figures measured in rounds (schema 1.1.0): do they agree with what they summarise?

- ``inconsistent-rounds``: a report's ``latency_ms_p50`` is the median of its
  ``latency_ms_round_p50s`` (within ``RATIO_RELATIVE_TOLERANCE``), and its
  ``latency_p50_spread`` is (max - min) / median of them (within ``SPREAD_ABSOLUTE_TOLERANCE``).
- ``inconsistent-improvement``: an interleaved speedup (the median of per-round ratios, checked
  in ``improvements``) may differ from the ratio of the two reports' p50s, which were measured at
  other moments, but not by more than ``SPEEDUP_AGREEMENT_FACTOR``: both describe the same two
  models on the same machine, so a larger gap means the rounds or the reports belong elsewhere.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator
from typing import Any

from course_tools.submissions.fields import (
    RATIO_RELATIVE_TOLERANCE,
    REPORTS,
    finite_number,
    lookup,
    positive_number,
    positive_numbers,
)
from course_tools.submissions.improvements import INTERLEAVED, derive_improvements
from course_tools.submissions.problems import Problem, json_path

SPREAD_ABSOLUTE_TOLERANCE = 0.001
SPEEDUP_AGREEMENT_FACTOR = 1.5


def rounds_problems(document: Any) -> list[Problem]:
    """Every disagreement between figures measured in rounds and the figures they summarise."""
    problems: list[Problem] = []
    for report in REPORTS:
        problems.extend(_round_p50s(document, report))
    problems.extend(_speedup_agreement(document))
    return problems


def relative_range(values: list[float]) -> float:
    """(max - min) / median: the spread between rounds as a fraction of the reported centre."""
    return (max(values) - min(values)) / statistics.median(values)


def _round_p50s(document: Any, report: str) -> Iterator[Problem]:
    metrics = lookup(document, report, "metrics")
    rounds = positive_numbers(lookup(metrics, "latency_ms_round_p50s"))
    if rounds is None:
        return
    p50 = positive_number(lookup(metrics, "latency_ms_p50"))
    median = statistics.median(rounds)
    if p50 is not None and not math.isclose(p50, median, rel_tol=RATIO_RELATIVE_TOLERANCE):
        yield Problem(
            json_path([report, "metrics", "latency_ms_p50"]),
            "inconsistent-rounds",
            f"latency_ms_p50 {p50:g} ms is not the median of latency_ms_round_p50s = {median:.6g} ms "
            f"(relative tolerance {RATIO_RELATIVE_TOLERANCE:.0%})",
        )
    spread = finite_number(lookup(metrics, "latency_p50_spread"))
    expected = relative_range(rounds)
    if spread is not None and spread >= 0 and abs(spread - expected) > SPREAD_ABSOLUTE_TOLERANCE:
        yield Problem(
            json_path([report, "metrics", "latency_p50_spread"]),
            "inconsistent-rounds",
            f"latency_p50_spread {spread:g} is not (max - min) / median of latency_ms_round_p50s = {expected:.4g} "
            f"(absolute tolerance {SPREAD_ABSOLUTE_TOLERANCE:g})",
        )


def _speedup_agreement(document: Any) -> Iterator[Problem]:
    if lookup(document, "improvements", "speedup_method") != INTERLEAVED:
        return
    interleaved = derive_improvements(document).speedup
    base_p50 = positive_number(lookup(document, "baseline", "metrics", "latency_ms_p50"))
    opt_p50 = positive_number(lookup(document, "optimized", "metrics", "latency_ms_p50"))
    if interleaved is None or interleaved <= 0 or base_p50 is None or opt_p50 is None:
        return
    from_reports = base_p50 / opt_p50
    if not 0 < from_reports < math.inf:
        return
    if max(interleaved / from_reports, from_reports / interleaved) > SPEEDUP_AGREEMENT_FACTOR:
        yield Problem(
            json_path(["improvements", "speedup_rounds"]),
            "inconsistent-improvement",
            f"the interleaved speedup {interleaved:.4g} (median of speedup_rounds) and the reports' "
            f"baseline p50 / optimized p50 = {from_reports:.4g} differ by more than {SPEEDUP_AGREEMENT_FACTOR}x: "
            "the rounds and the reports must measure the same two models on the same machine",
        )
