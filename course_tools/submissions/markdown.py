"""Render a ``Leaderboard`` as a Markdown document (GitHub-flavoured tables)."""

from __future__ import annotations

from course_tools.submissions.leaderboard import ACCURACY_TOLERANCE, SCORE_FORMULA, Entry, Leaderboard
from course_tools.submissions.remeasured import Event, events

_PROBLEMS_SHOWN = 5
_MARKDOWN_SPECIAL = str.maketrans({character: "\\" + character for character in "\\`*_[]<>|#$"})


def escape(text: str) -> str:
    """Make student-chosen text (names, techniques, file names) inert in Markdown: one line,
    special characters escaped, so it can neither break a table nor inject markup."""
    return " ".join(text.split()).translate(_MARKDOWN_SPECIAL)


def render_markdown(board: Leaderboard) -> str:
    """The leaderboard page: the scoring rule, the ranked table, unranked entries, rejected files."""
    tolerance_points = ACCURACY_TOLERANCE * 100
    lines = [
        "# Class leaderboard",
        "",
        f"Score = {SCORE_FORMULA}, counted only when |accuracy delta| <= {tolerance_points:g} percentage point; "
        "speedup = median over interleaved rounds of baseline p50 / optimized p50 in the same round "
        "(without a recorded method: baseline p50 / optimized p50), compression = baseline stored bytes / optimized stored bytes (before schema 1.3.0: counted model_size_mb), "
        "all recomputed from each submission's rounds and metrics. One entry per submitter (the newest valid submission).",
        "",
    ]
    if board.remeasured:
        return "\n".join(lines[:2] + _remeasured(board))
    if board.message:
        lines += [f"**{escape(board.message)}.**", ""]
    if board.ranked:
        lines += [
            "| Rank | Submitter | Score | Speedup | Compression | Δ accuracy (points) | Batch | Techniques | File |",
            "|---:|---|---:|---:|---:|---:|---:|---|---|",
        ]
        lines += [_ranked_row(entry) for entry in board.ranked]
        lines.append("")
    if board.unranked:
        lines += [
            f"## Not ranked: accuracy changed by more than {tolerance_points:g} point",
            "",
            "| Submitter | Speedup | Compression | Δ accuracy (points) | Batch | Techniques | File |",
            "|---|---:|---:|---:|---:|---|---|",
        ]
        lines += [_unranked_row(entry) for entry in board.unranked]
        lines.append("")
    lines += _rejected(board)
    return "\n".join(lines)


def _rejected(board: Leaderboard) -> list[str]:
    lines: list[str] = []
    if board.rejected:
        lines += [f"## Rejected files ({len(board.rejected)})", ""]
        for rejected in board.rejected:
            shown = rejected.problems[:_PROBLEMS_SHOWN]
            reasons = "; ".join(
                f"{escape(problem.path)}: {escape(problem.message)} ({problem.code})" for problem in shown
            )
            hidden = len(rejected.problems) - len(shown)
            more = f"; and {hidden} more (run validate on it)" if hidden else ""
            lines.append(f"- {escape(rejected.file)}: {reasons}{more}")
        lines.append("")
    return lines


