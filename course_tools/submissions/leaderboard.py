"""The class leaderboard: rank the valid submissions of a folder by a documented score.

Rules:

- Files: every ``*.json`` under the folder, recursively (nbgrader's
  ``submitted/<student>/<assignment>/`` layout works), skipping hidden files and folders such as
  ``.ipynb_checkpoints``; symbolic links to folders are not followed.
- Only valid files compete (``validation.check_file``); the others are listed as rejected
  with every problem found.
- One entry per submitter: submitters are the same when their names match ignoring case and
  surrounding or repeated whitespace. The newest valid submission (latest ``timestamp``; on a
  tie, the later file path) is kept; the others are rejected with ``duplicate-submitter``.
- Speedup, compression and accuracy delta are recomputed from the metrics, and the speedup from
  the per-round ratios when it was measured in interleaved rounds (a valid file's claimed values
  agree with them within 1%), never taken on trust.
- Compression (and so the "smallest" event) compares **stored** bytes, baseline ``stored_bytes``
  / optimized ``stored_bytes`` (schema 1.3.0, checked against the artifact by ``stored_size``):
  an int8 model's float32 scales and biases count. A document without them (before 1.3.0) is
  ranked by its counted compression, model_size_mb / model_size_mb.
- Accuracy criterion: |accuracy delta| <= ``ACCURACY_TOLERANCE`` (0.01 = 1 percentage point,
  the notebook's ``check_success`` default; compared with a 1e-9 margin for float rounding).
- Score = log2(speedup) + log2(compression), for submissions meeting the accuracy criterion:
  each doubling of speed or halving of size is worth one point, so neither can be bought with
  the other, and a slowdown or growth counts against. Submissions failing the criterion are
  listed, unranked. Ties share a rank; the earlier submission is listed first.
- With a ``reproduced.json`` (``python -m course_tools reproduce``), the re-measured numbers
  replace the claimed ones, which are kept beside them; only claims whose verdict is
  ``reproduced`` are ranked, the others are listed unranked with their verdict (`remeasured`).
  Re-measured, each speedup has a 95% interval: entries whose score intervals overlap are
  marked tied with each other (``Entry.tied_with``), while the rank still follows the points.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_tools.submissions.improvements import derive_improvements
from course_tools.submissions.problems import Problem, show
from course_tools.submissions.stored_size import stored_compression
from course_tools.submissions.techniques import technique_text
from course_tools.submissions.timestamps import parse_utc_timestamp
from course_tools.submissions.validation import CheckedFile, check_file

ACCURACY_TOLERANCE = 0.01
_FLOAT_MARGIN = 1e-9
SCORE_FORMULA = "log2(speedup) + log2(compression)"
REPRODUCED_FILE = "reproduced.json"


@dataclass(frozen=True)
class Entry:
    """One valid submission; ``score`` and ``rank`` are ``None`` when it is not ranked."""

    submitter: str
    file: str
    timestamp: str
    techniques: tuple[str, ...]
    batch_size: int
    speedup: float
    compression: float
    accuracy_delta: float
    score: float | None
    rank: int | None = None
    claimed: tuple[float, float, float] | None = None
    verdict: str | None = None
    speedup_interval: tuple[float, float] | None = None
    tied_with: tuple[str, ...] = ()

    @property
    def accuracy_ok(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class Rejected:
    """A file that is not on the leaderboard, with every reason."""

    file: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Leaderboard:
    """Ranked entries (best first), valid but unranked entries, rejected files, and a note when
    there is nothing to rank (``message``)."""

    directory: str
    ranked: tuple[Entry, ...]
    unranked: tuple[Entry, ...]
    rejected: tuple[Rejected, ...]
    message: str | None = field(default=None)
    remeasured: bool = False

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.ranked + self.unranked


def score(speedup: float, compression: float) -> float:
    """The leaderboard score: log2(speedup) + log2(compression) (both ratios > 0)."""
    return math.log2(speedup) + math.log2(compression)


def accuracy_holds(accuracy_delta: float, tolerance: float = ACCURACY_TOLERANCE) -> bool:
    """The accuracy criterion: |accuracy delta| <= tolerance (fractions, 0.01 = 1 point)."""
    return abs(accuracy_delta) <= tolerance + _FLOAT_MARGIN


def submission_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Every non-hidden ``*.json`` file under ``directory`` but ``reproduced.json``, sorted by path."""
    root = Path(directory)
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(
            Path(folder) / name
            for name in files
            if name.lower().endswith(".json") and not name.startswith(".") and name != REPRODUCED_FILE
        )
    return sorted(found)


