"""The leaderboard on re-measured numbers, and its events.

`remeasure` takes a `Leaderboard` of claims and the outcomes of ``reproduce`` (by file): each
entry's speedup and accuracy delta become the re-measured ones (its compression stays the stored
one the leaderboard computed: sizes do not vary between runs), the claimed ones stay
beside them (``Entry.claimed``), and ``Entry.verdict`` records the outcome. Only ``reproduced``
claims that meet the accuracy criterion are ranked (score = ``SCORE_FORMULA`` of the re-measured
numbers); a claim that was not reproduced, or not measured (no artifact, or newer than
``reproduced.json``), is listed unranked with its verdict.

Uncertainty: ``reproduce`` records each re-measured speedup's 95% percentile-bootstrap interval
(``measured.speedup_interval``), kept as ``Entry.speedup_interval``. A score's interval is
log2(low) + log2(compression) to log2(high) + log2(compression) (sizes are counted, not timed,
so they carry no uncertainty). The ranks follow the re-measured points, and every ranked entry
lists in ``Entry.tied_with`` the others whose score intervals overlap its own: the
re-measurement cannot tell them apart. Overlap is not transitive, so each entry has its own list.

Events, among the ranked (all meet the accuracy criterion, |accuracy delta| <= 1 point):

- fastest at the accuracy floor: the highest re-measured speedup;
- smallest at the accuracy floor: the highest compression (stored bytes, schema 1.3.0);
- best all-round: the highest score, log2(speedup) + log2(compression) -- each doubling of speed
  or halving of size is worth one point.

A tie names every winner; each event states its winner's interval (``Event.interval``, none for
the exact compression) and the entries whose interval overlaps it (``Event.within_uncertainty``).
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
    """One event: its name, what it measures, the winning entries (empty when nobody is ranked),
    the winning value and its interval, and the other ranked entries whose interval overlaps it."""

    name: str
    measure: str
    winners: tuple[Entry, ...]
    value: float | None
    interval: tuple[float, float] | None = None
    within_uncertainty: tuple[Entry, ...] = ()


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
        interval = measured.get("speedup_interval")
        updated = dataclasses.replace(
            entry,
            speedup=measured["speedup"],
            speedup_interval=(interval["low"], interval["high"]) if interval else None,
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
    board_ranked = _mark_ties(ranked(scored))
    message = None if board_ranked else "No re-measured submission was reproduced and meets the accuracy criterion"
    return dataclasses.replace(
        board,
        ranked=tuple(board_ranked),
        unranked=tuple(sorted(unranked, key=lambda entry: (entry.submitter.casefold(), entry.file))),
        message=message,
        remeasured=True,
    )


def score_interval(entry: Entry) -> tuple[float, float] | None:
    """The score's interval from the speedup's (module docstring); ``None`` without one."""
    if entry.speedup_interval is None:
        return None
    low, high = entry.speedup_interval
    return score(low, entry.compression), score(high, entry.compression)


def _overlap(first: tuple[float, float] | None, second: tuple[float, float] | None) -> bool:
    return first is not None and second is not None and first[0] <= second[1] and second[0] <= first[1]


def _mark_ties(entries: list[Entry]) -> list[Entry]:
    return [
        dataclasses.replace(
            entry,
            tied_with=tuple(
                other.submitter
                for other in entries
                if other is not entry and _overlap(score_interval(entry), score_interval(other))
            ),
        )
        for entry in entries
    ]


def events(board: Leaderboard) -> list[Event]:
    """The three events of the module docstring, decided among ``board.ranked``."""
    return [
        _event(
            "Fastest at the accuracy floor",
            "re-measured speedup",
            board.ranked,
            lambda entry: entry.speedup,
            lambda entry: entry.speedup_interval,
        ),
        _event(
            "Smallest at the accuracy floor",
            "compression",
            board.ranked,
            lambda entry: entry.compression,
            lambda _: None,
        ),
        _event(
            "Best all-round",
            "log2(speedup) + log2(compression)",
            board.ranked,
            lambda entry: score(entry.speedup, entry.compression),
            score_interval,
        ),
    ]


def _event(name: str, measure: str, entries: tuple[Entry, ...], value: Any, interval: Any) -> Event:
    if not entries:
        return Event(name, measure, (), None)
    best = max(round(value(entry), 6) for entry in entries)
    winners = tuple(entry for entry in entries if round(value(entry), 6) == best)
    winning = interval(winners[0])
    close = tuple(entry for entry in entries if entry not in winners and _overlap(winning, interval(entry)))
    return Event(name, measure, winners, best, winning, close)
