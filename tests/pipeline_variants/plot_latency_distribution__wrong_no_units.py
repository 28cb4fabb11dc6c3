import matplotlib.pyplot as plt
import numpy as np


def plot_latency_distribution(samples_by_model: dict, ax=None):
    """The x axis does not say its unit."""
    if ax is None:
        _, ax = plt.subplots()
    for name, samples in samples_by_model.items():
        samples = np.asarray(samples, dtype=float)
        ax.hist(samples, bins=30, alpha=0.5, label=name)
        ax.axvline(np.percentile(samples, 50))
        ax.axvline(np.percentile(samples, 99), linestyle="--")
    ax.set_xlabel("latency")
    ax.set_ylabel("count")
    ax.legend()
    return ax
