import math
import statistics


def _linear_percentile(ordered, q):
    """numpy's default (linear) percentile of an already sorted list."""
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_stats(samples_ms) -> dict:
    """Summary of latencies in ms, computed without numpy."""
    values = [float(v) for v in samples_ms]
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    mean = statistics.fmean(values)
    std = statistics.pstdev(values)
    summary = {"n": len(values), "mean": mean, "std": std, "min": ordered[0], "max": ordered[-1]}
    for q in (50, 90, 95, 99):
        summary[f"p{q}"] = _linear_percentile(ordered, q)
    summary["cv"] = std / mean if mean else math.nan
    return summary
