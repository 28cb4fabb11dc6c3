"""The model artifact a submission references: is it next to the file, and is it the same file?

``optimized.artifact.file`` is a plain file name (the schema allows no folder), resolved in the
folder of ``submission.json``. It must be a regular file, not a symbolic link (a link could point
anywhere on the grader's machine), and its SHA-256 must equal ``optimized.artifact.sha256``.
Codes: ``artifact-missing`` (no such regular file) and ``artifact-mismatch`` (other bytes).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_tools.submissions.fields import lookup
from course_tools.submissions.problems import Problem, show
from tinytorch.artifact import file_sha256

_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\.npz$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class ArtifactReference:
    """Where a submission's artifact should be and the digest it claims."""

    path: Path
    sha256: str


def artifact_reference(document: Any, submission_path: str | os.PathLike[str]) -> ArtifactReference | None:
    """The artifact ``document`` references, resolved next to ``submission_path``; ``None`` when it
    references none (or the reference is malformed, which the schema reports)."""
    name = lookup(document, "optimized", "artifact", "file")
    digest = lookup(document, "optimized", "artifact", "sha256")
    if (
        not isinstance(name, str)
        or not _FILE_NAME.match(name)
        or not isinstance(digest, str)
        or not _DIGEST.match(digest)
    ):
        return None
    return ArtifactReference(Path(submission_path).parent / name, digest)


def artifact_problems(document: Any, submission_path: str | os.PathLike[str]) -> list[Problem]:
    """``artifact-missing`` or ``artifact-mismatch`` for the referenced artifact; ``[]`` when it
    is there with the claimed digest, or when nothing is referenced."""
    reference = artifact_reference(document, submission_path)
    if reference is None:
        return []
    where = "$.optimized.artifact.file"
    if reference.path.is_symlink() or not reference.path.is_file():
        what = "a symbolic link" if reference.path.is_symlink() else "not there"
        return [
            Problem(
                where,
                "artifact-missing",
                f"the artifact {show(reference.path.name)} is {what}: save the model next to submission.json "
                "(tinytorch.save_model_artifact) and submit both files",
            )
        ]
    actual = file_sha256(reference.path)
    if actual != reference.sha256:
        return [
            Problem(
                "$.optimized.artifact.sha256",
                "artifact-mismatch",
                f"{show(reference.path.name)} has SHA-256 {actual[:16]}..., the submission claims "
                f"{reference.sha256[:16]}...: the file is not the model that was measured",
            )
        ]
    return []
