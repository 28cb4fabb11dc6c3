import math
import random
import statistics


def speedup_interval(ratios, confidence=0.95, resamples=2000, seed=0):
    """Pure Python: random.Random(seed) draws the resamples, a hand-written linear-interpolation percentile."""
    values = [float(r) for r in ratios]
    if len(values) < 5:
        raise ValueError("at least 5 rounds are needed")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be in (0, 1)")
    if resamples < 1:
        raise ValueError("at least one resample")
    draw = random.Random(seed)
    medians = sorted(statistics.median(draw.choices(values, k=len(values))) for _ in range(resamples))

    def percentile(q):
        position = q / 100 * (len(medians) - 1)
        below = math.floor(position)
        above = min(below + 1, len(medians) - 1)
        return medians[below] + (medians[above] - medians[below]) * (position - below)

    tail = (1 - confidence) / 2 * 100
    return {"low": percentile(tail), "high": percentile(100 - tail), "confidence": confidence,
            "resamples": resamples, "seed": seed, "method": "percentile_bootstrap_median"}
