"""Were both models measured under the same conditions?

- ``system-mismatch``: platform, machine, python_version and numpy_version equal in the
  baseline's, the optimized model's and the submission's system_info (load and extra context
  may differ).
- ``batch-size-mismatch``: both models measured at the same batch size.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from course_tools.submissions.fields import lookup, whole_count
from course_tools.submissions.problems import Problem, json_path, show

SAME_SYSTEM_FIELDS = ("platform", "machine", "python_version", "numpy_version")


def condition_problems(document: Any) -> list[Problem]:
    """Every field of the system or the batch size that differs between the two measurements."""
    return [*_same_system(document), *_same_batch_size(document)]


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
