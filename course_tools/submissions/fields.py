"""Reading a submission of any shape: values at a path, kept only when of the right type and range.

Every check reads the document through these, so a value the schema already rejects (missing,
wrong type, not positive) comes back as ``None`` and the check skips it: one mistake is reported
once, by the schema.
"""

from __future__ import annotations

import math
from typing import Any

# The two measured reports of a submission.
REPORTS = ("baseline", "optimized")
# A ratio recomputed from the metrics may differ this much from the one written: numbers rounded
# to three significant digits pass, nothing coarser.
RATIO_RELATIVE_TOLERANCE = 0.01


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
    numbers = [positive_number(item) for item in value]
    positive = [number for number in numbers if number is not None]
    return positive if len(positive) == len(numbers) else None


def accuracy_fraction(value: Any) -> float | None:
    number = finite_number(value)
    return number if number is not None and 0.0 <= number <= 1.0 else None
