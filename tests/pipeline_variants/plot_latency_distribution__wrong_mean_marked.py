import matplotlib.pyplot as plt
import numpy as np


def plot_latency_distribution(samples_by_model: dict, ax=None):
    """Marks the mean where the median belongs."""
    if ax is None:
        _, ax = plt.subplots()
    for name, samples in samples_by_model.items():
        samples = np.asarray(samples, dtype=float)
        ax.hist(samples, bins=30, alpha=0.5, label=name)
        ax.axvline(samples.mean())
        ax.axvline(np.percentile(samples, 99), linestyle="--")
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("count")
    ax.legend()
    return ax
