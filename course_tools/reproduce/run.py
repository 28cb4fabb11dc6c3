"""Find the submissions of a folder, check their artifacts, re-measure them, write ``reproduced.json``.

One process: the baseline (``tinytorch.load_model("baseline")``) and every artifact are loaded
once (an artifact shared by several submissions, same SHA-256, is measured once) and timed side by
side (`measure.measure_side_by_side`); accuracy is measured on the whole test set of
``tinytorch.load_digits``. Each submission gets a verdict (`verdict`). Progress lines go to
``progress`` (the command line prints them on stderr).

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

from course_tools.reproduce.measure import measure_side_by_side
from course_tools.reproduce.verdict import (
    ARTIFACT_MISMATCH,
    ARTIFACT_MISSING,
    INVALID,
    NOT_REPRODUCED,
    SPEEDUP_TOLERANCE,
    Figures,
    judge,
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
) -> Reproduction:
    """Re-measure every submission under ``directory`` (module docstring). Raises
    ``NotADirectoryError`` when it is not a folder."""
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(f"{root}: not an existing directory")
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
    measured = measure_side_by_side(
        baseline, {digest: model for digest, (model, _) in to_measure.items()}, x, rounds, runs, warmup, say, pause_s
    )
    baseline_accuracy = accuracy(baseline, X_test, y_test)
    baseline_mb = size_mb(baseline)
    for digest, (model, waiting) in to_measure.items():
        side = measured[digest]
        figures = Figures(
            side.speedup, baseline_mb / size_mb(model), accuracy(model, X_test, y_test) - baseline_accuracy
        )
        for outcome in waiting:
            _judge(outcome, figures, side, len(y_test))
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
        "speedup_tolerance": SPEEDUP_TOLERANCE,
        "test_samples": int(len(y_test)),
        "baseline_accuracy": baseline_accuracy,
        "submissions": len(files),
        "artifacts_measured": len(to_measure),
        "seconds": round(seconds, 3),
    }
    return Reproduction(context, outcomes)


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


def _judge(outcome: Outcome, figures: Figures, side: Any, test_samples: int) -> None:
    assert outcome.claimed is not None
    claimed = Figures(**outcome.claimed)
    outcome.verdict, outcome.reasons = judge(claimed, figures, test_samples)
    outcome.measured = {
        **asdict(figures),
        "speedup_rounds": [round(value, 4) for value in side.speedup_rounds],
        "optimized_p50_ms": round(side.p50_ms, 6),
        "baseline_p50_ms": round(float(np.median(side.baseline_p50s_ms)), 6),
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
