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

LIFECYCLE_STAGES = ("Data", "Train", "Optimize", "Benchmark", "Validate", "Submit / deploy", "Monitor")


def plot_batch_sweep(sweep: Sequence[tuple[int, float, float]], ax: Axes | None = None) -> Axes:
    """Latency and throughput against batch size.

    ``sweep`` holds ``(batch size, p50 latency per batch in ms, throughput in samples/s)`` rows.
    Latency goes on the left axis, throughput on a twin right axis; both x and y are log scale,
    the x ticks are the batch sizes measured, and the batch with the highest throughput is
    marked. The title says what is plotted, not what it shows: where throughput peaks depends
    on the machine's caches.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.8))
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
    ax.minorticks_off()
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
    ax.legend(lines, [str(line.get_label()) for line in lines], loc="lower right", fontsize="small")
    return ax


def plot_repeated_runs(samples_by_run: Mapping[str, np.ndarray], ax: Axes | None = None) -> Axes:
    """One box per repeat of the same benchmark (latencies in ms), whiskers at p1 and p99.

    The y axis is log scale, so a few slow calls (a busy machine) do not squash the boxes; each
    run's median is marked and joined across runs, and the legend states how far the medians
    and the slowest calls spread (max / min over the runs), whatever the data says.
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
    ax.set_xticks(positions, labels)
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_title("The same batch-1 benchmark run 5 times (box: p25-p75, whiskers: p1-p99)", fontsize="medium")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), fontsize="small", frameon=False)
    return ax


def metrics_table(metrics_by_model: Mapping[str, Mapping[str, float]]) -> str:
    """A fixed-width text table of the headline metrics of several benchmarked models."""
    header = f"{'model':<14}{'params':>11}{'prec':>6}{'size MB':>9}{'accuracy':>10}{'p50 ms':>9}{'p99 ms':>9}{'samples/s':>11}"
    rows = [header, "-" * len(header)]
    for name, m in metrics_by_model.items():
        rows.append(
            f"{name:<14}{m['parameter_count']:>11,}{m['precision']:>6}{m['model_size_mb']:>9.3f}"
            f"{m['accuracy']:>10.4f}{m['latency_ms_p50']:>9.4f}{m['latency_ms_p99']:>9.4f}"
            f"{m['throughput_samples_per_sec']:>11,.0f}"
        )
    return "\n".join(rows)


def _ratio_to_radius(ratio: float) -> float:
    """Radial position of a ratio to the baseline: log2 scale, baseline (1×) at radius 3."""
    return max(0.2, 3.0 + math.log2(ratio))


def plot_tradeoff_triangle(
    metrics_by_model: Mapping[str, Mapping[str, float]], baseline: str, ax: Axes | None = None
) -> Axes:
    """The accuracy / speed / size triangle, one outline per model, normalised to ``baseline``.

    Each corner is a ratio where bigger is better: accuracy / baseline accuracy, speed = baseline
    p50 / p50, size = baseline MB / MB. The radius is log2 of the ratio, so the baseline is the
    triangle at 1× and a model twice as fast reaches one ring further out on the speed corner.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6), subplot_kw={"projection": "polar"})
    corners = ("accuracy", "speed", "size")
    angles = np.deg2rad([90.0, 210.0, 330.0])
    base = metrics_by_model[baseline]
    closed = np.append(angles, angles[0])
    others = [name for name in metrics_by_model if name != baseline]
    # The baseline is drawn last, dashed and on top: a model with the same ratios (e.g. dense
    # magnitude pruning) would otherwise hide it completely.
    for index, name in enumerate([*others, baseline]):
        m = metrics_by_model[name]
        ratios = (
            m["accuracy"] / base["accuracy"],
            base["latency_ms_p50"] / m["latency_ms_p50"],
            base["model_size_mb"] / m["model_size_mb"],
        )
        radii = [_ratio_to_radius(r) for r in ratios]
        if name == baseline:
            ax.plot(
                closed,
                radii + radii[:1],
                color="black",
                linewidth=2.0,
                linestyle=(0, (4, 3)),
                zorder=5,
                label=f"{name} (1× everywhere)",
            )
            continue
        colour = f"C{index}"
        ax.plot(
            closed,
            radii + radii[:1],
            color=colour,
            linewidth=1.6,
            marker="o",
            markersize=4,
            zorder=3,
            label=f"{name}: {ratios[1]:.2g}× speed, {ratios[2]:.2g}× size",
        )
        ax.fill(closed, radii + radii[:1], alpha=0.06, color=colour)
    ring_ratios = (0.5, 1, 2, 4, 8, 16, 32, 64)
    polar = cast(PolarAxes, ax)  # the stubs type a polar projection's axes as plain Axes
    polar.set_rticks([_ratio_to_radius(r) for r in ring_ratios], [f"{r:g}×" for r in ring_ratios], fontsize="x-small")
    # Ring labels along the empty direction between the speed and size corners.
    polar.set_rlabel_position(270)
    ax.set_xticks(angles, corners, fontsize="medium")
    ax.tick_params(axis="x", pad=10)
    polar.set_rlim(0, _ratio_to_radius(64))
    ax.set_title("Ratio to the baseline on each corner (log scale; outward is better)", fontsize="medium", pad=24)
    ax.legend(loc="upper left", bbox_to_anchor=(1.05, 1.0), fontsize="small")
    return ax


def engineering_reality_card(report: Mapping) -> str:
    """Fill the deck's five blanks (hardware, batch size, precision, variance, load) from a report dict.

    ``report`` is shaped like ``BenchmarkReport.to_dict()``: ``model_name``, ``system_info`` and a
    filled ``metrics``.
    """
    info, m = report["system_info"], report["metrics"]
    cv = m["latency_ms_std"] / m["latency_ms_mean"]
    load = info.get("load_average")
    threads = info.get("blas_threads")
    hardware = f"{info['platform']} ({info['machine']}, {info['cpu_count']} CPUs"
    hardware += f", {threads} BLAS thread{'s' if threads != 1 else ''})" if threads is not None else ")"
    lines = [
        f"The engineering reality of '{report['model_name']}':",
        f"  Hardware platform:     {hardware}",
        f"  Batch size:            {m['batch_size']}",
        f"  Precision (FP32/INT8): {m['precision'].upper()}",
        f"  Variance (std dev):    {m['latency_ms_std']:.4f} ms around a mean of {m['latency_ms_mean']:.4f} ms (cv {cv:.1%})",
        f"  System load:           {'not reported by this OS' if load is None else f'{load:.2f} (1-minute load average)'}",
    ]
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
