"""The capstone's given (ungraded) figures and text summaries.

Everything here takes plain numbers or ``BenchmarkReport``-shaped dicts, so the notebook can show
it whatever state the student's own code is in. Units: latencies in ms, sizes in MB (1024² bytes).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import cast

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.projections.polar import PolarAxes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from tinytorch.verdicts import interval_text

LIFECYCLE_STAGES = ("Data", "Train", "Optimize", "Benchmark", "Validate", "Submit / deploy", "Monitor")


def plot_batch_sweep(sweep: Sequence[tuple[int, float, float]], ax: Axes | None = None) -> Axes:
    """Latency and throughput against batch size.

    ``sweep`` holds ``(batch size, p50 latency per batch in ms, throughput in samples/s)`` rows.
    Latency goes on the left axis, throughput on a twin right axis; both x and y are log scale,
    the x ticks are the batch sizes measured, each y axis is labelled at 1, 2 and 5 times its
    powers of ten (so every point, the batch-1 one included, has a readable tick near it), and
    the batch with the highest throughput is marked; the legend sits below the axes, clear of
    the points. The title says what is plotted, not what it shows: where throughput peaks
    depends on the machine's caches.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.4), layout="constrained")
    batches = [row[0] for row in sweep]
    latency_ms = [row[1] for row in sweep]
    throughput = [row[2] for row in sweep]
    ax.plot(batches, latency_ms, "o-", color="C3", label="p50 latency per batch (ms)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch size (samples)")
    ax.set_ylabel("p50 latency (ms)", color="C3")
    right = ax.twinx()
    right.plot(batches, throughput, "s--", color="C0", label="throughput (samples/s)")
    right.set_yscale("log")
    right.set_ylabel("throughput (samples/s)", color="C0")
    ax.set_xticks(batches, [str(batch) for batch in batches])
    ax.xaxis.set_minor_locator(NullLocator())
    for axis, values in ((ax, latency_ms), (right, throughput)):
        _label_log_axis_1_2_5(axis, values)
    best = int(np.argmax(throughput))
    right.plot(
        [batches[best]],
        [throughput[best]],
        "o",
        markersize=11,
        markerfacecolor="none",
        color="C0",
        label=f"highest throughput: {throughput[best]:,.0f} samples/s at batch {batches[best]}",
    )
    ax.set_title(
        "p50 latency per batch and throughput against batch size (one model, one BLAS thread)", fontsize="medium"
    )
    lines = ax.get_lines() + right.get_lines()
    # Below the axes: inside, the legend would cover whichever points land in its corner.
    ax.legend(
        lines,
        [str(line.get_label()) for line in lines],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncol=2,
        fontsize="small",
        frameon=False,
    )
    return ax


def _label_log_axis_1_2_5(ax: Axes, values: Sequence[float] | np.ndarray) -> None:
    """Labelled ticks at 1, 2 and 5 x 10^k, from the last one at or below the smallest value to
    the first one at or above the largest: every value lies between two labelled ticks at most
    2.5x apart, so each has a readable tick near it."""
    smallest, largest = float(np.min(values)), float(np.max(values))
    exponents = range(math.floor(math.log10(smallest)) - 1, math.ceil(math.log10(largest)) + 1)
    candidates = [mantissa * 10.0**exponent for exponent in exponents for mantissa in (1, 2, 5)]
    low = max(tick for tick in candidates if tick <= smallest)
    high = min(tick for tick in candidates if tick >= largest)
    ax.set_ylim(low / 1.1, high * 1.1)
    ax.yaxis.set_major_locator(FixedLocator([tick for tick in candidates if low <= tick <= high]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 100 else f"{value:.3g}"))
    ax.yaxis.set_minor_locator(NullLocator())


