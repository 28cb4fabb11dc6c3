"""Which schema version a submission declares, and what that allows.

The validator accepts every version in the schema's ``schema_version`` enum. A minor version
only adds fields, so an older document stays valid, but it may not use fields of a newer
version (``schema-version``), and ``version_note`` says what an older document lacks.

- 1.1.0 added ``improvements.speedup_method`` and ``speedup_rounds`` and each report's
  ``latency_ms_round_p50s`` and ``latency_p50_spread``;
- 1.2.0 added ``optimized.artifact`` and technique objects ``{"id", "detail"}``;
- 1.3.0 added each report's ``stored_bytes``;
- 1.4.0 added ``improvements.speedup_interval`` (required with interleaved rounds, checked by
  ``intervals``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from course_tools.submissions.fields import REPORTS, lookup
from course_tools.submissions.problems import Problem, json_path, show
from tinytorch.schema import SCHEMA_VERSION

FIELDS_ADDED: dict[str, tuple[tuple[str, ...], ...]] = {
    "1.1.0": (
        ("improvements", "speedup_method"),
        ("improvements", "speedup_rounds"),
        *(
            (report, "metrics", field)
            for report in REPORTS
            for field in ("latency_ms_round_p50s", "latency_p50_spread")
        ),
    ),
    "1.2.0": (("optimized", "artifact"),),
    "1.3.0": tuple((report, "metrics", "stored_bytes") for report in REPORTS),
    "1.4.0": (("improvements", "speedup_interval"),),
}
VERSION_ORDER = ("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0")
TECHNIQUE_OBJECTS_VERSION = "1.2.0"
_NO_ARTIFACT = (
    "it references no model artifact, so its claims cannot be re-measured (reproduce lists it as artifact missing)"
)
_COUNTED_ONLY = (
    "its sizes are counted (parameters x bytes), not stored bytes, so the leaderboard ranks its size by the count"
)
_NO_INTERVAL = "its speedup has no confidence interval, so only reproduce's re-measurement says how certain it is"
OLDER_VERSION_NOTES = {
    "1.0.0": "its speedup is the ratio of two p50s measured one after the other, not interleaved rounds, "
    f"{_NO_ARTIFACT}, and {_COUNTED_ONLY}; the current notebook writes schema {SCHEMA_VERSION}",
    "1.1.0": f"{_NO_ARTIFACT}, {_COUNTED_ONLY}, and {_NO_INTERVAL}; the current notebook writes schema {SCHEMA_VERSION}",
    "1.2.0": f"{_COUNTED_ONLY}, and {_NO_INTERVAL}; the current notebook writes schema {SCHEMA_VERSION}",
    "1.3.0": f"{_NO_INTERVAL}; the current notebook writes schema {SCHEMA_VERSION}",
}


def version_problems(document: Any) -> list[Problem]:
    """Fields (and technique objects) a document uses although they were added after its version."""
    declared = lookup(document, "schema_version")
    if declared not in VERSION_ORDER or declared == VERSION_ORDER[-1]:
        return []
    newer = VERSION_ORDER[VERSION_ORDER.index(declared) + 1 :]
    problems = [
        _problem(list(parts), version, declared)
        for version in newer
        for parts in FIELDS_ADDED[version]
        if isinstance(lookup(document, *parts[:-1]), dict) and parts[-1] in lookup(document, *parts[:-1])
    ]
    if TECHNIQUE_OBJECTS_VERSION in newer:
        problems.extend(_technique_objects(document, declared))
    return problems


def _technique_objects(document: Any, declared: str) -> Iterator[Problem]:
    techniques = lookup(document, "optimized", "techniques")
    for index, item in enumerate(techniques if isinstance(techniques, list) else []):
        if isinstance(item, dict):
            yield _problem(
                ["optimized", "techniques", index], TECHNIQUE_OBJECTS_VERSION, declared, "technique objects were"
            )


def _problem(parts: list[str | int], version: str, declared: str, what: str = "this field was") -> Problem:
    return Problem(
        json_path(parts),
        "schema-version",
        f"{what} added in schema {version} but the document declares schema_version {show(declared)}: "
        f"set schema_version to {show(SCHEMA_VERSION)}",
    )


def version_note(document: Any) -> str | None:
    """A sentence for a valid document of a version older than the notebook's ``SCHEMA_VERSION``
    (``None`` for that one and newer)."""
    version = lookup(document, "schema_version")
    older = version in VERSION_ORDER and VERSION_ORDER.index(version) < VERSION_ORDER.index(SCHEMA_VERSION)
    note = OLDER_VERSION_NOTES.get(version) if older else None
    return f"schema {version}: {note}" if note else None
