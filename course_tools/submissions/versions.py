"""Which schema version a submission declares, and what that allows.

The validator accepts every version in the schema's ``schema_version`` enum. A minor version
only adds fields, so an older document stays valid, but it may not use fields of a newer
version (``schema-version``), and ``version_note`` says what an older document lacks.
"""

from __future__ import annotations

from typing import Any

from course_tools.submissions.consistency import REPORTS, lookup
from course_tools.submissions.problems import Problem, json_path, show
from tinytorch.schema import SCHEMA_VERSION

FIELDS_ADDED_IN_1_1_0: tuple[tuple[str, ...], ...] = (
    ("improvements", "speedup_method"),
    ("improvements", "speedup_rounds"),
    *((report, "metrics", field) for report in REPORTS for field in ("latency_ms_round_p50s", "latency_p50_spread")),
)
OLDER_VERSION_NOTES = {
    "1.0.0": "its speedup is the ratio of two p50s measured one after the other, not interleaved rounds; "
    f"the current notebook writes schema {SCHEMA_VERSION}",
}


def version_problems(document: Any) -> list[Problem]:
    """Fields a 1.0.0 document uses although they were added in 1.1.0."""
    if lookup(document, "schema_version") != "1.0.0":
        return []
    return [
        Problem(
            json_path(list(parts)),
            "schema-version",
            f"this field was added in schema 1.1.0 but the document declares schema_version {show('1.0.0')}: "
            f"set schema_version to {show(SCHEMA_VERSION)}",
        )
        for parts in FIELDS_ADDED_IN_1_1_0
        if isinstance(lookup(document, *parts[:-1]), dict) and parts[-1] in lookup(document, *parts[:-1])
    ]


def version_note(document: Any) -> str | None:
    """A sentence for a valid document of an older version (``None`` for the current one)."""
    version = lookup(document, "schema_version")
    note = OLDER_VERSION_NOTES.get(version) if isinstance(version, str) else None
    return f"schema {version}: {note}" if note else None