def plot_repeated_runs(samples_by_run: Mapping[str, np.ndarray], ax: Axes | None = None) -> Axes:
    """One box per repeat of the same benchmark (latencies in ms), whiskers at p1 and p99.

    The y axis is log scale, labelled at 1, 2 and 5 x 10^k, so a few slow calls (a busy machine)
    do not squash the boxes and the medians have a readable tick near them; each run's median
    is marked and joined across runs, and the legend states how far the medians and the slowest
    calls spread (max / min over the runs), whatever the data says.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.6))
    labels = list(samples_by_run)
    data = [np.asarray(samples_by_run[label], dtype=float) for label in labels]
    positions = np.arange(1, len(labels) + 1)
    ax.boxplot(
        data,
        positions=positions,
        whis=(1, 99),
        showfliers=True,
        widths=0.5,
        medianprops={"color": "C1", "linewidth": 1.5},
        flierprops={"markersize": 3, "alpha": 0.5},
    )
    medians = np.array([np.median(samples) for samples in data])
    slowest = np.array([samples.max() for samples in data])
    ax.plot(
        positions,
        medians,
        "D-",
        color="C1",
        markersize=4,
        zorder=3,
        label=f"median of each run: {medians.min():.4g}-{medians.max():.4g} ms "
        f"(max/min {medians.max() / medians.min():.2f}x)",
    )
    ax.plot(
        positions,
        slowest,
        "v:",
        color="C3",
        markersize=4,
        zorder=3,
        label=f"slowest call of each run: {slowest.min():.3g}-{slowest.max():.3g} ms "
        f"(max/min {slowest.max() / slowest.min():.2f}x)",
    )
    ax.set_yscale("log")
    _label_log_axis_1_2_5(ax, np.concatenate(data))
    ax.set_xticks(positions, labels)
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_title("The same batch-1 benchmark run 5 times (box: p25-p75, whiskers: p1-p99)", fontsize="medium")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), fontsize="small", frameon=False)
    return ax


def metrics_table(
    metrics_by_model: Mapping[str, Mapping[str, float]], speedups: Mapping[str, Mapping] | None = None
) -> str:
    """A fixed-width text table of the headline metrics of several benchmarked models.

    With ``speedups`` (model name -> its ``compare_latency(baseline, model, x)`` result), a last
    column holds each model's interleaved speedup over the baseline with its confidence interval,
    ``1.93x [1.81, 2.05]`` ("-" for a model without one).
    """
    header = f"{'model':<14}{'params':>11}{'prec':>6}{'size MB':>9}{'accuracy':>10}{'p50 ms':>9}{'p99 ms':>9}{'samples/s':>11}"
    if speedups is not None:
        header += f"{'speed vs base [95% interval]':>30}"
    rows = [header, "-" * len(header)]
    for name, m in metrics_by_model.items():
        row = (
            f"{name:<14}{m['parameter_count']:>11,}{m['precision']:>6}{m['model_size_mb']:>9.3f}"
            f"{m['accuracy']:>10.4f}{m['latency_ms_p50']:>9.4f}{m['latency_ms_p99']:>9.4f}"
            f"{m['throughput_samples_per_sec']:>11,.0f}"
        )
        if speedups is not None:
            row += f"{interval_text(speedups[name]):>30}" if name in speedups else f"{'-':>30}"
        rows.append(row)
    return "\n".join(rows)


def _ratio_to_radius(ratio: float) -> float:
    """Radial position of a ratio to the baseline: log2 scale, baseline (1×) at radius 3."""
    return max(0.2, 3.0 + math.log2(ratio))


def _points_to_radius(points: float) -> float:
    """Radial position of an accuracy change in points: one ring per point, baseline at radius 3."""
    return max(0.2, 3.0 + points)


def plot_tradeoff_triangle(
    metrics_by_model: Mapping[str, Mapping[str, float]],
    baseline: str,
    speedups: Mapping[str, Mapping],
    ax: Axes | None = None,
) -> Axes:
    """The accuracy / speed / size triangle, one outline per model, relative to ``baseline``.

    Outward is better on every corner, and the baseline is the triangle at radius 3:

    - speed: the model's interleaved speedup over the baseline, from ``speedups[name]`` (its
      ``compare_latency(baseline, model, x)`` result: ``speedup`` and ``interval``), one ring per
      2x, with a whisker over the speedup's confidence interval (none for a comparison of fewer
      than 5 rounds, which has no interval). Every model other than the
      baseline needs one (``ValueError`` otherwise): a ratio of p50s measured one after the other
      carries the machine's states, so it is never drawn;
    - size: baseline MB / MB, one ring per 2x;
    - accuracy: the change in accuracy in points (percentage points), one ring per point, so a
      1-point loss moves the corner in as far as halving the speed does.

    The legend states every model's three figures.
    """
    missing = [name for name in metrics_by_model if name != baseline and name not in speedups]
    if missing:
        raise ValueError(f"no interleaved comparison with the baseline for {missing}: pass compare_latency results")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 6), subplot_kw={"projection": "polar"})
    angles = np.deg2rad([90.0, 210.0, 330.0])
    base = metrics_by_model[baseline]
    closed = np.append(angles, angles[0])
    others = [name for name in metrics_by_model if name != baseline]
    for index, name in enumerate(others):
        m, comparison = metrics_by_model[name], speedups[name]
        points = 100.0 * (m["accuracy"] - base["accuracy"])
        speedup = float(comparison["speedup"])
        interval = comparison.get("interval")
        size = base["model_size_mb"] / m["model_size_mb"]
        radii = [_points_to_radius(points), _ratio_to_radius(speedup), _ratio_to_radius(size)]
        colour = f"C{index}"
        ax.plot(
            closed,
            radii + radii[:1],
            color=colour,
            linewidth=1.6,
            marker="o",
            markersize=4,
            zorder=3,
            label=f"{name}: accuracy {points:+.1f} pt, speed {interval_text(comparison)}, size {size:.3g}×",
        )
        ax.fill(closed, radii + radii[:1], alpha=0.06, color=colour)
        if interval is None:
            continue
        # Whiskers side by side: models with similar speedups would hide each other's.
        whisker_angle = angles[1] + np.deg2rad(2.5 * (index - (len(others) - 1) / 2))
        ax.plot(
            [whisker_angle] * 2,
            [_ratio_to_radius(float(interval["low"])), _ratio_to_radius(float(interval["high"]))],
            color=colour,
            linewidth=4,
            alpha=0.6,
            solid_capstyle="butt",
            zorder=2,
        )
    # The baseline is drawn last, dashed and on top: a model with the same figures (e.g. dense
    # magnitude pruning) would otherwise hide it completely.
    ax.plot(
        closed,
        [3.0] * 4,
        color="black",
        linewidth=2.0,
        linestyle=(0, (4, 3)),
        zorder=5,
        label=f"{baseline} (accuracy {base['accuracy']:.4f}; speed and size 1×)",
    )
    ring_ratios = (0.5, 1, 2, 4, 8, 16, 32, 64)
    polar = cast(PolarAxes, ax)  # the stubs type a polar projection's axes as plain Axes
    polar.set_rticks([_ratio_to_radius(r) for r in ring_ratios], [f"{r:g}×" for r in ring_ratios], fontsize="x-small")
    # Ring labels along the empty direction between the speed and size corners; the accuracy
    # spoke gets its own, in points.
    polar.set_rlabel_position(270)
    for points in (-2, -1, 1, 2):
        ax.text(
            angles[0] + 0.05,
            _points_to_radius(points),
            f"{points:+d} pt",
            fontsize="x-small",
            color="0.3",
            ha="right",
            va="center",
            zorder=6,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )
    corners = (
        "accuracy\n(1 ring = 1 point)",
        "speed, interleaved\n(1 ring = 2×; bar: 95% interval)",
        "size\n(1 ring = 2×)",
    )
    ax.set_xticks(angles, corners, fontsize="medium")
    ax.tick_params(axis="x", pad=14)
    polar.set_rlim(0, _ratio_to_radius(64))
    ax.set_title("Relative to the baseline on each corner (outward is better)", fontsize="medium", pad=30)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize="small", frameon=False)
    return ax


def engineering_reality_card(
    report: Mapping, latencies_ms: Sequence[float] | np.ndarray | None = None, comparison: Mapping | None = None
) -> str:
    """Fill the deck's five blanks (hardware, batch size, precision, variance, load) from a report dict.

    ``report`` is shaped like ``BenchmarkReport.to_dict()``: ``model_name``, ``system_info`` and a
    filled ``metrics``. The variance blank describes the claim, which is a p50: the spread of the
    round p50s (``latency_p50_spread``) and, given the report's raw ``latencies_ms``, their
    interquartile range relative to their median. The standard deviation is left out: a few slow
    calls set it, and it says nothing about the p50. A report with neither falls back to it.
    Given ``comparison`` (``compare_latency(baseline, model, x)`` of this report's model), the card
    adds the claim's speedup with its confidence interval, ``1.93x [1.81, 2.05]``.
    """
    info, m = report["system_info"], report["metrics"]
    load = info.get("load_average")
    threads = info.get("blas_threads")
    hardware = f"{info['platform']} ({info['machine']}, {info['cpu_count']} CPUs"
    hardware += f", {threads} BLAS thread{'s' if threads != 1 else ''})" if threads is not None else ")"
    spreads = []
    if latencies_ms is not None:
        q1, median, q3 = np.percentile(np.asarray(latencies_ms, dtype=float), (25, 50, 75))
        spreads.append(f"IQR of all calls {q3 - q1:.4f} ms = {(q3 - q1) / median:.1%} of their median")
    if "latency_p50_spread" in m:
        rounds = len(m.get("latency_ms_round_p50s", ()))
        spreads.append(f"round p50s spread {m['latency_p50_spread']:.1%} ({rounds} rounds)")
    if spreads:
        variance = f"p50 {m['latency_ms_p50']:.4f} ms; " + "; ".join(spreads)
    else:
        variance = f"{m['latency_ms_std']:.4f} ms around a mean of {m['latency_ms_mean']:.4f} ms (std, set by the slowest calls)"
    lines = [
        f"The engineering reality of '{report['model_name']}':",
        f"  Hardware platform:     {hardware}",
        f"  Batch size:            {m['batch_size']}",
        f"  Precision (FP32/INT8): {m['precision'].upper()}",
        f"  Variance (spread):     {variance}",
        f"  System load:           {'not reported by this OS' if load is None else f'{load:.2f} (1-minute load average)'}",
    ]
    if comparison is not None:
        interval = comparison.get("interval")
        how = (
            f"{round(100 * float(interval['confidence']))}% interval of the median"
            if interval is not None
            else "no interval: fewer than 5 rounds"
        )
        lines.append(
            f"  Speedup vs baseline:   {interval_text(comparison)} ({how} of {len(comparison['ratios'])} "
            f"same-round ratios)"
        )
    return "\n".join(lines)


def draw_lifecycle(ax: Axes | None = None) -> Axes:
    """The ML lifecycle as a loop of stages, with benchmarking and validation as the gate."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    count = len(LIFECYCLE_STAGES)
    angles = np.pi / 2 - 2 * np.pi * np.arange(count) / count
    centres = np.column_stack([np.cos(angles) * 1.6, np.sin(angles)])
    gate = {"Benchmark", "Validate"}
    boxes = []
    for (x, y), stage in zip(centres, LIFECYCLE_STAGES):
        colour = "#ffd8a8" if stage in gate else "#dbe4ff"
        box = FancyBboxPatch(
            (x - 0.42, y - 0.13), 0.84, 0.26, boxstyle="round,pad=0.03", facecolor=colour, edgecolor="black"
        )
        ax.add_patch(box)
        boxes.append(box)
        ax.text(x, y, stage, ha="center", va="center", fontsize="small", weight="bold" if stage in gate else None)
    for index in range(count):
        following = (index + 1) % count
        # Anchored at the box centres and clipped to the box outlines, so every arrow spans the gap.
        ax.add_patch(
            FancyArrowPatch(
                tuple(centres[index]),
                tuple(centres[following]),
                patchA=boxes[index],
                patchB=boxes[following],
                shrinkA=2,
                shrinkB=2,
                arrowstyle="-|>",
                mutation_scale=14,
                color="dimgray",
                connectionstyle="arc3,rad=-0.15",
            )
        )
    ax.text(0, 0, "the complete\nML lifecycle", ha="center", va="center", fontsize="medium", style="italic")
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
