"""Stored size beside counted size: ``metrics.stored_bytes`` checked against the counted size and
against the artifact (schema 1.3.0).

``model_size_mb`` counts parameters x bytes per parameter; ``stored_bytes`` is what the model's
arrays take as saved (``model.stored_nbytes()``: weights, biases and, for int8, the float32
per-output scales, with int8 biases kept in float32). Code ``inconsistent-stored-size``:

- against the count (every report that records it), counted = parameter_count x bytes per
  parameter (``sizes`` checks model_size_mb against the same count): fp32 and fp16 models
  store exactly what they count (every array at that precision); an int8
  model stores more than it counts, at most 8x (each int8 weight 1 byte, each bias 4 bytes, and
  one 4-byte scale per bias), so ``counted < stored_bytes <= 8 x counted``;
- against the artifact (the optimized report, when ``optimized.artifact`` is next to the file and
  has the claimed SHA-256, which `artifacts` checks): ``stored_bytes`` equals the stored bytes of
  the model loaded from it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from course_tools.submissions.artifacts import artifact_reference
from course_tools.submissions.fields import REPORTS, lookup, whole_count
from course_tools.submissions.problems import Problem, json_path
from tinytorch.artifact import ArtifactError, file_sha256, load_model_artifact
from tinytorch.schema import BYTES_PER_PARAMETER

INT8_MAX_STORED_PER_COUNTED = 8
CODE = "inconsistent-stored-size"


def stored_size_problems(document: Any) -> list[Problem]:
    """Each report's ``stored_bytes`` against its counted size (module docstring)."""
    return [problem for report in REPORTS for problem in _against_count(document, report)]


def _against_count(document: Any, report: str) -> Iterator[Problem]:
    metrics = lookup(document, report, "metrics")
    stored = whole_count(lookup(metrics, "stored_bytes"))
    parameters = whole_count(lookup(metrics, "parameter_count"))
    precision = lookup(metrics, "precision")
    if stored is None or parameters is None or precision not in BYTES_PER_PARAMETER:
        return
    counted = parameters * BYTES_PER_PARAMETER[precision]
    where = json_path([report, "metrics", "stored_bytes"])
    if precision == "int8":
        if not counted < stored <= INT8_MAX_STORED_PER_COUNTED * counted:
            yield Problem(
                where,
                CODE,
                f"stored_bytes {stored:.0f} for {counted:.0f} counted bytes ({parameters:.0f} parameters): an int8 model "
                f"stores more than it counts (float32 biases and scales) and at most {INT8_MAX_STORED_PER_COUNTED}x",
            )
    elif stored != counted:
        yield Problem(
            where,
            CODE,
            f"stored_bytes {stored:.0f} differs from the {counted:.0f} bytes its {parameters:.0f} parameters count: a "
            f"{precision} model stores every array at that precision, so the two agree",
        )


def stored_artifact_problems(document: Any, submission_path: str | os.PathLike[str]) -> list[Problem]:
    """The optimized report's ``stored_bytes`` against the artifact it references; ``[]`` when
    either is absent, or the file is not the one claimed (`artifacts` reports that)."""
    stored = whole_count(lookup(document, "optimized", "metrics", "stored_bytes"))
    reference = artifact_reference(document, submission_path)
    if stored is None or reference is None or reference.path.is_symlink() or not reference.path.is_file():
        return []
    if file_sha256(reference.path) != reference.sha256:
        return []
    try:
        actual = load_model_artifact(reference.path).stored_nbytes()
    except ArtifactError as error:
        return [Problem("$.optimized.artifact.file", CODE, f"cannot read its stored size: {error}")]
    if actual == stored:
        return []
    return [
        Problem(
            "$.optimized.metrics.stored_bytes",
            CODE,
            f"stored_bytes {stored:.0f}, but the arrays saved in {reference.path.name} take {actual} bytes: "
            "record model.stored_nbytes() of the model you saved",
        )
    ]


def stored_compression(document: Any) -> float | None:
    """baseline ``stored_bytes`` / optimized ``stored_bytes`` when both reports record it (1.3.0),
    else ``None`` (older documents: the caller falls back on the counted compression)."""
    base = whole_count(lookup(document, "baseline", "metrics", "stored_bytes"))
    optimized = whole_count(lookup(document, "optimized", "metrics", "stored_bytes"))
    return base / optimized if base is not None and optimized is not None else None
