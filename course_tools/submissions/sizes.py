"""Each report's model size: does it follow from its parameter count and precision?

``inconsistent-size``: model_size_mb = parameter_count x bytes per parameter / 1024**2
(`tinytorch.schema.BYTES_PER_PARAMETER`), within ``RATIO_RELATIVE_TOLERANCE``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from course_tools.submissions.fields import RATIO_RELATIVE_TOLERANCE, REPORTS, lookup, positive_number, whole_count
from course_tools.submissions.problems import Problem, json_path
from tinytorch.schema import BYTES_PER_MB, BYTES_PER_PARAMETER


def size_problems(document: Any) -> list[Problem]:
    """A report whose model_size_mb is not its parameter count at its precision."""
    return [problem for report in REPORTS for problem in _size_consistency(document, report)]


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
