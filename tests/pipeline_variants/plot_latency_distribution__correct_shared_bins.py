import matplotlib.pyplot as plt
import numpy as np


def plot_latency_distribution(samples_by_model, ax=None):
    """All histograms in one call on shared logarithmic bins; quantile lines drawn with ax.axvline."""
    ax = ax if ax is not None else plt.subplots()[1]
    names = list(samples_by_model)
    series = [np.asarray(samples_by_model[name], dtype=float) for name in names]
    every = np.concatenate(series)
    ax.hist(series, bins=np.logspace(np.log10(every.min()), np.log10(every.max()), 30), label=names, alpha=0.6)
    ax.set_xscale("log")
    for values in series:
        for q, style in ((0.50, "-"), (0.99, "--")):
            ax.axvline(np.quantile(values, q), linestyle=style, color="black", linewidth=0.8)
    ax.set_xlabel("time per call (ms)")
    ax.set_ylabel("runs")
    ax.legend(title="model")
    return ax
