"""Render a ``Leaderboard`` as a Markdown document (GitHub-flavoured tables)."""

from __future__ import annotations

from course_tools.submissions.leaderboard import ACCURACY_TOLERANCE, SCORE_FORMULA, Entry, Leaderboard

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
        "(without a recorded method: baseline p50 / optimized p50), compression = baseline size / optimized size, "
        "all recomputed from each submission's rounds and metrics. One entry per submitter (the newest valid submission).",
        "",
    ]
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
    return "\n".join(lines)


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
