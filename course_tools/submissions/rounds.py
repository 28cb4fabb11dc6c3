"""Checks of the figures measured in rounds (schema 1.1.0): do they agree with what they summarise?

- ``inconsistent-rounds``: a report's ``latency_ms_p50`` is the median of its
  ``latency_ms_round_p50s`` (within ``RATIO_RELATIVE_TOLERANCE``), and its
  ``latency_p50_spread`` is (max - min) / median of them (within ``SPREAD_ABSOLUTE_TOLERANCE``).
- ``inconsistent-improvement``: the ratio of the two reports' p50s lies within
  ``SPEEDUP_AGREEMENT_FACTOR`` of the range of the interleaved per-round ratios
  (``speedup_rounds``). Both describe the same two models on the same machine, so a larger gap
  means the rounds or the reports belong elsewhere. Like is compared with like: the reports' ratio
  is one pair of p50s, each measured in its own machine state, so it is set against the ratios
  single rounds gave (whose range shows how far this machine's states move the ratio), not against
  their median; the factor covers the level shift between the two reports' moments. Measured with
  the reference solution's submission cells beside two or three CPU-bound processes on the 2-core
  course machine (16 submissions, load average 3 to 15): the median ratio lay up to 1.40x from
  the reports' ratio (rounds 1.12 to 2.11, reports 1.18), close to the 1.5x it was once held to,
  while the reports' ratio lay at most 1.04x outside the range of the rounds.
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
from course_tools.submissions.improvements import INTERLEAVED
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
    ratios = positive_numbers(lookup(document, "improvements", "speedup_rounds"))
    base_p50 = positive_number(lookup(document, "baseline", "metrics", "latency_ms_p50"))
    opt_p50 = positive_number(lookup(document, "optimized", "metrics", "latency_ms_p50"))
    if not ratios or base_p50 is None or opt_p50 is None:
        return
    from_reports = base_p50 / opt_p50
    if not 0 < from_reports < math.inf:
        return
    low, high = min(ratios) / SPEEDUP_AGREEMENT_FACTOR, max(ratios) * SPEEDUP_AGREEMENT_FACTOR
    if not low <= from_reports <= high:
        yield Problem(
            json_path(["improvements", "speedup_rounds"]),
            "inconsistent-improvement",
            f"the reports' baseline p50 / optimized p50 = {from_reports:.4g} lies more than "
            f"{SPEEDUP_AGREEMENT_FACTOR}x outside the range of the interleaved rounds ({min(ratios):.4g} to "
            f"{max(ratios):.4g}): the rounds and the reports must measure the same two models on the same machine",
        )
