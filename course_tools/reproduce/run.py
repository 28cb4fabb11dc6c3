"""Find the submissions of a folder, check their artifacts, re-measure them, write ``reproduced.json``.

One process: the baseline (``tinytorch.load_model("baseline")``) and every artifact are loaded
once (an artifact shared by several submissions, same SHA-256, is measured once) and timed side by
side (`measure.measure_side_by_side`); accuracy is measured on the whole test set of
``tinytorch.load_digits``. Each submission gets a verdict (`verdict`). Progress lines go to
``progress`` (the command line prints them on stderr).

Looks: the machine's performance state can change the speedup itself, not only both latencies
(``README.md`` has the figures), and such a state can outlast a whole measurement. So an artifact
that some claim outruns beyond the tolerance is measured again, up to ``looks`` times in all,
``look_gap_s`` seconds apart, and the verdict weighs each claim against the best look: the benefit
of the doubt goes to the student, and a claim doctored to 3x its real speedup would still need a
look at 2x the real one. Claims backed at the first look cost nothing more. The leaderboard ranks
the first look, the one every artifact got in the same rounds.

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

from course_tools.reproduce.measure import SideBySide, check_timing, measure_side_by_side
from course_tools.reproduce.verdict import (
    ARTIFACT_MISMATCH,
    ARTIFACT_MISSING,
    INVALID,
    NOT_REPRODUCED,
    SPEEDUP_TOLERANCE,
    Figures,
    judge,
    speedup_backed,
)
from course_tools.submissions.artifacts import artifact_reference
from course_tools.submissions.leaderboard import submission_files
from course_tools.submissions.validation import check_file
from tinytorch import load_digits, load_model
from tinytorch.artifact import ArtifactError, load_model_artifact
from tinytorch.schema import BYTES_PER_MB, BYTES_PER_PARAMETER

ARTIFACT_CODES = {"artifact-missing": ARTIFACT_MISSING, "artifact-mismatch": ARTIFACT_MISMATCH}
Progress = Callable[[str], None]


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
    rounds: int = 21,
    runs: int = 30,
    warmup: int = 20,
    progress: Progress | None = None,
    pause_s: float = 0.25,
    looks: int = 3,
    look_gap_s: float = 10.0,
) -> Reproduction:
    """Re-measure every submission under ``directory`` (module docstring). Raises
    ``NotADirectoryError`` when it is not a folder, ``ValueError`` for settings that cannot measure."""
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(f"{root}: not an existing directory")
    check_timing(rounds, runs, warmup, pause_s)
    if looks < 1 or look_gap_s < 0:
        raise ValueError(f"need looks >= 1, look_gap_s >= 0; got {looks}, {look_gap_s}")
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    files = submission_files(root)
    outcomes: list[Outcome] = []
    to_measure: dict[str, tuple[Any, list[Outcome]]] = {}
    every = max(1, len(files) // 10)
    for index, path in enumerate(files, start=1):
        outcome, loaded = _check(path, root)
        outcomes.append(outcome)
        if loaded is not None:
            digest, model = loaded
            to_measure.setdefault(digest, (model, []))[1].append(outcome)
        if index % every == 0 or index == len(files):
            say(f"checked {index}/{len(files)} submission(s), {len(to_measure)} distinct artifact(s) to measure")
    _, _, X_test, y_test = load_digits()
    baseline = load_model("baseline")
    x = X_test[:1]
    models = {digest: model for digest, (model, _) in to_measure.items()}
    claims = {
        digest: [outcome.claimed["speedup"] for outcome in waiting if outcome.claimed is not None]
        for digest, (_, waiting) in to_measure.items()
    }
    measured = _measure_in_looks(
        baseline, models, claims, x, looks, look_gap_s, say, rounds=rounds, runs=runs, warmup=warmup, pause_s=pause_s
    )
    baseline_accuracy = accuracy(baseline, X_test, y_test)
    baseline_mb = size_mb(baseline)
    for digest, (model, waiting) in to_measure.items():
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
        "method": "paired interleaved rounds (course_tools.reproduce.measure), BLAS 1 thread, batch 1",
        "rounds": rounds,
        "runs_per_block": runs,
        "pause_s": pause_s,
        "warmup": warmup,
        "looks": looks,
        "look_gap_s": look_gap_s,
        "speedup_tolerance": SPEEDUP_TOLERANCE,
        "test_samples": int(len(y_test)),
        "baseline_accuracy": baseline_accuracy,
        "submissions": len(files),
        "artifacts_measured": len(to_measure),
        "seconds": round(seconds, 3),
    }
    return Reproduction(context, outcomes)


def _measure_in_looks(
    baseline: Any,
    models: dict[str, Any],
    claims: dict[str, list[float]],
    x: np.ndarray,
    looks: int,
    look_gap_s: float,
    say: Progress,
    **timing: Any,
) -> dict[str, list[SideBySide]]:
    """Every model side by side with the baseline (one look), then up to ``looks - 1`` more looks,
    ``look_gap_s`` apart, at the models that some claim still outruns (module docstring)."""
    measured: dict[str, list[SideBySide]] = {digest: [] for digest in models}
    pending = dict(models)
    for look in range(1, looks + 1):
        if look > 1:
            say(
                f"look {look}/{looks}: {len(pending)} artifact(s) claimed faster than measured, again in {look_gap_s:g} s"
            )
            time.sleep(look_gap_s)
        for digest, side in measure_side_by_side(baseline, pending, x, progress=say, **timing).items():
            measured[digest].append(side)
        pending = {
            digest: model
            for digest, model in pending.items()
            if not all(
                speedup_backed(claim, max(side.speedup for side in measured[digest])) for claim in claims[digest]
            )
        }
        if not pending:
            break
    return measured


def _check(path: Path, root: Path) -> tuple[Outcome, tuple[str, Any] | None]:
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
    return outcome, (reference.sha256, model)


def _judge(
    outcome: Outcome, looks: list[SideBySide], compression: float, accuracy_delta: float, test_samples: int
) -> None:
    """The verdict weighs the claim against the best look; ``measured`` records the first look, the
    one every artifact got in the same rounds, which the leaderboard ranks."""
    assert outcome.claimed is not None
    best = max(looks, key=lambda side: side.speedup)
    claimed = Figures(**outcome.claimed)
    outcome.verdict, outcome.reasons = judge(
        claimed, Figures(best.speedup, compression, accuracy_delta), test_samples, looks=len(looks)
    )
    first = looks[0]
    outcome.measured = {
        **asdict(Figures(first.speedup, compression, accuracy_delta)),
        "speedup_looks": [round(look.speedup, 4) for look in looks],
        "speedup_rounds": [round(value, 4) for value in first.speedup_rounds],
        "optimized_p50_ms": round(first.p50_ms, 6),
        "baseline_p50_ms": round(float(np.median(first.baseline_p50s_ms)), 6),
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
