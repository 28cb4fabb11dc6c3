import numpy as np


def latency_stats(samples_ms) -> dict:
    """Off by a convention: sample standard deviation (ddof=1) instead of population."""
    samples = np.asarray(samples_ms, dtype=float)
    if samples.size == 0:
        raise ValueError("no samples")
    std = float(samples.std(ddof=1))
    p50, p90, p95, p99 = np.percentile(samples, [50, 90, 95, 99])
    return {"n": samples.size, "mean": float(samples.mean()), "std": std, "min": float(samples.min()),
            "max": float(samples.max()), "p50": p50, "p90": p90, "p95": p95, "p99": p99,
            "cv": std / float(samples.mean())}
