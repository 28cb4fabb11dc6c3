import numpy as np


def latency_stats(samples_ms) -> dict:
    """Summary of latencies in ms; values stay numpy scalars."""
    samples = np.array(samples_ms, dtype=float)
    if len(samples) == 0:
        raise ValueError("latency_stats() needs samples")
    quantiles = dict(zip(("p50", "p90", "p95", "p99"), np.quantile(samples, [0.50, 0.90, 0.95, 0.99])))
    return {
        "cv": np.std(samples) / np.mean(samples),
        **quantiles,
        "max": np.max(samples),
        "min": np.min(samples),
        "std": np.std(samples),
        "mean": np.mean(samples),
        "n": len(samples),
    }
