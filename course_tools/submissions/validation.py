"""Validate ``submission.json`` files: strict JSON, the schema, then each check of `DOCUMENT_CHECKS`.

A submission is valid when it has no problem at all. In order:

1. the file (``strict_json``): exists, is a regular file of at most 1 MiB, UTF-8, strict JSON
   (no NaN/Infinity, no overflowing number, no repeated key) -- a failure here stops the rest;
2. the schema shipped in ``tinytorch`` (``schema_errors``): every violation, each at its path;
3. the checks of `DOCUMENT_CHECKS`, one module each, named by what it checks; each skips values
   the schema rejects, so one mistake is reported once;
4. for a file, the checks of `FILE_CHECKS`: what lies next to it (the model artifact it
   references, ``artifacts``; its stored bytes, ``stored_size``).

Codes and their meaning: ``problems.CODES``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from course_tools.submissions.artifacts import artifact_problems
from course_tools.submissions.conditions import condition_problems
from course_tools.submissions.improvements import improvement_problems
from course_tools.submissions.intervals import interval_problems
from course_tools.submissions.latencies import latency_problems
from course_tools.submissions.plausibility import plausibility_problems
from course_tools.submissions.problems import Problem, json_path, show
from course_tools.submissions.recipe import recipe_problems
from course_tools.submissions.rounds import rounds_problems
from course_tools.submissions.schema_errors import schema_problems
from course_tools.submissions.sizes import size_problems
from course_tools.submissions.stored_size import stored_artifact_problems, stored_size_problems
from course_tools.submissions.strict_json import read_json_file, walk
from course_tools.submissions.submitter import submitter_problems
from course_tools.submissions.timestamps import timestamp_problems
from course_tools.submissions.versions import version_problems

# Every check of a parsed document after the schema, in the order its problems are listed. A check
# takes the document (of any shape) and returns its problems; a new check is a module and a line.
DOCUMENT_CHECKS: tuple[Callable[[Any], list[Problem]], ...] = (
    timestamp_problems,
    version_problems,
    latency_problems,
    size_problems,
    improvement_problems,
    rounds_problems,
    interval_problems,
    condition_problems,
    recipe_problems,
    stored_size_problems,
    submitter_problems,
    plausibility_problems,
)
# Then, for a file, every check of what lies next to it: a check takes the document and its path.
FILE_CHECKS: tuple[Callable[[Any, str | os.PathLike[str]], list[Problem]], ...] = (
    artifact_problems,
    stored_artifact_problems,
)


@dataclass(frozen=True)
class CheckedFile:
    """A submission file with its problems; ``document`` is ``None`` when it could not be parsed."""

    path: str
    document: Any
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


def check_file(path: str | os.PathLike[str]) -> CheckedFile:
    """Read and validate one file, keeping the parsed document for later use (ranking)."""
    document, problems = read_json_file(path)
    if not problems:
        problems = validate_submission_dict(document)
        for check in FILE_CHECKS:
            problems.extend(check(document, path))
    return CheckedFile(path=os.fspath(path), document=document, problems=tuple(problems))


def validate_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of the submission file at ``path``; ``[]`` when it is valid. Never raises
    on bad content: unreadable, oversized or malformed files come back as problems."""
    return list(check_file(path).problems)


def validate_submission_dict(document: Any) -> list[Problem]:
    """Every problem of an already parsed submission; ``[]`` when it is valid.

    Accepts any Python value; non-finite floats (which strict JSON cannot hold, but a dict built
    in Python can) are ``non-finite-number`` problems. A check's ``schema`` problem at a path the
    schema already reported (a malformed timestamp, when jsonschema checks formats) is left out.
    """
    problems = _non_finite_floats(document)
    schema = schema_problems(document)
    problems.extend(schema)
    reported = {problem.path for problem in schema}
    for check in DOCUMENT_CHECKS:
        problems.extend(p for p in check(document) if not (p.code == "schema" and p.path in reported))
    return list(dict.fromkeys(problems))


def _non_finite_floats(document: Any) -> list[Problem]:
    return [
        Problem(json_path(parts), "non-finite-number", f"{show(value)} is not a finite number")
        for parts, value in walk(document)
        if isinstance(value, float) and not math.isfinite(value)
    ]
