import matplotlib.pyplot as plt
import numpy as np


def plot_latency_distribution(samples_by_model: dict, ax=None):
    """One histogram per model on its own log-spaced bins, p50 (solid) and p99 (dotted) lines, log axis."""
    if ax is None:
        fig = plt.figure(figsize=(6, 3))
        ax = fig.add_subplot(1, 1, 1)
    for index, (name, samples) in enumerate(samples_by_model.items()):
        colour = f"C{index % 10}"
        values = np.asarray(samples, dtype=float)
        edges = np.geomspace(values.min(), values.max(), 40)
        ax.hist(values, bins=edges, histtype="stepfilled", alpha=0.4, color=colour, label=name)
        ax.axvline(np.percentile(values, 50), color=colour, label=f"{name} median")
        ax.axvline(np.percentile(values, 99), color=colour, linestyle=":", label=f"{name} p99")
    ax.set(xlabel="Latency [ms]", ylabel="Count", xscale="log")
    ax.legend()
    return ax