def leaderboard(directory: str | os.PathLike[str]) -> Leaderboard:
    """Validate every submission under ``directory`` and rank the valid ones (module docstring).

    Raises ``NotADirectoryError`` when ``directory`` is not an existing folder; an empty folder
    gives a ``Leaderboard`` with no entries and an explanatory ``message``.
    """
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(f"{root}: not an existing directory")
    files = submission_files(root)
    if not files:
        return Leaderboard(str(root), (), (), (), message=f"No submission files (*.json) found under {root}")
    checked = [check_file(path) for path in files]
    rejected = [Rejected(_relative(item.path, root), item.problems) for item in checked if not item.valid]
    kept, replaced = _newest_per_submitter([item for item in checked if item.valid], root)
    rejected.extend(replaced)
    entries = [_entry(item, root) for item in kept]
    ranked = _ranked([entry for entry in entries if entry.score is not None])
    unranked = sorted(
        (entry for entry in entries if entry.score is None), key=lambda entry: (entry.submitter.casefold(), entry.file)
    )
    message = None if ranked else "No submission meets the accuracy criterion" if unranked else "No valid submission"
    return Leaderboard(
        str(root), tuple(ranked), tuple(unranked), tuple(sorted(rejected, key=lambda item: item.file)), message
    )


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def submitter_key(name: str) -> str:
    """Names that differ only in case or whitespace belong to the same submitter."""
    return " ".join(name.split()).casefold()


def _newest_per_submitter(valid: list[CheckedFile], root: Path) -> tuple[list[CheckedFile], list[Rejected]]:
    groups: dict[str, list[CheckedFile]] = {}
    for item in valid:
        groups.setdefault(submitter_key(item.document["submitter"]), []).append(item)
    kept: list[CheckedFile] = []
    replaced: list[Rejected] = []
    for group in groups.values():
        ordered = sorted(group, key=lambda item: (parse_utc_timestamp(item.document["timestamp"]), item.path))
        newest = ordered[-1]
        kept.append(newest)
        for older in ordered[:-1]:
            replaced.append(
                Rejected(
                    _relative(older.path, root),
                    (
                        Problem(
                            "$.submitter",
                            "duplicate-submitter",
                            f"{show(newest.document['submitter'])} has a newer valid submission, "
                            f"{_relative(newest.path, root)} ({newest.document['timestamp']}); "
                            "only each submitter's newest valid submission is ranked",
                        ),
                    ),
                )
            )
    return kept, replaced


def _entry(item: CheckedFile, root: Path) -> Entry:
    document: dict[str, Any] = item.document
    derived = derive_improvements(document)
    # A valid document has positive finite latencies, sizes and accuracies, so nothing is None.
    assert derived.speedup is not None and derived.compression is not None and derived.accuracy_delta is not None
    compression = stored_compression(document) or derived.compression
    ranked_score = score(derived.speedup, compression) if accuracy_holds(derived.accuracy_delta) else None
    return Entry(
        submitter=" ".join(document["submitter"].split()),
        file=_relative(item.path, root),
        timestamp=document["timestamp"],
        techniques=tuple(technique_text(item) for item in document["optimized"]["techniques"]),
        batch_size=int(document["optimized"]["metrics"]["batch_size"]),
        speedup=derived.speedup,
        compression=compression,
        accuracy_delta=derived.accuracy_delta,
        score=ranked_score,
    )


def ranked(entries: list[Entry]) -> list[Entry]:
    """Entries with a score, best first, ranks assigned (ties share a rank, earlier listed first)."""
    return _ranked(entries)


def _ranked(entries: list[Entry]) -> list[Entry]:
    ordered = sorted(
        entries, key=lambda entry: (-_rounded(entry.score), parse_utc_timestamp(entry.timestamp), entry.file)
    )
    ranked: list[Entry] = []
    for position, entry in enumerate(ordered, start=1):
        tied_with_previous = ranked and _rounded(ranked[-1].score) == _rounded(entry.score)
        rank = ranked[-1].rank if tied_with_previous else position
        ranked.append(dataclasses.replace(entry, rank=rank))
    return ranked


def _rounded(value: float | None) -> float:
    assert value is not None
    return round(value, 6)
