"""The percentile-bootstrap confidence interval of the median of per-round speedups.

The instructor tools' own copy of the method the notebook teaches (``speedup_interval``, schema
1.4.0 ``improvements.speedup_interval``), written from its definition so that the validator can
recompute a student's interval without importing the notebook: with ``rng =
numpy.random.default_rng(seed)``, draw ``resamples`` resamples of the ratios with replacement
(``rng.integers(0, n, size=(resamples, n))`` as indexes), take each resample's median, and cut
the central ``confidence`` share of those medians with ``numpy.percentile`` (linear
interpolation). The same seed and resamples give the same interval, bit for bit.

What the interval says: where the median of the rounds would land if the measurement were run
again with rounds like these -- the uncertainty of the median, not the rounds' range. It says
nothing about what a separate process or another moment would measure, when the machine's
state has changed every round alike (``course_tools/reproduce`` measures that level apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

METHOD = "percentile_bootstrap_median"
MIN_ROUNDS = 5
CONFIDENCE = 0.95
RESAMPLES = 2000
SEED = 0


@dataclass(frozen=True)
class Interval:
    """A two-sided interval of a median ratio and how it was computed."""

    low: float
    high: float
    confidence: float
    resamples: int
    seed: int

    def to_dict(self) -> dict[str, float | int | str]:
        """The fields of schema 1.4.0's ``speedup_interval``."""
        return {
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
            "resamples": self.resamples,
            "seed": self.seed,
            "method": METHOD,
        }


def bootstrap_medians(ratios: Sequence[float], resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """The medians of ``resamples`` bootstrap resamples of ``ratios`` (module docstring), in draw
    order. Raises ``ValueError`` for fewer than ``MIN_ROUNDS`` ratios or ``resamples < 1``."""
    values = np.asarray(ratios, dtype=float)
    if values.ndim != 1 or len(values) < MIN_ROUNDS:
        raise ValueError(f"a bootstrap interval needs at least {MIN_ROUNDS} rounds; got {values.size}")
    if resamples < 1:
        raise ValueError(f"need resamples >= 1; got {resamples}")
    rng = np.random.default_rng(seed)
    indexes = rng.integers(0, len(values), size=(resamples, len(values)))
    medians: np.ndarray = np.median(values[indexes], axis=1)
    return medians


def percentile_interval(
    ratios: Sequence[float], confidence: float = CONFIDENCE, resamples: int = RESAMPLES, seed: int = SEED
) -> Interval:
    """The ``confidence`` percentile-bootstrap interval of the median of ``ratios``. Raises
    ``ValueError`` for fewer than ``MIN_ROUNDS`` ratios or a confidence outside (0, 1)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1); got {confidence}")
    medians = bootstrap_medians(ratios, resamples, seed)
    low, high = np.percentile(medians, [100 * (1 - confidence) / 2, 100 * (1 + confidence) / 2])
    return Interval(float(low), float(high), confidence, resamples, seed)
