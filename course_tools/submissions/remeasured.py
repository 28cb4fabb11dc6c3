"""The leaderboard on re-measured numbers, and its events.

`remeasure` takes a `Leaderboard` of claims and the outcomes of ``reproduce`` (by file): each
entry's speedup and accuracy delta become the re-measured ones (its compression stays the stored
one the leaderboard computed: sizes do not vary between runs), the claimed ones stay
beside them (``Entry.claimed``), and ``Entry.verdict`` records the outcome. Only ``reproduced``
claims that meet the accuracy criterion are ranked (score = ``SCORE_FORMULA`` of the re-measured
numbers); a claim that was not reproduced, or not measured (no artifact, or newer than
``reproduced.json``), is listed unranked with its verdict.

Events, among the ranked (all meet the accuracy criterion, |accuracy delta| <= 1 point):

- fastest at the accuracy floor: the highest re-measured speedup;
- smallest at the accuracy floor: the highest compression (stored bytes, schema 1.3.0);
- best all-round: the highest score, log2(speedup) + log2(compression) -- each doubling of speed
  or halving of size is worth one point.

A tie names every winner.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from course_tools.submissions.leaderboard import Entry, Leaderboard, accuracy_holds, ranked, score

NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Event:
    """One event: its name, what it measures and the winning entries (empty when nobody is ranked)."""

    name: str
    measure: str
    winners: tuple[Entry, ...]
    value: float | None


def remeasure(board: Leaderboard, outcomes: Mapping[str, Any]) -> Leaderboard:
    """``board`` on re-measured numbers (module docstring); ``outcomes`` maps a file (relative to
    the board's folder) to an object with ``verdict``, ``claimed`` and ``measured`` dicts."""
    scored: list[Entry] = []
    unranked: list[Entry] = []
    for entry in board.entries:
        outcome = outcomes.get(entry.file)
        claimed = (entry.speedup, entry.compression, entry.accuracy_delta)
        measured = getattr(outcome, "measured", None)
        verdict = getattr(outcome, "verdict", NOT_MEASURED)
        if measured is None:
            unranked.append(dataclasses.replace(entry, score=None, rank=None, claimed=claimed, verdict=verdict))
            continue
        updated = dataclasses.replace(
            entry,
            speedup=measured["speedup"],
            # Size needs no second look: a valid file's stored bytes match its artifact (stored_size),
            # and before schema 1.3.0 its counted compression is what reproduce verified within 1%.
            compression=entry.compression,
            accuracy_delta=measured["accuracy_delta"],
            claimed=claimed,
            verdict=verdict,
            rank=None,
        )
        if verdict == "reproduced" and accuracy_holds(updated.accuracy_delta):
            scored.append(dataclasses.replace(updated, score=score(updated.speedup, updated.compression)))
        else:
            unranked.append(dataclasses.replace(updated, score=None))
    board_ranked = ranked(scored)
    message = None if board_ranked else "No re-measured submission was reproduced and meets the accuracy criterion"
    return dataclasses.replace(
        board,
        ranked=tuple(board_ranked),
        unranked=tuple(sorted(unranked, key=lambda entry: (entry.submitter.casefold(), entry.file))),
        message=message,
        remeasured=True,
    )


def events(board: Leaderboard) -> list[Event]:
    """The three events of the module docstring, decided among ``board.ranked``."""
    return [
        _event("Fastest at the accuracy floor", "re-measured speedup", board.ranked, lambda entry: entry.speedup),
        _event("Smallest at the accuracy floor", "compression", board.ranked, lambda entry: entry.compression),
        _event(
            "Best all-round",
            "log2(speedup) + log2(compression)",
            board.ranked,
            lambda entry: score(entry.speedup, entry.compression),
        ),
    ]


def _event(name: str, measure: str, entries: tuple[Entry, ...], value: Any) -> Event:
    if not entries:
        return Event(name, measure, (), None)
    best = max(round(value(entry), 6) for entry in entries)
    return Event(name, measure, tuple(entry for entry in entries if round(value(entry), 6) == best), best)
