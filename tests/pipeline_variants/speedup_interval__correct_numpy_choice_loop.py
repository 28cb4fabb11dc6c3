import numpy as np


def speedup_interval(ratios, confidence: float = 0.95, resamples: int = 2000, seed: int = 0) -> dict:
    """One resample at a time with Generator.choice, the ends from np.quantile."""
    ratios = np.array(ratios, dtype=float)
    if len(ratios) < 5 or not (0.0 < confidence < 1.0) or resamples < 1:
        raise ValueError(f"need >= 5 ratios, confidence in (0, 1) and resamples >= 1: {len(ratios)}, {confidence}, "
                         f"{resamples}")
    generator = np.random.default_rng(seed)
    medians = np.empty(resamples)
    for index in range(resamples):
        medians[index] = np.median(generator.choice(ratios, size=len(ratios), replace=True))
    alpha = 1.0 - confidence
    low, high = np.quantile(medians, [alpha / 2, 1 - alpha / 2])
    return dict(low=float(low), high=float(high), confidence=float(confidence), resamples=int(resamples),
                seed=int(seed), method="percentile_bootstrap_median")
