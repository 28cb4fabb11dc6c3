"""Resume, don't redo: a rerun of a grading run keeps what an earlier run finished.

When a submission's result is in the course (imported, or graded in place), the orchestrator
writes ``autograded/<student>/<assignment>.graded.json``: its status, message and incidents and
a *fingerprint* of what was graded: the SHA-256 of each submitted notebook, of the course's
``nbgrader_config.py`` and of the assignment's source notebooks (a changed test or setting grades
everything again). A run killed half-way (``kill -9``) leaves records only for the submissions
already in the gradebook. The next run keeps a submission whose record matches its fingerprint and
whose autograded notebooks are all there; it grades the others. ``force`` grades everything.
A ``grader-error`` or ``timed-out`` result is never kept: the next run tries again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from course_tools.course import CONFIG_FILE

from .config import CourseSettings

RETRIED_STATUSES = frozenset({"grader-error", "timed-out"})
KEPT_NOTE = "unchanged since an earlier run, result kept"


@dataclass(frozen=True)
class KeptResult:
    """What an earlier run recorded for a submission that has not changed since."""

    status: str
    message: str
    incidents: tuple[str, ...]


def record_path(settings: CourseSettings, student: str, assignment: str) -> Path:
    return settings.root / settings.autograded_dir / student / f"{assignment}.graded.json"


def fingerprint(settings: CourseSettings, assignment: str, student: str, notebooks: tuple[str, ...]) -> dict[str, str]:
    """Digests of what decides a submission's grade: its notebooks, the config, the source notebooks."""
    submitted = settings.submission_dir(student, assignment)
    source = settings.root / settings.source_dir / assignment
    files = {f"submitted/{name}.ipynb": submitted / f"{name}.ipynb" for name in notebooks}
    files[CONFIG_FILE] = settings.root / CONFIG_FILE
    files.update({f"source/{name}.ipynb": source / f"{name}.ipynb" for name in notebooks})
    return {label: _digest(path) for label, path in files.items()}


def kept_result(
    settings: CourseSettings, assignment: str, student: str, notebooks: tuple[str, ...], current: dict[str, str]
) -> KeptResult | None:
    """The recorded result when it is complete and ``current`` (the fingerprint now) matches it."""
    try:
        record = json.loads(record_path(settings, student, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("fingerprint") != current:
        return None
    status = record.get("status")
    if not isinstance(status, str) or status in RETRIED_STATUSES:
        return None
    graded = settings.autograded_path(student, assignment)
    ungradable = status in ("invalid-notebook", "missing-notebook")
    if not ungradable and not all((graded / f"{name}.ipynb").is_file() for name in notebooks):
        return None
    return KeptResult(status, str(record.get("message", "")), tuple(record.get("incidents", ())))


def write_record(
    settings: CourseSettings,
    assignment: str,
    student: str,
    current: dict[str, str],
    status: str,
    message: str,
    incidents: tuple[str, ...],
) -> None:
    """Record a result now in the course (atomically: a kill leaves the old record or the new one)."""
    path = record_path(settings, student, assignment)
    if status in RETRIED_STATUSES:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {"fingerprint": current, "status": status, "message": message, "incidents": list(incidents)}, indent=1
    )
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _digest(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return "missing"
