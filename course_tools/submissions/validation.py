"""Validate ``submission.json`` files: strict JSON, the schema, consistency, plausibility.

A submission is valid when it has no problem at all. The checks, in order:

1. the file (``strict_json``): exists, is a regular file of at most 1 MiB, UTF-8, strict JSON
   (no NaN/Infinity, no overflowing number, no repeated key) -- a failure here stops the rest;
2. the schema shipped in ``tinytorch`` (``schema_errors``): every violation, each at its path;
3. consistency (``consistency``, ``rounds``, ``versions``): percentiles ordered, sizes follow
   from parameter counts, improvements recomputed from the metrics or the rounds, p50s from their
   rounds, same system and batch size for both models, no field newer than the declared version,
   stored bytes against counted bytes and the artifact (``stored_size``), a submitter that is not
   the notebook's placeholder (``submitter``);
4. plausibility (``plausibility``): improvements within what the listed techniques can give.

Codes and their meaning: ``problems.CODES``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

from course_tools.submissions.artifacts import artifact_problems
from course_tools.submissions.consistency import consistency_problems, timestamp_problems
from course_tools.submissions.crosschecks import cross_check_problems
from course_tools.submissions.plausibility import plausibility_problems
from course_tools.submissions.problems import Problem, json_path, show
from course_tools.submissions.rounds import rounds_problems
from course_tools.submissions.schema_errors import schema_problems
from course_tools.submissions.stored_size import stored_artifact_problems, stored_size_problems
from course_tools.submissions.strict_json import read_json_file, walk
from course_tools.submissions.submitter import submitter_problems
from course_tools.submissions.versions import version_problems


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
        problems = validate_submission_dict(document) + artifact_problems(document, path)
        problems += stored_artifact_problems(document, path)
    return CheckedFile(path=os.fspath(path), document=document, problems=tuple(problems))


def validate_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of the submission file at ``path``; ``[]`` when it is valid. Never raises
    on bad content: unreadable, oversized or malformed files come back as problems."""
    return list(check_file(path).problems)


def validate_submission_dict(document: Any) -> list[Problem]:
    """Every problem of an already parsed submission; ``[]`` when it is valid.

    Accepts any Python value; non-finite floats (which strict JSON cannot hold, but a dict built
    in Python can) are ``non-finite-number`` problems.
    """
    problems = _non_finite_floats(document)
    schema = schema_problems(document)
    problems.extend(schema)
    problems.extend(timestamp_problems(document, skip_paths={problem.path for problem in schema}))
    problems.extend(version_problems(document))
    problems.extend(consistency_problems(document))
    problems.extend(rounds_problems(document))
    problems.extend(cross_check_problems(document))
    problems.extend(stored_size_problems(document))
    problems.extend(submitter_problems(document))
    problems.extend(plausibility_problems(document))
    return list(dict.fromkeys(problems))


def _non_finite_floats(document: Any) -> list[Problem]:
    return [
        Problem(json_path(parts), "non-finite-number", f"{show(value)} is not a finite number")
        for parts, value in walk(document)
        if isinstance(value, float) and not math.isfinite(value)
    ]
