"""The verdict on one claim: does the re-measured model back what the submission says?

A claim is ``reproduced`` when all three hold:

- speedup: claimed <= the re-measured interval's upper bound widened by the variation between
  looks, and at least by a machine-state floor (`SpeedupEvidence`). One-sided: claiming less than the grader measures is no offence.
  The re-measurement runs in ``L`` looks, separate processes started seconds apart (``run``,
  ``look``), each of ``rounds`` paired rounds. From those:

  - point = the median of all the looks' per-round ratios (what the leaderboard ranks);
  - [low, high] = the ``CONFIDENCE`` percentile-bootstrap interval of that median
    (`course_tools.bootstrap`, seed 0, 2,000 resamples): the uncertainty rounds can see;
  - s = the sample standard deviation of the logarithms of the ``L`` look medians: the
    variation between processes and moments that no single process sees;
  - widening W = exp(t x s x sqrt(1 + 1/L)), t the Student-t quantile at (1 + ``CONFIDENCE``) / 2
    with L - 1 degrees of freedom: the half-width of the prediction interval of one more look's
    log median -- the student's own measurement is one more process at another moment;
  - accepted up to high x max(W, ``MACHINE_STATE_FLOOR``). The floor covers what looks taken in one
    stretch of minutes cannot see: the student measured at another moment, perhaps on a loaded
    machine or in another performance state. Honest claims have come out up to 1.12x the
    re-measured point (``benchmarks/reproduce_intervals.py``, 40 claims, half made beside two
    CPU-bound processes) and 1.08x in a CI run whose quiet looks agreed so well that W was 1.04;
    a floor of 1.2 passes both with room, and a doctored 3x claim still lies 2.5x beyond it.

  Every number comes from the run itself and is written into ``reproduced.json``
  (``measured.speedup_evidence``); ``course_tools/reproduce/README.md`` has the measured
  false-flag rates.
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
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from course_tools.bootstrap import Interval, percentile_interval

CONFIDENCE = 0.95
MACHINE_STATE_FLOOR = 1.2  # module docstring: the smallest tolerance, whatever the looks' agreement
SPEEDUP_RULE = f"claimed speedup <= high x max(exp(t x s x sqrt(1 + 1/looks)), {MACHINE_STATE_FLOOR})"
# Student's t at the 0.975 quantile by degrees of freedom (looks - 1): the standard table values.
T_975 = {2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}
MIN_LOOKS = min(T_975) + 1
MAX_LOOKS = max(T_975) + 1
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


@dataclass(frozen=True)
class SpeedupEvidence:
    """What the looks say about one artifact's speedup (module docstring): the point, its
    bootstrap interval, the look medians, their log standard deviation, the widening they imply
    and the largest speedup a claim may state (``high`` x the widening, at least the floor)."""

    point: float
    interval: Interval
    look_medians: tuple[float, ...]
    between_looks_log_sd: float
    t: float
    widening: float

    @property
    def accepted_up_to(self) -> float:
        return self.interval.high * self.tolerance

    @property
    def tolerance(self) -> float:
        """The factor applied to ``high``: the looks' widening, or the machine-state floor."""
        return max(self.widening, MACHINE_STATE_FLOOR)

    def backs(self, claimed_speedup: float) -> bool:
        return claimed_speedup <= self.accepted_up_to

    def to_dict(self) -> dict[str, Any]:
        """The evidence as written into ``reproduced.json`` beside the interval, with the rule."""
        return {
            "look_medians": [round(value, 4) for value in self.look_medians],
            "between_looks_log_sd": round(self.between_looks_log_sd, 5),
            "t": self.t,
            "widening": round(self.widening, 4),
            "machine_state_floor": MACHINE_STATE_FLOOR,
            "accepted_up_to": round(self.accepted_up_to, 4),
            "rule": SPEEDUP_RULE,
        }


def speedup_evidence(looks: Sequence[Sequence[float]], confidence: float = CONFIDENCE) -> SpeedupEvidence:
    """The evidence of per-round ratios measured in ``looks`` (one list per look). Raises
    ``ValueError`` for fewer than ``MIN_LOOKS`` or more than ``MAX_LOOKS`` looks, an empty look,
    or fewer than 5 rounds in all."""
    if not MIN_LOOKS <= len(looks) <= MAX_LOOKS or not all(looks):
        raise ValueError(f"need {MIN_LOOKS} to {MAX_LOOKS} looks of at least one round each; got {len(looks)}")
    pooled = [ratio for look in looks for ratio in look]
    medians = tuple(statistics.median(look) for look in looks)
    log_sd = statistics.stdev(math.log(value) for value in medians)
    t = T_975[len(looks) - 1]
    widening = math.exp(t * log_sd * math.sqrt(1 + 1 / len(looks)))
    return SpeedupEvidence(
        statistics.median(pooled), percentile_interval(pooled, confidence), medians, log_sd, t, widening
    )


def judge(claimed: Figures, measured: Figures, evidence: SpeedupEvidence, test_samples: int) -> tuple[str, list[str]]:
    """The verdict and its reasons (empty when reproduced) for a claim against its re-measurement."""
    reasons = []
    if not evidence.backs(claimed.speedup):
        reasons.append(
            f"speedup: claimed {claimed.speedup:.3g}x, re-measured {evidence.point:.3g}x "
            f"[{evidence.interval.low:.3g}, {evidence.interval.high:.3g}] in {len(evidence.look_medians)} looks; "
            f"widened by their variation (x{evidence.widening:.3g}, at least x{MACHINE_STATE_FLOOR}) it backs claims "
            f"up to {evidence.accepted_up_to:.3g}x"
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
