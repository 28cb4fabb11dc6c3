"""The files a submission carries for `validate`, `reproduce` and the leaderboard, taken as submitted.

The student's notebook writes ``submission.json`` and ``model.npz`` in their assignment folder when
*they* run it, and ``nbgrader submit`` carries every file of that folder. Grading does not run the
cell that writes them (it is a demonstration cell, see the grading profile), so the grader takes
them from ``submitted/<student>/<assignment>/`` into ``autograded/<student>/<assignment>/``, where
the later commands read them, replacing whatever nbgrader copied there (it follows links).

Only regular files within their size cap are taken, opened without following links, so a
submitted link cannot make the grader read or overwrite anything else. A missing or refused file
is reported (grades.csv's ``submission_files``; a refused one also in the outcome's message); it is
not a grading failure.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path


def copy_submitted_files(
    source: Path, destination: Path, names: Sequence[str], max_bytes: int, max_bytes_by_name: Mapping[str, int]
) -> list[str]:
    """Copy each of ``names`` from ``source`` to ``destination``; one note per file refused.

    A name that was not submitted is no note: grades.csv's ``submission_files`` reports it.

    ``destination``'s copy of a name is removed first, so what is there afterwards is exactly
    what was submitted, or nothing. A name's cap is ``max_bytes_by_name`` else ``max_bytes``.
    """
    notes = []
    for name in names:
        if not name or name != Path(name).name or name in (".", ".."):
            raise ValueError(f"collected files are plain file names, got {name!r}")
        cap = max_bytes_by_name.get(name, max_bytes)
        target = destination / name
        target.unlink(missing_ok=True)
        try:
            descriptor = os.open(source / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            continue
        except OSError as error:
            notes.append(f"{name}: not taken ({error.strerror}; a link?)")
            continue
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                notes.append(f"{name}: not taken (not a regular file)")
            elif info.st_size > cap:
                notes.append(f"{name}: not taken ({info.st_size} bytes, limit {cap})")
            else:
                destination.mkdir(parents=True, exist_ok=True)
                target.write_bytes(handle.read(cap + 1)[:cap])
    return notes
