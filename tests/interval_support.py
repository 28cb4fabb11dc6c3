"""The submission's ``speedup_interval`` recomputed from its rounds, as schema 1.4.0 states the
algorithm, for tests that check an interval without importing the notebook's code."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def bootstrap_interval(
    ratios: Sequence[float], confidence: float = 0.95, resamples: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """The percentile-bootstrap interval of the median of ``ratios``: ``(low, high)``."""
    r = np.asarray(ratios, dtype=float)
    indices = np.random.default_rng(seed).integers(0, r.size, size=(resamples, r.size))
    tails = [100 * (1 - confidence) / 2, 100 * (1 + confidence) / 2]
    low, high = np.percentile(np.median(r[indices], axis=1), tails)
    return float(low), float(high)
