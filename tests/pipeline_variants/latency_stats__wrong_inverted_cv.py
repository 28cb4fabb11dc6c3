import numpy as np


def latency_stats(samples_ms) -> dict:
    """Inverted ratio: cv = mean / std."""
    samples = np.asarray(samples_ms, dtype=float)
    if samples.size == 0:
        raise ValueError("no samples")
    p50, p90, p95, p99 = np.percentile(samples, [50, 90, 95, 99])
    std = samples.std()
    return {"n": samples.size, "mean": samples.mean(), "std": std, "min": samples.min(),
            "max": samples.max(), "p50": p50, "p90": p90, "p95": p95, "p99": p99,
            "cv": samples.mean() / std if std else float("inf")}
