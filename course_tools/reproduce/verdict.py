"""The verdict on one claim: does the re-measured model back what the submission says?

A claim is ``reproduced`` when all three hold:

- speedup: claimed <= re-measured x ``SPEEDUP_TOLERANCE``, where re-measured is the best of up
  to three looks (``run``). One-sided: claiming less than the grader measures is no offence. The
  factor comes from measurements (``course_tools/reproduce/README.md``): 20 honest claims made
  with the notebook's harness on the 2-core course machine, half of them while two busy loops
  loaded both cores, came out at 0.81x to 1.16x the side-by-side re-measurement; 1.5x accepts
  them with a margin (other CPUs differ more than runs on one machine), and a claim doctored to
  3x the real speedup (at least 0.81 x 3 = 2.4x the re-measurement) is still far beyond it.
- compression: claimed within 1% of baseline size / artifact size, both from parameters x bytes
  per parameter (the notebook's formula), so the artifact must be the model that was claimed;
- accuracy delta: claimed within ``ACCURACY_TOLERANCE_SAMPLES`` test images of the re-measured
  one (accuracy is deterministic; the margin absorbs BLAS rounding on another CPU).

Otherwise ``not reproduced`` with every failed check as a reason. Before measuring:
``artifact missing`` (no artifact referenced, or no such regular file next to the submission),
``artifact mismatch`` (its SHA-256 differs), ``invalid`` (the submission fails validation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SPEEDUP_TOLERANCE = 1.5
COMPRESSION_RELATIVE_TOLERANCE = 0.01
ACCURACY_TOLERANCE_SAMPLES = 2

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
ARTIFACT_MISSING = "artifact missing"
ARTIFACT_MISMATCH = "artifact mismatch"
INVALID = "invalid"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, ARTIFACT_MISSING, ARTIFACT_MISMATCH, INVALID)


@dataclass(frozen=True)
class Figures:
    """speedup and compression (x) and accuracy delta (fraction) of one optimized model."""

    speedup: float
    compression: float
    accuracy_delta: float


def speedup_backed(claimed_speedup: float, measured_speedup: float) -> bool:
    """Whether the re-measured speedup backs the claimed one within ``SPEEDUP_TOLERANCE``."""
    return claimed_speedup <= measured_speedup * SPEEDUP_TOLERANCE


def judge(claimed: Figures, measured: Figures, test_samples: int, looks: int = 1) -> tuple[str, list[str]]:
    """The verdict and its reasons (empty when reproduced) for a claim against its re-measurement;
    ``measured.speedup`` is the best of ``looks`` measurements."""
    reasons = []
    if not speedup_backed(claimed.speedup, measured.speedup):
        best_of = f"best of {looks} looks; " if looks > 1 else ""
        reasons.append(
            f"speedup: claimed {claimed.speedup:.3g}x, re-measured {measured.speedup:.3g}x "
            f"({best_of}claims up to {SPEEDUP_TOLERANCE:g}x the re-measured speedup are accepted)"
        )
    if not math.isclose(claimed.compression, measured.compression, rel_tol=COMPRESSION_RELATIVE_TOLERANCE):
        reasons.append(
            f"compression: claimed {claimed.compression:.4g}x, the artifact gives {measured.compression:.4g}x"
        )
    accuracy_tolerance = ACCURACY_TOLERANCE_SAMPLES / test_samples
    if abs(claimed.accuracy_delta - measured.accuracy_delta) > accuracy_tolerance + 1e-12:
        reasons.append(
            f"accuracy delta: claimed {claimed.accuracy_delta * 100:+.2f} points, re-measured "
            f"{measured.accuracy_delta * 100:+.2f} (tolerance {ACCURACY_TOLERANCE_SAMPLES} of {test_samples} test images)"
        )
    return (NOT_REPRODUCED, reasons) if reasons else (REPRODUCED, [])
