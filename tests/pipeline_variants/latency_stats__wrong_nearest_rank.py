import numpy as np


def latency_stats(samples_ms) -> dict:
    """Off by a convention: nearest-rank percentiles instead of numpy's linear ones."""
    samples = np.asarray(samples_ms, dtype=float)
    if samples.size == 0:
        raise ValueError("no samples")
    ordered = np.sort(samples)
    rank = {q: ordered[min(len(ordered) - 1, int(np.ceil(q / 100 * len(ordered))) - 1)] for q in (50, 90, 95, 99)}
    return {"n": samples.size, "mean": samples.mean(), "std": samples.std(), "min": ordered[0],
            "max": ordered[-1], "p50": rank[50], "p90": rank[90], "p95": rank[95], "p99": rank[99],
            "cv": samples.std() / samples.mean()}
