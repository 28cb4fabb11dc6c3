"""Find the submissions of a folder, check their artifacts, re-measure them, write ``reproduced.json``.

The baseline (``tinytorch.load_model("baseline")``) and every artifact (an artifact shared by
several submissions, same SHA-256, is measured once) are timed side by side
(`measure.measure_side_by_side`) in ``looks`` looks: each look a separate process (`look`),
started ``look_gap_s`` seconds after the previous one ended, measuring every artifact in
``rounds`` paired rounds. Every artifact gets every look, so the between-look variation is
measured for each, and the leaderboard ranks numbers measured in the same rounds. Accuracy is
measured once, in this process, on the whole test set of ``tinytorch.load_digits``. Each
submission gets a verdict (`verdict`: the interval of the pooled rounds widened by the
variation between looks, and at least by a machine-state floor). Progress lines go to ``progress`` (the command line prints them on
stderr).

``reproduced.json``: ``{"context": {...}, "submissions": [{"file", "submitter", "verdict",
"reasons", "claimed": {...} | null, "measured": {...} | null}]}``; files are relative to the folder.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from course_tools.bootstrap import MIN_ROUNDS
from course_tools.reproduce.look import measure_look
from course_tools.reproduce.measure import SideBySide, check_timing
from course_tools.reproduce.verdict import (
    ARTIFACT_MISMATCH,
    ARTIFACT_MISSING,
    CONFIDENCE,
    INVALID,
    MAX_LOOKS,
    MIN_LOOKS,
    NOT_REPRODUCED,
    SPEEDUP_RULE,
    Figures,
    judge,
    speedup_evidence,
)
from course_tools.submissions.artifacts import artifact_reference
from course_tools.submissions.leaderboard import submission_files
from course_tools.submissions.validation import check_file
from tinytorch import load_digits, load_model
from tinytorch.artifact import ArtifactError, load_model_artifact
from tinytorch.schema import BYTES_PER_MB, BYTES_PER_PARAMETER

ARTIFACT_CODES = {"artifact-missing": ARTIFACT_MISSING, "artifact-mismatch": ARTIFACT_MISMATCH}
Progress = Callable[[str], None]
MeasureLook = Callable[..., dict[str, SideBySide]]


@dataclass
class Outcome:
    """One submission's result; ``claimed`` and ``measured`` are ``None`` when it was not measured."""

    file: str
    submitter: str | None
    verdict: str
    reasons: list[str] = field(default_factory=list)
    claimed: dict[str, float] | None = None
    measured: dict[str, Any] | None = None


@dataclass
class Reproduction:
    context: dict[str, Any]
    submissions: list[Outcome]


def size_mb(model: Any) -> float:
    """parameters x bytes per parameter of the model's precision / 1024**2 (the notebook's formula)."""
    count = sum(param.size for param in model.parameters())
    return count * BYTES_PER_PARAMETER[model.precision] / BYTES_PER_MB


def accuracy(model: Any, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.argmax(model(X), axis=1) == y))


def reproduce(
    directory: str | os.PathLike[str],
    rounds: int = 7,
    runs: int = 30,
    warmup: int = 20,
    progress: Progress | None = None,
    pause_s: float = 0.25,
    looks: int = 5,
    look_gap_s: float = 2.0,
) -> Reproduction:
    """Re-measure every submission under ``directory`` (module docstring). Raises
    ``NotADirectoryError`` when it is not a folder, ``ValueError`` for settings that cannot measure."""
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(f"{root}: not an existing directory")
    check_timing(rounds, runs, warmup, pause_s)
    if not MIN_LOOKS <= looks <= MAX_LOOKS or look_gap_s < 0 or rounds * looks < MIN_ROUNDS:
        raise ValueError(
            f"need looks from {MIN_LOOKS} to {MAX_LOOKS}, look_gap_s >= 0 and rounds x looks >= {MIN_ROUNDS}; "
            f"got looks {looks}, look_gap_s {look_gap_s}, rounds {rounds}"
        )
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    files = submission_files(root)
    outcomes: list[Outcome] = []
    to_measure: dict[str, tuple[Any, Path, list[Outcome]]] = {}
    every = max(1, len(files) // 10)
    for index, path in enumerate(files, start=1):
        outcome, loaded = _check(path, root)
        outcomes.append(outcome)
        if loaded is not None:
            digest, model, artifact = loaded
            to_measure.setdefault(digest, (model, artifact, []))[2].append(outcome)
        if index % every == 0 or index == len(files):
            say(f"checked {index}/{len(files)} submission(s), {len(to_measure)} distinct artifact(s) to measure")
    _, _, X_test, y_test = load_digits()
    baseline = load_model("baseline")
    artifacts = {digest: artifact for digest, (_, artifact, _) in to_measure.items()}
    measured = _measure_in_looks(
        artifacts, looks, look_gap_s, say, rounds=rounds, runs=runs, warmup=warmup, pause_s=pause_s
    )
    baseline_accuracy = accuracy(baseline, X_test, y_test)
    baseline_mb = size_mb(baseline)
    for digest, (model, _, waiting) in to_measure.items():
        compression = baseline_mb / size_mb(model)
        accuracy_delta = accuracy(model, X_test, y_test) - baseline_accuracy
        for outcome in waiting:
            _judge(outcome, measured[digest], compression, accuracy_delta, len(y_test))
    seconds = time.perf_counter() - started
    say(f"re-measured {len(to_measure)} artifact(s) for {len(files)} submission(s) in {seconds:.1f} s")
    context = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average_start": _load_average(),
        "numpy_version": np.__version__,
        "method": "paired interleaved rounds (course_tools.reproduce.measure) in looks, each a separate process "
        "(course_tools.reproduce.look), BLAS 1 thread, batch 1",
        "rounds_per_look": rounds,
        "runs_per_block": runs,
        "pause_s": pause_s,
        "warmup": warmup,
        "looks": looks,
        "look_gap_s": look_gap_s,
        "confidence": CONFIDENCE,
        "speedup_rule": f"reproduced when {SPEEDUP_RULE}: [low, high] the "
        "percentile-bootstrap interval of the median of every look's rounds, s the standard deviation of the "
        "log look medians, t Student's t quantile at (1 + confidence) / 2 with looks - 1 degrees of freedom, "
        "the floor what looks in one stretch of minutes cannot see (course_tools/reproduce/verdict.py); "
        "each artifact's numbers are in measured.speedup_evidence",
        "test_samples": int(len(y_test)),
        "baseline_accuracy": baseline_accuracy,
        "submissions": len(files),
        "artifacts_measured": len(to_measure),
        "seconds": round(seconds, 3),
    }
    return Reproduction(context, outcomes)


