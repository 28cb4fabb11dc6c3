"""Given (ungraded) figures of latency measured in rounds: the machine's states, and why
comparing two models inside the same rounds cancels what those states share.

Inputs are plain numbers, so the notebook can draw them whatever state the student's code is
in. Latencies in ms; a round is ``runs`` calls timed back to back and summarised by its p50.
A *comparison* is the dict ``compare_latency`` returns: ``p50_a_ms`` and ``p50_b_ms`` (one p50
per round for each function, in time order), ``ratios`` (``p50_a / p50_b`` per round) and
``speedup`` (the median of ``ratios``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

Latencies = Sequence[float] | np.ndarray


def relative_range(values: Latencies) -> float:
    """(max - min) / median: how far apart the rounds are, as a fraction of the typical round."""
    array = _positive_1d(values, "values")
    return float((array.max() - array.min()) / np.median(array))


def plot_machine_states(
    times_s: Latencies, round_p50s_ms: Latencies, ax: Axes | None = None, label: str = "model"
) -> Axes:
    """Round p50s of one model against the time each round started.

    Plateaus are the machine's performance states: rounds close in time share a state, so one
    short run measures one state only. The dashed line is the median of the round p50s (the
    figure a harness in rounds reports); the title states their spread (relative range).
    """
    times = np.asarray(times_s, dtype=float)
    p50s = _positive_1d(round_p50s_ms, "round_p50s_ms")
    if times.shape != p50s.shape:
        raise ValueError(f"times_s and round_p50s_ms differ in length: {times.size} vs {p50s.size}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.2))
    median = float(np.median(p50s))
    ax.plot(times, p50s, "o-", markersize=3, linewidth=0.8, color="C0", label=f"{label}: p50 of each round")
    ax.axhline(median, color="C3", linestyle="--", label=f"median of rounds = {median:.4f} ms")
    ax.set_xlabel("time since the first round (s)")
    ax.set_ylabel("round p50 (ms)")
    ax.set_title(f"One model, round after round: spread between rounds {relative_range(p50s):.0%} of the median")
    ax.legend(fontsize="small")
    return ax


def plot_interleaved(
    comparison: Mapping[str, Latencies],
    names: tuple[str, str] = ("baseline", "optimized"),
    axes: Sequence[Axes] | None = None,
) -> Sequence[Axes]:
    """Why interleaving works, in two panels.

    Left: each model's round p50s divided by its own median, round by round: a state of the
    machine that slows both makes both lines rise together; a line moving alone is that model's
    own variation, which no pairing cancels. Right: the ratio of the two p50s taken inside the same
    round (what ``compare_latency`` reports) against the ratio of p50s taken in different
    rounds (what two separate benchmarks compare): the shared state cancels only in the first.
    """
    p50_a = _positive_1d(comparison["p50_a_ms"], "p50_a_ms")
    p50_b = _positive_1d(comparison["p50_b_ms"], "p50_b_ms")
    ratios = _positive_1d(comparison["ratios"], "ratios")
    if not p50_a.size == p50_b.size == ratios.size:
        raise ValueError(f"p50_a_ms, p50_b_ms and ratios differ in length: {p50_a.size}, {p50_b.size}, {ratios.size}")
    if axes is None:
        # Constrained layout keeps the two titles and the legends below the panels apart.
        _, axes = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [3, 2]}, layout="constrained")
    left, right = axes
    rounds = np.arange(1, p50_a.size + 1)
    left.plot(rounds, p50_a / np.median(p50_a), "o-", color="C0", label=f"{names[0]} (p50 / its median)")
    left.plot(rounds, p50_b / np.median(p50_b), "s-", color="C1", label=f"{names[1]} (p50 / its median)")
    left.axhline(1.0, color="0.6", linestyle=":")
    left.set_xlabel("round")
    left.set_ylabel("round p50 / median of rounds")
    left.set_title("Each model's round p50s, relative to its median", fontsize="medium")
    left.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    cross = cross_round_ratios(p50_a, p50_b)
    groups = [ratios, cross] if cross.size else [ratios]
    labels = ["same round", "different rounds"][: len(groups)]
    right.boxplot(groups, whis=(0, 100))
    right.set_xticks(range(1, len(groups) + 1), labels)
    speedup = float(comparison.get("speedup", np.median(ratios)))
    right.axhline(speedup, color="C3", linestyle="--", label=f"speedup = median of same-round ratios = {speedup:.2f}x")
    right.set_ylabel(f"{names[0]} p50 / {names[1]} p50 (x)")
    right.set_title(
        f"Ratios spread: same round {relative_range(ratios):.0%}"
        + (f", different {relative_range(cross):.0%}" if cross.size else ""),
        fontsize="medium",
    )
    right.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
    return axes


def cross_round_ratios(p50_a: Latencies, p50_b: Latencies) -> np.ndarray:
    """Every ratio ``p50_a[i] / p50_b[j]`` with ``i != j``: a comparison of two separate runs."""
    a = _positive_1d(p50_a, "p50_a")
    b = _positive_1d(p50_b, "p50_b")
    table = a[:, None] / b[None, :]
    return table[~np.eye(a.size, b.size, dtype=bool)]


def _positive_1d(values: Latencies, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of latencies, got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array <= 0):
        raise ValueError(f"{name} must hold finite numbers > 0, got {array.tolist()}")
    return array
