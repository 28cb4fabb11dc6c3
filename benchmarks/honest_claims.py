"""Submissions with real model artifacts, made with the notebook's reference harness, for the
reproduce benchmark and tests: honest ones (``course_tools.demo.doctored`` makes a dishonest one of them).

An honest submission is what the student's notebook writes once it saves its model: the
reference ``BenchmarkReport.benchmark_model`` measures the baseline and the optimized model
(batch 1), optionally ``compare_latency`` times them in interleaved rounds, ``generate_submission``
packages them, and the artifact reference (file, SHA-256, recipe) and technique ids are added.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from benchmarks.reference_solution import load_reference_solution
from tinytorch import Recipe, SimpleMLP, file_sha256, load_digits, load_model, optimize_model, save_model_artifact

ARTIFACT = "model.npz"


@lru_cache(maxsize=1)
def reference() -> SimpleNamespace:
    return load_reference_solution()


@lru_cache(maxsize=8)
def optimized(recipe: Recipe) -> Any:
    X_train, y_train, _, _ = load_digits()
    baseline = load_model("baseline")
    assert isinstance(baseline, SimpleMLP)
    return optimize_model(baseline, recipe, X_train, y_train)


def honest_submission(
    folder: Path, submitter: str, recipe: Recipe, runs: int = 200, comparison_rounds: int | None = None
) -> Path:
    """Measure ``recipe``'s model against the baseline with the reference harness and write
    ``folder/submission.json`` and ``folder/model.npz``; returns the submission's path.

    ``comparison_rounds``: ``None`` makes the speedup the ratio of the two reports' p50s; a number
    of rounds makes it the reference ``compare_latency``'s interleaved rounds, as the notebook's
    submission cell does (it uses 41)."""
    ref = reference()
    result = optimized(recipe)
    folder.mkdir(parents=True, exist_ok=True)
    artifact = save_model_artifact(result.model, folder / ARTIFACT)
    baseline_report = ref.BenchmarkReport("baseline")
    baseline_report.benchmark_model(load_model("baseline"), ref.X_test, ref.y_test, batch_size=1, runs=runs)
    optimized_report = ref.BenchmarkReport("optimized")
    optimized_report.benchmark_model(
        result.model, ref.X_test, ref.y_test, batch_size=1, precision=result.model.precision, runs=runs
    )
    ids = result.recipe.technique_ids()
    comparison = (
        None
        if comparison_rounds is None
        else ref.compare_latency(load_model("baseline"), result.model, ref.X_test[:1], rounds=comparison_rounds)
    )
    submission = ref.generate_submission(
        baseline_report, optimized_report, ids, submitter=submitter, comparison=comparison
    )
    submission["optimized"]["techniques"] = [{"id": technique} for technique in ids]
    submission["optimized"]["artifact"] = {
        "file": ARTIFACT,
        "sha256": file_sha256(artifact),
        "recipe": result.recipe.to_dict(),
    }
    path = folder / "submission.json"
    path.write_text(json.dumps(submission, indent=2), encoding="utf-8")
    return path