def _measure_in_looks(
    artifacts: dict[str, Path],
    looks: int,
    look_gap_s: float,
    say: Progress,
    measure: MeasureLook = measure_look,
    **timing: Any,
) -> dict[str, list[SideBySide]]:
    """Every artifact side by side with the baseline in each of ``looks`` looks, ``look_gap_s``
    apart (module docstring); ``measure`` runs one look."""
    measured: dict[str, list[SideBySide]] = {digest: [] for digest in artifacts}
    if not artifacts:
        return measured
    for look in range(1, looks + 1):
        if look > 1:
            time.sleep(look_gap_s)
        say(f"look {look}/{looks}: {len(artifacts)} artifact(s) in a new process")
        for digest, side in measure(artifacts, progress=say, **timing).items():
            measured[digest].append(side)
    return measured


def _check(path: Path, root: Path) -> tuple[Outcome, tuple[str, Any, Path] | None]:
    checked = check_file(path)
    relative = path.relative_to(root).as_posix()
    document = checked.document if isinstance(checked.document, dict) else {}
    submitter = document.get("submitter") if isinstance(document.get("submitter"), str) else None
    artifact_codes = [problem for problem in checked.problems if problem.code in ARTIFACT_CODES]
    others = [problem for problem in checked.problems if problem.code not in ARTIFACT_CODES]
    if others:
        return Outcome(relative, submitter, INVALID, [str(problem) for problem in others]), None
    if artifact_codes:
        return Outcome(relative, submitter, ARTIFACT_CODES[artifact_codes[0].code], [artifact_codes[0].message]), None
    reference = artifact_reference(document, path)
    if reference is None:
        return Outcome(relative, submitter, ARTIFACT_MISSING, ["the submission references no model artifact"]), None
    improvements = document["improvements"]
    claimed = {key: float(improvements[key]) for key in ("speedup", "compression", "accuracy_delta")}
    outcome = Outcome(relative, submitter, NOT_REPRODUCED, claimed=claimed)
    try:
        model = load_model_artifact(reference.path)
    except (ArtifactError, OSError) as error:
        outcome.reasons.append(f"the artifact does not load: {error}")
        return outcome, None
    metrics = document["optimized"]["metrics"]
    count = sum(param.size for param in model.parameters())
    if count != metrics["parameter_count"] or model.precision != metrics["precision"]:
        outcome.reasons.append(
            f"the artifact has {count} {model.precision} parameters, the submission measured "
            f"{metrics['parameter_count']} {metrics['precision']}"
        )
        return outcome, None
    return outcome, (reference.sha256, model, reference.path)


def _judge(
    outcome: Outcome, looks: list[SideBySide], compression: float, accuracy_delta: float, test_samples: int
) -> None:
    """The verdict on the claim, and ``measured``: the pooled point, its interval, the evidence
    the verdict used, and every look's rounds."""
    assert outcome.claimed is not None
    evidence = speedup_evidence([side.speedup_rounds for side in looks])
    remeasured = Figures(evidence.point, compression, accuracy_delta)
    outcome.verdict, outcome.reasons = judge(Figures(**outcome.claimed), remeasured, evidence, test_samples)
    outcome.measured = {
        **asdict(remeasured),
        "speedup_interval": evidence.interval.to_dict(),
        "speedup_evidence": evidence.to_dict(),
        "speedup_looks": [round(value, 4) for value in evidence.look_medians],
        "speedup_rounds": [[round(value, 4) for value in side.speedup_rounds] for side in looks],
        "optimized_p50_ms": round(float(np.median([p50 for side in looks for p50 in side.model_p50s_ms])), 6),
        "baseline_p50_ms": round(float(np.median([p50 for side in looks for p50 in side.baseline_p50s_ms])), 6),
    }


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def verdict_line(outcome: Outcome) -> str:
    """``FILE: VERDICT`` followed by ``(REASON; REASON)`` when there are reasons."""
    return f"{outcome.file}: {outcome.verdict}" + (f" ({'; '.join(outcome.reasons)})" if outcome.reasons else "")


def write_reproduced(reproduction: Reproduction, path: str | os.PathLike[str]) -> Path:
    """Write ``reproduced.json`` (indented, keys in a fixed order) and return its path."""
    path = Path(path)
    payload = {"context": reproduction.context, "submissions": [asdict(item) for item in reproduction.submissions]}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def read_reproduced(path: str | os.PathLike[str]) -> dict[str, Outcome]:
    """The outcomes of a ``reproduced.json``, by file (relative to its folder)."""
    payload = json.loads(Path(path).read_text(encoding="utf-8"))
    return {item["file"]: Outcome(**item) for item in payload["submissions"]}
