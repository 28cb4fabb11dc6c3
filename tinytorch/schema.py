"""The submission JSON Schema that ``submission.json`` files follow.

The schema (JSON Schema draft 2020-12) ships as package data in
``tinytorch/schema/submission.schema.json``. It fixes every field of a submission, the unit of
every number (ms, MB = 1024**2 bytes, samples per second, fractions) and allows no extra
property except typed scalar extras in ``system_info``.

Versioning: ``SCHEMA_VERSION`` follows semantic versioning and appears both in the schema's
``$id``; ``schema_version`` is one of the versions this schema accepts (its ``enum``): a minor
version only adds optional fields, so documents of older minor versions stay valid. A change
that rejects documents the previous version accepted needs a new major version.

1.1.0 records how the speedup was measured (``improvements.speedup_method``, and the per-round
ratios ``speedup_rounds`` of interleaved rounds) and each report's round p50s and their spread.
1.2.0 names techniques by id from a fixed vocabulary (``$defs/technique_id``: ``{"id", "detail"}``
objects; text labels stay valid) and references the optimized model's file
(``optimized.artifact``: file name, SHA-256, recipe), so that a grader can re-measure the claim.
1.3.0 records each report's ``stored_bytes`` (the arrays as saved: an int8 model's float32 scales
and biases included) beside the counted ``model_size_mb``; the leaderboard's sizes use it.
1.4.0 adds ``improvements.speedup_interval``, the percentile-bootstrap confidence interval of the
median of ``speedup_rounds`` (``low``, ``high``, ``confidence``, ``resamples``, ``seed``,
``method``), required with ``interleaved_rounds`` in 1.4.0 documents; older documents stay valid
without it.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

SCHEMA_VERSION = "1.4.0"

# Bytes one parameter takes at each precision the ``precision`` field allows (its enum), and the
# bytes of the MB every size in a submission is given in.
BYTES_PER_PARAMETER: dict[str, int] = {"fp32": 4, "fp16": 2, "int8": 1}
BYTES_PER_MB = 1024**2

# The notebook's ``SUBMITTER`` until the student sets it: a submission under this name names nobody
# (the leaderboard keeps one entry per submitter), so the notebook refuses to save it and
# ``python -m course_tools validate`` reports it.
SUBMITTER_PLACEHOLDER = "your-name"

_SCHEMA_DIRECTORY = "schema"
_SCHEMA_FILE = "submission.schema.json"


@functools.lru_cache(maxsize=1)
def _schema_text() -> str:
    resource = resources.files("tinytorch").joinpath(_SCHEMA_DIRECTORY).joinpath(_SCHEMA_FILE)
    return resource.read_text(encoding="utf-8")


def load_submission_schema() -> dict[str, Any]:
    """Return the submission JSON Schema as a new dict (callers may mutate their copy freely)."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema
