"""Draw the leaderboard as a PNG: speedup vs compression on log axes.

Each valid submission is a point labelled by its submitter; colour is the accuracy delta in
percentage points on a diverging scale centred at 0 (with a colourbar). Ranked submissions
are filled circles, unranked ones (accuracy criterion failed) crosses. The Pareto front of the
ranked submissions (none of them is both faster and smaller) is drawn as a staircase; dotted
lines mark 1x (no change).

On re-measured numbers (``Leaderboard.remeasured``) the points are where the course measured each
artifact; a hollow grey circle marks each claim, joined to its re-measured point by a dashed
line, and claims that did not reproduce are labelled so; a horizontal bar spans each re-measured
speedup's 95% interval. Submissions that could not be measured are not drawn (the Markdown lists
them).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported: files only, no display needed

import matplotlib.pyplot as plt
from matplotlib.colors import TwoSlopeNorm

from course_tools.submissions.leaderboard import ACCURACY_TOLERANCE, Entry, Leaderboard

_LABEL_CHARACTERS = 24
_MEASURED_VERDICTS = ("reproduced", "not reproduced")
_COLOUR_LIMIT_POINTS = 2.0  # colour scale ±2 points: the ±1-point criterion sits mid-scale


def pareto_front(entries: tuple[Entry, ...] | list[Entry]) -> list[Entry]:
    """Entries no other entry beats on both speedup and compression (ties keep both), ordered
    by increasing speedup (hence decreasing compression)."""
    front = [
        entry
        for entry in entries
        if not any(
            other.speedup >= entry.speedup
            and other.compression >= entry.compression
            and (other.speedup > entry.speedup or other.compression > entry.compression)
            for other in entries
        )
    ]
    return sorted(front, key=lambda entry: (entry.speedup, -entry.compression))


def render_png(board: Leaderboard, path: str | os.PathLike[str]) -> Path:
    """Write the plot to ``path`` (PNG) and return it."""
    figure, axes = plt.subplots(figsize=(8, 6), dpi=120)
    try:
        if any(_drawn(board)):
            _draw(figure, axes, board)
        else:
            axes.set_axis_off()
            axes.text(
                0.5,
                0.5,
                _plain(board.message or "No valid submission"),
                ha="center",
                va="center",
                fontsize=12,
                wrap=True,
            )
        kind = "re-measured by the course" if board.remeasured else "as claimed"
        axes.set_title(
            f"Class leaderboard, {kind}: {len(board.ranked)} ranked, {len(board.unranked)} unranked, "
            f"{len(board.rejected)} rejected"
        )
        figure.tight_layout()
        output = Path(path)
        figure.savefig(output, format="png")
    finally:
        plt.close(figure)
    return output


def _drawn(board: Leaderboard) -> tuple[list[Entry], list[Entry]]:
    """The ranked and unranked entries that have a point on the plot."""
    if not board.remeasured:
        return list(board.ranked), list(board.unranked)
    return list(board.ranked), [entry for entry in board.unranked if entry.verdict in _MEASURED_VERDICTS]


def _draw(figure: plt.Figure, axes: plt.Axes, board: Leaderboard) -> None:
    ranked, unranked = _drawn(board)
    entries = ranked + unranked
    claims = [entry.claimed for entry in entries if board.remeasured and entry.claimed]
    axes.set_xscale("log")
    axes.set_yscale("log")
    x_limits, y_limits = _padded_limits(
        [entry.speedup for entry in entries] + [claim[0] for claim in claims] or [1.0],
        [entry.compression for entry in entries] + [claim[1] for claim in claims] or [1.0],
    )
    axes.set_xlim(*x_limits)
    axes.set_ylim(*y_limits)
    _draw_pareto_front(axes, pareto_front(board.ranked), x_limits[0], y_limits[0])
    norm = TwoSlopeNorm(vmin=-_COLOUR_LIMIT_POINTS, vcenter=0.0, vmax=_COLOUR_LIMIT_POINTS)
    colour_map = plt.get_cmap("RdBu")
    if board.remeasured:
        _draw_claims(axes, entries)
        _draw_intervals(axes, entries)
    unranked_label = (
        "not reproduced, or below the accuracy floor"
        if board.remeasured
        else f"unranked: |Δ accuracy| > {ACCURACY_TOLERANCE * 100:g} point"
    )
    groups = ((ranked, "o", "ranked (re-measured)" if board.remeasured else "ranked"), (unranked, "X", unranked_label))
    for group, marker, label in groups:
        if group:
            axes.scatter(
                [entry.speedup for entry in group],
                [entry.compression for entry in group],
                c=[entry.accuracy_delta * 100 for entry in group],
                cmap=colour_map,
                norm=norm,
                marker=marker,
                s=90,
                edgecolors="black",
                linewidths=0.8,
                zorder=3,
                label=label,
            )
    axes.axvline(1.0, color="0.6", linestyle=":", linewidth=1, zorder=0)
    axes.axhline(1.0, color="0.6", linestyle=":", linewidth=1, zorder=0)
    measured_by = "re-measured side by side" if board.remeasured else "interleaved rounds"
    axes.set_xlabel(f"speedup = baseline p50 / optimized p50, {measured_by} (×, log scale)")
    axes.set_ylabel("compression = baseline size / optimized size (×, log scale)")
    axes.grid(True, which="major", linewidth=0.4, alpha=0.5)
    colourbar = figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=colour_map), ax=axes, extend="both")
    colourbar.set_label("accuracy delta (percentage points; criterion ±1)")
    for bound in (-ACCURACY_TOLERANCE * 100, ACCURACY_TOLERANCE * 100):
        colourbar.ax.axhline(bound, color="black", linewidth=1)
    axes.legend(loc="lower right", fontsize=8)
    _place_labels(figure, axes, entries)


def _draw_intervals(axes: plt.Axes, entries: list[Entry]) -> None:
    """Each re-measured speedup's 95% interval as a horizontal error bar."""
    shown = [entry for entry in entries if entry.speedup_interval is not None]
    if not shown:
        return
    below = [entry.speedup - entry.speedup_interval[0] for entry in shown if entry.speedup_interval]
    above = [entry.speedup_interval[1] - entry.speedup for entry in shown if entry.speedup_interval]
    axes.errorbar(
        [entry.speedup for entry in shown],
        [entry.compression for entry in shown],
        xerr=[below, above],
        fmt="none",
        ecolor="0.25",
        elinewidth=1,
        capsize=3,
        zorder=2,
        label="95% interval of the re-measured speedup",
    )


def _draw_claims(axes: plt.Axes, entries: list[Entry]) -> None:
    """Each claim as a hollow grey circle, dashed to where the course measured it."""
    claimed = [entry for entry in entries if entry.claimed]
    for entry in claimed:
        assert entry.claimed is not None
        axes.plot(
            [entry.claimed[0], entry.speedup],
            [entry.claimed[1], entry.compression],
            color="0.5",
            linestyle="--",
            linewidth=0.9,
            zorder=1,
        )
    if claimed:
        axes.scatter(
            [entry.claimed[0] for entry in claimed if entry.claimed],
            [entry.claimed[1] for entry in claimed if entry.claimed],
            s=60,
            facecolors="none",
            edgecolors="0.45",
            linewidths=1.0,
            zorder=2,
            label="claimed by the student",
        )


# Label positions tried in turn (offset in points, horizontal and vertical alignment).
_LABEL_POSITIONS = (
    ((6, 6), "left", "bottom"),
    ((6, -6), "left", "top"),
    ((-6, 6), "right", "bottom"),
    ((-6, -6), "right", "top"),
    ((0, 10), "center", "bottom"),
    ((0, -10), "center", "top"),
)


def _place_labels(figure: plt.Figure, axes: plt.Axes, entries: list[Entry]) -> None:
    """Label every point, ranked ones first, each at the first position that overlaps no label
    placed before it (the last position when all overlap): readable for a class of a few dozen."""
    figure.tight_layout()  # settle the layout first: overlaps are measured in display space
    placed: list[Any] = []
    for entry in entries:
        for index, (offset, horizontal, vertical) in enumerate(_LABEL_POSITIONS):
            label = axes.annotate(
                _label(entry),
                (entry.speedup, entry.compression),
                xytext=offset,
                textcoords="offset points",
                ha=horizontal,
                va=vertical,
                fontsize=8,
                color="black" if entry.rank is not None else "0.35",
                zorder=4,
            )
            box = label.get_window_extent()
            if index == len(_LABEL_POSITIONS) - 1 or not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            label.remove()


def _draw_pareto_front(axes: plt.Axes, front: list[Entry], x_floor: float, y_floor: float) -> None:
    """The staircase bounding the region the front dominates (shaded), from the left axis edge
    to the bottom one."""
    if not front:
        return
    xs = [x_floor]
    ys = [front[0].compression]
    for current, following in zip(front, front[1:] + [None]):
        xs.append(current.speedup)
        ys.append(current.compression)
        xs.append(current.speedup)
        ys.append(following.compression if following is not None else y_floor)
    axes.fill_between(xs, ys, y_floor, color="0.85", alpha=0.5, zorder=0, linewidth=0)
    axes.plot(xs, ys, color="0.3", linewidth=1.4, zorder=1, label="Pareto front of the ranked")
    axes.scatter(
        [entry.speedup for entry in front],
        [entry.compression for entry in front],
        s=220,
        facecolors="none",
        edgecolors="0.3",
        linewidths=1.2,
        zorder=2,
    )


def _label(entry: Entry) -> str:
    name = (
        entry.submitter if len(entry.submitter) <= _LABEL_CHARACTERS else entry.submitter[: _LABEL_CHARACTERS - 1] + "…"
    )
    name = _plain(name)
    if entry.verdict == "not reproduced":
        name += " (not reproduced)"
    return f"#{entry.rank} {name}" if entry.rank is not None else name


def _plain(text: str) -> str:
    """Text drawn as is: a ``$`` would otherwise start matplotlib mathtext (and may fail to render)."""
    return text.replace("$", r"\$")


def _padded_limits(xs: list[float], ys: list[float]) -> tuple[tuple[float, float], tuple[float, float]]:
    """Log-axis limits that include 1x and every point, with room for the labels."""
    limits = []
    for values in (xs, ys):
        low, high = min(min(values), 1.0), max(max(values), 1.0)
        limits.append((low / 1.6, high * 1.8))
    return limits[0], limits[1]
