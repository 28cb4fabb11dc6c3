"""What a submission check reports: ``Problem`` and the stable message classes (codes).

A code names the class of a problem and never changes between releases, so that scripts and
tests can rely on it; the message is for people and may be reworded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

CODES: dict[str, str] = {
    "not-found": "the path does not exist",
    "not-a-file": "the path is a directory or another non-regular file",
    "unreadable": "the operating system refused to read the file",
    "too-large": "the file exceeds the size cap, so it is not read",
    "encoding": "the file is not UTF-8 text",
    "not-json": "the text is not valid JSON",
    "duplicate-key": "a JSON object repeats a key, which makes its value ambiguous",
    "non-finite-number": "NaN, Infinity or a number too large for a float",
    "schema-version": "schema_version is not the version this tool validates",
    "schema": "the document violates the submission JSON Schema (type, missing or extra field, format)",
    "non-positive": "a latency, size, count, throughput or ratio is not positive (or negative where >= 0 is required)",
    "accuracy-range": "an accuracy is outside [0, 1] or an accuracy delta outside [-1, 1]",
    "percentile-order": "latency percentiles are not ordered p50 <= p90 <= p95 <= p99",
    "inconsistent-size": "model_size_mb differs from parameter_count x bytes per parameter / 1024**2",
    "inconsistent-improvement": "an improvement differs from the one recomputed from the metrics",
    "inconsistent-rounds": "a p50 or its spread differs from the one recomputed from the round p50s",
    "inconsistent-interval": "the speedup's confidence interval does not contain it or is not recomputable from its rounds",
    "system-mismatch": "baseline and optimized were not measured on the same system",
    "batch-size-mismatch": "baseline and optimized were measured at different batch sizes",
    "inconsistent-throughput": "throughput contradicts the latency distribution at the recorded batch size",
    "inconsistent-latency": "latency mean and median differ by more than the standard deviation allows",
    "timestamp-order": "a report is dated after the submission made from it",
    "inconsistent-recipe": "the artifact recipe, the technique ids and the metrics disagree",
    "placeholder-submitter": "submitter is still the notebook's placeholder, which names nobody",
    "inconsistent-stored-size": "stored_bytes contradicts the counted size or the arrays saved in the artifact",
    "artifact-missing": "the referenced model artifact is not a regular file next to the submission",
    "artifact-mismatch": "the model artifact's SHA-256 differs from the one the submission records",
    "implausible": "an improvement exceeds what the listed techniques can give",
    "duplicate-submitter": "a newer valid submission of the same submitter replaces this one",
}


@dataclass(frozen=True)
class Problem:
    """One problem found in a submission.

    ``path`` is a JSON path into the document (``$`` for the document or file itself, e.g.
    ``$.improvements.speedup``, ``$.optimized.techniques[0]``), ``code`` one of ``CODES``,
    ``message`` a readable sentence naming what is wrong and what was expected.
    """

    path: str
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}; known: {sorted(CODES)}")

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


def json_path(parts: Iterable[str | int]) -> str:
    """Render path parts (object keys and array indexes) as a JSON path such as ``$.a.b[0]``."""
    rendered = "$"
    for part in parts:
        if isinstance(part, int):
            rendered += f"[{part}]"
        elif part.isidentifier():
            rendered += f".{part}"
        else:
            rendered += f"[{show(part)}]"
    return rendered


def show(value: object, limit: int = 60) -> str:
    """Render a value from a submission for a one-line message: JSON-quoted, control characters
    escaped (a crafted value cannot break the one-line-per-problem output), cut to ``limit`` chars."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
