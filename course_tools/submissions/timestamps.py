"""The submission's timestamps: each a real UTC date-time, no report dated after the submission.

- ``schema``: a timestamp of the right shape that is no real date-time in UTC (2026-02-30), in case
  the optional date-time format checker of ``jsonschema`` is not installed (when it is, the schema
  reports the same mistake first, and the validator keeps only its problem).
- ``timestamp-order``: a report made after the submission made from it (``CLOCK_SLACK_S`` allows
  for clock steps between the two).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from course_tools.submissions.fields import REPORTS, lookup
from course_tools.submissions.problems import Problem, json_path, show

CLOCK_SLACK_S = 1.0
# Where a submission holds a timestamp: the submission's own, then each report's.
TIMESTAMPS = (("timestamp",), *((report, "timestamp") for report in REPORTS))


def parse_utc_timestamp(text: str) -> datetime | None:
    """Parse an ISO 8601 timestamp with a zero UTC offset; ``None`` when it is not one."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None
    offset = moment.utcoffset()
    if offset is None or offset.total_seconds() != 0:
        return None
    return moment


def timestamp_problems(document: Any) -> list[Problem]:
    """Timestamps that are no real UTC date-time, then reports dated after the submission."""
    problems = []
    moments: dict[tuple[str, ...], datetime] = {}
    for parts in TIMESTAMPS:
        value = lookup(document, *parts)
        if not isinstance(value, str):
            continue
        moment = parse_utc_timestamp(value)
        if moment is None:
            problems.append(
                Problem(json_path(parts), "schema", f"{show(value)} is not a real ISO 8601 date-time in UTC")
            )
        else:
            moments[parts] = moment
    submitted = moments.get(TIMESTAMPS[0])
    for parts in TIMESTAMPS[1:]:
        made = moments.get(parts)
        if submitted is not None and made is not None and (made - submitted).total_seconds() > CLOCK_SLACK_S:
            problems.append(
                Problem(
                    json_path(parts),
                    "timestamp-order",
                    f"the {parts[0]} report ({lookup(document, *parts)}) is dated after the submission "
                    f"({lookup(document, 'timestamp')}), but a submission is generated from reports that exist already",
                )
            )
    return problems