def _remeasured(board: Leaderboard) -> list[str]:
    """The page for a board on re-measured numbers: rule, events, ranked, flagged, rejected."""
    tolerance_points = ACCURACY_TOLERANCE * 100
    lines = [
        f"Every claim was re-measured by the course on one machine (`python -m course_tools reproduce`): the "
        "student's model artifact and the baseline side by side in interleaved rounds, one BLAS thread, batch 1, "
        "medians; accuracy on the test set. Ranked: claims whose verdict is *reproduced* and whose re-measured "
        f"|accuracy delta| <= {tolerance_points:g} percentage point (the accuracy floor), by score = "
        f"{SCORE_FORMULA} of the re-measured numbers. Claimed numbers are shown beside them.",
        "",
        "Every re-measured speedup is shown with its 95% interval (percentile bootstrap of the median of its "
        "rounds). The rank follows the re-measured points; *tied with* names the entries whose score intervals "
        "overlap, which the re-measurement cannot tell apart.",
        "",
        "## Events",
        "",
        "| Event | Measure | Winner | Value | Uncertainty |",
        "|---|---|---|---:|---|",
    ]
    for event in events(board):
        winners = ", ".join(escape(entry.submitter) for entry in event.winners) or "nobody"
        value = "-" if event.value is None else f"{event.value:.2f}"
        lines.append(f"| {event.name} | {escape(event.measure)} | {winners} | {value} | {_uncertainty(event)} |")
    lines.append("")
    if board.message:
        lines += [f"**{escape(board.message)}.**", ""]
    header = (
        "| Speedup | claimed | Compression | claimed | Δ accuracy (points) | claimed | Techniques | File |",
        "|---:|---:|---:|---:|---:|---:|---|---|",
    )
    if board.ranked:
        lines += ["| Rank | Submitter | Score | Tied with " + header[0], "|---:|---|---:|---" + header[1]]
        lines += [
            "| "
            + " | ".join(
                [
                    str(entry.rank),
                    escape(entry.submitter),
                    f"{entry.score:.2f}",
                    escape(", ".join(entry.tied_with)) or "-",
                    *_measured_cells(entry),
                ]
            )
            + " |"
            for entry in board.ranked
        ]
        lines.append("")
    if board.unranked:
        lines += [
            "## Not ranked: not reproduced, not measured, or below the accuracy floor",
            "",
            "| Submitter | Verdict " + header[0],
            "|---|---" + header[1],
        ]
        lines += [
            "| " + " | ".join([escape(entry.submitter), _flag(entry), *_measured_cells(entry)]) + " |"
            for entry in board.unranked
        ]
        lines.append("")
    return lines + _rejected(board)


def _uncertainty(event: Event) -> str:
    if event.value is None:
        return "-"
    if event.interval is None:
        return "exact: sizes are counted, not timed"
    low, high = event.interval
    close = ", ".join(escape(entry.submitter) for entry in event.within_uncertainty)
    tied = f"; tied within the intervals: {close}" if close else "; no other interval overlaps"
    return f"95% interval [{low:.2f}, {high:.2f}]{tied}"


def _flag(entry: Entry) -> str:
    verdict = entry.verdict or "not measured"
    if verdict == "reproduced":
        return "reproduced, below the accuracy floor"
    return f"**{escape(verdict)}** ⚠" if verdict == "not reproduced" else escape(verdict)


def _measured_cells(entry: Entry) -> list[str]:
    claimed = entry.claimed or (entry.speedup, entry.compression, entry.accuracy_delta)
    measured = entry.verdict is not None and entry.verdict not in ("not measured", "artifact missing")
    interval = f" [{entry.speedup_interval[0]:.2f}, {entry.speedup_interval[1]:.2f}]" if entry.speedup_interval else ""
    shown = (
        (f"{entry.speedup:.2f}×{interval}", f"{entry.compression:.2f}×", f"{entry.accuracy_delta * 100:+.2f}")
        if measured
        else ("-", "-", "-")
    )
    return [
        shown[0],
        f"{claimed[0]:.2f}×",
        shown[1],
        f"{claimed[1]:.2f}×",
        shown[2],
        f"{claimed[2] * 100:+.2f}",
        escape(", ".join(entry.techniques)),
        escape(entry.file),
    ]


def _common_cells(entry: Entry) -> list[str]:
    return [
        f"{entry.speedup:.2f}×",
        f"{entry.compression:.2f}×",
        f"{entry.accuracy_delta * 100:+.2f}",
        str(entry.batch_size),
        escape(", ".join(entry.techniques)),
        escape(entry.file),
    ]


def _ranked_row(entry: Entry) -> str:
    assert entry.score is not None
    cells = [str(entry.rank), escape(entry.submitter), f"{entry.score:.2f}", *_common_cells(entry)]
    return "| " + " | ".join(cells) + " |"


def _unranked_row(entry: Entry) -> str:
    return "| " + " | ".join([escape(entry.submitter), *_common_cells(entry)]) + " |"
