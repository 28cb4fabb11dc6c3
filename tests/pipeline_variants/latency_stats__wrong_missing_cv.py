import numpy as np


def latency_stats(samples_ms) -> dict:
    """Missing key: no cv."""
    samples = np.asarray(samples_ms, dtype=float)
    if samples.size == 0:
        raise ValueError("no samples")
    p50, p90, p95, p99 = np.percentile(samples, [50, 90, 95, 99])
    return {"n": samples.size, "mean": samples.mean(), "std": samples.std(), "min": samples.min(),
            "max": samples.max(), "p50": p50, "p90": p90, "p95": p95, "p99": p99}
