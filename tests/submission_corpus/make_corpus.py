"""Write the submission corpus: valid files in good/, broken ones in bad/, and expected.json.

expected.json maps each file (relative to this folder) to the sorted list of problem codes
``course_tools.submissions.validate_file`` must report for it ([] for a valid file). The
numbers are those of the course's models: the baseline SimpleMLP 64-1024-1024-10 has
1,127,434 fp32 parameters (4.30 MB) and a batch-1 p50 latency near 0.3 ms on a laptop-class
CPU; optimized variants are structured pruning (neurons kept per hidden layer) and/or int8.
Schema 1.1.0 files record the round p50s of each report and how the speedup was measured
(interleaved rounds, or the ratio of the two p50s); ``frank.json`` stays a valid 1.0.0 file.
Schema 1.2.0 files name techniques by id (``{"id", "detail"}``; text labels stay valid) and
``alice.json`` references her model artifact ``alice.npz``, a real tinytorch model written into
good/ and bad/ (its bytes are reproducible, so its SHA-256 is fixed); ``bob.json`` stays 1.1.0.
Schema 1.3.0 files may record each report's ``stored_bytes``: ``alice.json`` does (her int8
model stores float32 scales and biases beside its int8 weights, more than it counts);
``carol.json`` stays 1.2.0.

Run ``python tests/submission_corpus/make_corpus.py`` to rewrite the committed corpus; a test
checks the committed files are exactly what this script writes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from tinytorch import SimpleMLP, quantize_int8, save_model_artifact
from tinytorch.schema import BYTES_PER_MB, BYTES_PER_PARAMETER

SCHEMA_VERSION = "1.3.0"
ARTIFACT = "alice.npz"
SWAPPED = "swapped.npz"  # another model under another name, referenced with alice's digest
# Round p50s as fractions of the reported p50 (their median is exactly 1.0), and per-round
# speedups as fractions of the p50 ratio (median 1.01: interleaving sees other moments).
ROUND_FACTORS = (0.97, 1.0, 1.04, 0.99, 1.12)
SPEEDUP_ROUND_FACTORS = (1.01, 0.98, 1.03, 1.02, 0.93, 1.05, 0.99)
HERE = Path(__file__).resolve().parent

SYSTEM = {
    "platform": "Linux-6.1.0-18-amd64-x86_64-with-glibc2.36",
    "python_version": "3.11.7",
    "numpy_version": "1.26.4",
    "machine": "x86_64",
    "processor": "",
    "cpu_count": 2,
    "load_average": 0.42,
    "blas_threads": 1,
}


def mlp_parameter_count(hidden: int, inputs: int = 64, classes: int = 10) -> int:
    """Weights and biases of the 64-hidden-hidden-10 MLP."""
    return inputs * hidden + hidden + hidden * hidden + hidden + hidden * classes + classes


def metrics(
    parameters: int, precision: str, p50_ms: float, accuracy: float, batch_size: int = 1, rounds: bool = True
) -> dict[str, Any]:
    """A realistic metrics block: a right-skewed latency distribution around ``p50_ms``, measured
    in rounds (schema 1.1.0) unless ``rounds`` is false."""
    mean = p50_ms * 1.04
    round_p50s = [round(p50_ms * factor, 6) for factor in ROUND_FACTORS]
    measured_in_rounds = {
        "latency_ms_round_p50s": round_p50s,
        "latency_p50_spread": round((max(round_p50s) - min(round_p50s)) / statistics.median(round_p50s), 6),
    }
    return {
        "parameter_count": parameters,
        "model_size_mb": round(parameters * BYTES_PER_PARAMETER[precision] / BYTES_PER_MB, 6),
        "precision": precision,
        "batch_size": batch_size,
        "accuracy": accuracy,
        "latency_ms_mean": round(mean, 6),
        "latency_ms_std": round(p50_ms * 0.09, 6),
        "latency_ms_p50": p50_ms,
        "latency_ms_p90": round(p50_ms * 1.11, 6),
        "latency_ms_p95": round(p50_ms * 1.19, 6),
        "latency_ms_p99": round(p50_ms * 1.62, 6),
        "throughput_samples_per_sec": round(batch_size * 1000.0 / mean * 1.03, 3),
        "peak_memory_mb": round(0.004 + batch_size * 0.008 + parameters * BYTES_PER_PARAMETER["fp32"] / BYTES_PER_MB * 0.01, 6),
        **(measured_in_rounds if rounds else {}),
    }


def report(name: str, timestamp: str, measured: dict[str, Any], system: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "model_name": name,
        "timestamp": timestamp,
        "system_info": copy.deepcopy(system or SYSTEM),
        "metrics": measured,
    }


def submission(
    submitter: str,
    baseline: dict[str, Any],
    optimized: dict[str, Any],
    techniques: list[Any],
    timestamp: str,
    method: str | None = "interleaved_rounds",
    version: str = SCHEMA_VERSION,
) -> dict[str, Any]:
    """What the notebook's generate_submission produces: the speedup from interleaved rounds
    (``method="interleaved_rounds"``), from the two p50s (``"p50_ratio"``), or a 1.0.0 file
    without a method (``None``)."""
    base, opt = baseline["metrics"], optimized["metrics"]
    p50_ratio = base["latency_ms_p50"] / opt["latency_ms_p50"]
    if method == "interleaved_rounds":
        speedup_rounds = [round(p50_ratio * factor, 6) for factor in SPEEDUP_ROUND_FACTORS]
        speed = {"speedup": statistics.median(speedup_rounds), "speedup_method": method, "speedup_rounds": speedup_rounds}
    elif method == "p50_ratio":
        speed = {"speedup": p50_ratio, "speedup_method": method}
    else:
        speed = {"speedup": p50_ratio}
    return {
        "schema_version": version if method else "1.0.0",
        "submitter": submitter,
        "timestamp": timestamp,
        "system_info": copy.deepcopy(baseline["system_info"]),
        "baseline": baseline,
        "optimized": {**optimized, "techniques": techniques},
        "improvements": {
            **speed,
            "compression": base["model_size_mb"] / opt["model_size_mb"],
            "accuracy_delta": opt["accuracy"] - base["accuracy"],
        },
    }


BASELINE_PARAMETERS = mlp_parameter_count(1024)


def baseline_report(timestamp: str, p50_ms: float = 0.3012, batch_size: int = 1) -> dict[str, Any]:
    return report("baseline", timestamp, metrics(BASELINE_PARAMETERS, "fp32", p50_ms, 0.9778, batch_size))


def technique(technique_id: str, detail: str | None = None) -> dict[str, str]:
    """A 1.2.0 technique object."""
    return {"id": technique_id, **({"detail": detail} if detail else {})}


def artifact_model(seed: int = 5) -> Any:
    """A real pruned-int8-shaped model (64-256-256-10, int8) standing for alice's artifact."""
    return quantize_int8(SimpleMLP(hidden_sizes=(256, 256), seed=seed))


def write_artifact(path: Path, seed: int = 5) -> str:
    """Write the artifact model to ``path``; return its SHA-256."""
    save_model_artifact(artifact_model(seed), path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def artifact_sha256() -> str:
    with tempfile.TemporaryDirectory() as folder:
        return write_artifact(Path(folder) / ARTIFACT)


def alice() -> dict[str, Any]:
    document = submission(
        "alice",
        baseline_report("2026-03-02T10:15:03.118262+00:00"),
        report(
            "pruned-int8", "2026-03-02T10:15:09.540117+00:00", metrics(mlp_parameter_count(256), "int8", 0.0583, 0.9722)
        ),
        [
            technique("structured-pruning", "256 neurons per hidden layer"),
            technique("fine-tuning"),
            technique("int8-quantization", "per-channel symmetric"),
        ],
        "2026-03-02T10:15:12.004715+00:00",
    )
    document["optimized"]["artifact"] = {
        "file": ARTIFACT,
        "sha256": artifact_sha256(),
        "recipe": {"keep_ratio": 0.25, "fine_tune_epochs": 3, "precision": "int8"},
    }
    document["baseline"]["metrics"]["stored_bytes"] = BASELINE_PARAMETERS * BYTES_PER_PARAMETER["fp32"]
    document["optimized"]["metrics"]["stored_bytes"] = artifact_model().stored_nbytes()
    return document


def bootstrap_interval(ratios: list[float], confidence: float = 0.95, resamples: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Schema 1.4.0's ``speedup_interval`` of ``ratios``, transcribed from the schema's
    description (the corpus does not use the validator's own code to make what it checks)."""
    rng = np.random.default_rng(seed)
    values = np.asarray(ratios, dtype=float)
    medians = np.median(values[rng.integers(0, len(values), size=(resamples, len(values)))], axis=1)
    low, high = np.percentile(medians, [100 * (1 - confidence) / 2, 100 * (1 + confidence) / 2])
    return {
        "low": float(low), "high": float(high), "confidence": confidence, "resamples": resamples, "seed": seed,
        "method": "percentile_bootstrap_median",
    }


def with_interval(document: dict[str, Any]) -> dict[str, Any]:
    """A schema 1.4.0 copy of an interleaved-rounds ``document``, with its speedup's interval."""
    upgraded = copy.deepcopy(document)
    upgraded["schema_version"] = "1.4.0"
    upgraded["improvements"]["speedup_interval"] = bootstrap_interval(upgraded["improvements"]["speedup_rounds"])
    return upgraded


def good_submissions() -> dict[str, dict[str, Any]]:
    frank_system = {key: value for key, value in SYSTEM.items() if key != "blas_threads"}
    frank_system.update(
        cpu_count=None, load_average=None, platform="macOS-14.4-arm64-arm-64bit", machine="arm64", processor="arm"
    )
    return {
        "alice.json": alice(),
        "bob.json": submission(
            "bob",
            baseline_report("2026-03-03T08:00:00Z", p50_ms=0.2987),
            report("int8", "2026-03-03T08:00:04Z", metrics(BASELINE_PARAMETERS, "int8", 0.4121, 0.9750)),
            ["int8 quantization"],
            "2026-03-03T08:00:07Z",
            method="p50_ratio",
            version="1.1.0",
        ),
        "carol.json": submission(
            "Carol Diaz",
            baseline_report("2026-03-04T14:30:00.5+00:00", p50_ms=0.3102),
            report("pruned", "2026-03-04T14:30:05.1+00:00", metrics(mlp_parameter_count(512), "fp32", 0.1049, 0.9778)),
            [technique("structured-pruning"), technique("fine-tuning")],
            "2026-03-04T14:30:09.9+00:00",
            version="1.2.0",
        ),
        "dave.json": submission(
            "dave",
            baseline_report("2026-03-05T09:00:00+00:00", p50_ms=0.3050),
            report(
                "pruned-int8-128",
                "2026-03-05T09:00:03+00:00",
                metrics(mlp_parameter_count(128), "int8", 0.0312, 0.9417),
            ),
            [technique("structured-pruning"), technique("int8-quantization")],
            "2026-03-05T09:00:06+00:00",
        ),
        "erin_first.json": submission(
            "erin",
            baseline_report("2026-03-01T11:00:00+00:00", p50_ms=0.2990),
            report("magnitude-90", "2026-03-01T11:00:04+00:00", metrics(BASELINE_PARAMETERS, "fp32", 0.2971, 0.9750)),
            [technique("magnitude-pruning", "90% zeros, stored dense")],
            "2026-03-01T11:00:08+00:00",
        ),
        "erin_second.json": submission(
            "Erin ",
            baseline_report("2026-03-06T16:20:00+00:00", p50_ms=0.3005),
            report(
                "pruned-int8", "2026-03-06T16:20:04+00:00", metrics(mlp_parameter_count(384), "int8", 0.0711, 0.9750)
            ),
            ["structured pruning", "int8 quantization"],
            "2026-03-06T16:20:08+00:00",
        ),
        "frank.json": submission(
            "frank",
            report(
                "baseline",
                "2026-03-07T12:00:00+00:00",
                metrics(BASELINE_PARAMETERS, "fp32", 1.2104, 0.9778, batch_size=32, rounds=False),
                frank_system,
            ),
            report(
                "fp16",
                "2026-03-07T12:00:05+00:00",
                metrics(BASELINE_PARAMETERS, "fp16", 1.9310, 0.9778, batch_size=32, rounds=False),
                frank_system,
            ),
            ["fp16 quantization"],
            "2026-03-07T12:00:09+00:00",
            method=None,
        ),
    }


def _set(document: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    *parents, last = dotted.split(".")
    target = changed
    for part in parents:
        target = target[part]
    target[last] = value
    return changed


def _delete(document: dict[str, Any], *dotted_paths: str) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    for dotted in dotted_paths:
        *parents, last = dotted.split(".")
        target = changed
        for part in parents:
            target = target[part]
        del target[last]
    return changed


def _text(document: Any) -> str:
    return json.dumps(document, indent=2) + "\n"


def bad_submissions() -> dict[str, tuple[bytes, list[str]]]:
    """File name -> (exact bytes, expected problem codes)."""
    base = alice()
    text = _text(base)
    p50 = base["optimized"]["metrics"]["latency_ms_p50"]
    quant_only = submission(
        "mallory",
        base["baseline"],
        {key: value for key, value in base["optimized"].items() if key not in ("techniques", "artifact")},
        [technique("int8-quantization")],
        base["timestamp"],
    )
    fast = report("pruned-int8", "2026-03-02T10:15:09+00:00", metrics(mlp_parameter_count(256), "int8", 0.0006, 0.9722))
    too_fast = submission(
        "trent", base["baseline"], fast, ["structured pruning", "int8 quantization"], base["timestamp"]
    )
    dense = report("magnitude-90", "2026-03-02T10:15:09+00:00", metrics(BASELINE_PARAMETERS, "fp32", 0.0804, 0.9750))
    dense_fast = submission(
        "oscar", base["baseline"], dense, [technique("magnitude-pruning", "90%")], base["timestamp"]
    )
    speedup_rounds = base["improvements"]["speedup_rounds"]
    halved_rounds = _set(base, "improvements.speedup_rounds", [value / 2 for value in speedup_rounds])
    halved_rounds["improvements"]["speedup"] = statistics.median(halved_rounds["improvements"]["speedup_rounds"])
    base_rounds = base["baseline"]["metrics"]["latency_ms_round_p50s"]
    base_throughput = base["baseline"]["metrics"]["throughput_samples_per_sec"]
    interval = with_interval(base)["improvements"]["speedup_interval"]
    bigger = _set(base, "optimized.metrics.model_size_mb", 0.09)
    bigger["improvements"]["compression"] = bigger["baseline"]["metrics"]["model_size_mb"] / 0.09
    as_documents: dict[str, tuple[Any, list[str]]] = {
        "top_level_array.json": ([base], ["schema"]),
        "wrong_types.json": (
            _set(
                _set(_set(base, "baseline.metrics.parameter_count", "1.1M"), "optimized.techniques", "pruning"),
                "system_info.cpu_count",
                "2",
            ),
            ["schema"],
        ),
        "missing_fields.json": (
            _delete(base, "improvements", "optimized.techniques", "baseline.metrics.latency_ms_p99"),
            ["schema"],
        ),
        "extra_fields.json": (
            _set(
                _set(_set(base, "notes", "ran twice"), "baseline.metrics.latency_ms_p999", 0.61),
                "improvements.energy",
                0.5,
            ),
            ["schema"],
        ),
        "system_info_nested_extra.json": (_set(base, "system_info.blas", {"threads": 1}), ["schema"]),
        "wrong_schema_version.json": (_set(base, "schema_version", "2.0.0"), ["schema-version"]),
        "new_fields_in_old_version.json": (_set(base, "schema_version", "1.0.0"), ["schema-version"]),
        "interleaved_without_rounds.json": (_delete(base, "improvements.speedup_rounds"), ["schema"]),
        "unknown_speedup_method.json": (_set(base, "improvements.speedup_method", "best_of_five"), ["schema"]),
        "spread_without_rounds.json": (_delete(base, "baseline.metrics.latency_ms_round_p50s"), ["schema"]),
        "speedup_is_best_round.json": (_set(base, "improvements.speedup", max(speedup_rounds)), ["inconsistent-improvement"]),
        "rounds_disagree_with_reports.json": (halved_rounds, ["inconsistent-improvement"]),
        "p50_not_median_of_rounds.json": (
            _set(base, "baseline.metrics.latency_ms_round_p50s", [round(v * 1.2, 6) for v in base_rounds]),
            ["inconsistent-rounds"],
        ),
        "wrong_spread.json": (_set(base, "optimized.metrics.latency_p50_spread", 0.01), ["inconsistent-rounds"]),
        "interval_widened.json": (
            _set(
                _set(with_interval(base), "improvements.speedup_interval.low", interval["low"] / 1.05),
                "improvements.speedup_interval.high",
                interval["high"] * 1.05,
            ),
            ["inconsistent-interval"],
        ),
        "interleaved_without_interval.json": (_delete(with_interval(base), "improvements.speedup_interval"), ["schema"]),
        "naive_timestamp.json": (_set(base, "timestamp", "2026-03-02T10:15:12"), ["schema"]),
        "non_utc_timestamp.json": (_set(base, "baseline.timestamp", "2026-03-02T11:15:03+01:00"), ["schema"]),
        "impossible_date.json": (_set(base, "optimized.timestamp", "2026-02-30T10:15:09+00:00"), ["schema"]),
        "blank_submitter.json": (_set(base, "submitter", "   "), ["schema"]),
        "no_techniques.json": (_set(base, "optimized.techniques", []), ["schema"]),
        "repeated_techniques.json": (
            _set(base, "optimized.techniques", [*base["optimized"]["techniques"], base["optimized"]["techniques"][-1]]),
            ["schema"],
        ),
        "unknown_precision.json": (_set(base, "optimized.metrics.precision", "int4"), ["schema"]),
        "inverted_speedup.json": (
            _set(base, "improvements.speedup", 1 / base["improvements"]["speedup"]),
            ["inconsistent-improvement"],
        ),
        "inflated_compression.json": (_set(base, "improvements.compression", 60.0), ["inconsistent-improvement"]),
        "flipped_accuracy_delta.json": (
            _set(base, "improvements.accuracy_delta", -base["improvements"]["accuracy_delta"]),
            ["inconsistent-improvement"],
        ),
        "percentile_order.json": (
            _set(base, "optimized.metrics.latency_ms_p90", round(p50 * 0.9, 6)),
            ["percentile-order"],
        ),
        "negative_latency.json": (_set(base, "baseline.metrics.latency_ms_p50", -0.3012), ["non-positive"]),
        "zero_size.json": (_set(base, "optimized.metrics.model_size_mb", 0), ["non-positive"]),
        "zero_parameters.json": (_set(base, "optimized.metrics.parameter_count", 0), ["non-positive"]),
        "accuracy_percent.json": (_set(base, "baseline.metrics.accuracy", 97.78), ["accuracy-range"]),
        "size_mismatch.json": (bigger, ["inconsistent-size"]),
        "system_mismatch.json": (_set(base, "optimized.system_info.python_version", "3.12.1"), ["system-mismatch"]),
        # The throughput was measured at batch 1, so it also contradicts a recorded batch of 32.
        "batch_mismatch.json": (
            _set(base, "optimized.metrics.batch_size", 32),
            ["batch-size-mismatch", "inconsistent-throughput"],
        ),
        "throughput_wrong_batch.json": (
            _set(base, "baseline.metrics.throughput_samples_per_sec", round(base_throughput * 32, 3)),
            ["inconsistent-throughput"],
        ),
        "mean_far_from_median.json": (_set(base, "optimized.metrics.latency_ms_std", 0.0001), ["inconsistent-latency"]),
        "report_after_submission.json": (
            _set(base, "optimized.timestamp", "2026-03-02T10:16:00+00:00"),
            ["timestamp-order"],
        ),
        "int8_without_quantization_id.json": (
            _delete(_set(base, "optimized.techniques", [technique("structured-pruning")]), "optimized.artifact"),
            ["implausible", "inconsistent-recipe"],
        ),
        "recipe_precision_mismatch.json": (
            _set(base, "optimized.artifact.recipe.precision", "fp16"),
            ["inconsistent-recipe"],
        ),
        "recipe_without_fine_tuning.json": (
            _set(base, "optimized.artifact.recipe.fine_tune_epochs", 0),
            ["inconsistent-recipe"],
        ),
        "artifact_with_labels.json": (
            _set(base, "optimized.techniques", ["structured pruning", "fine-tuning", "int8 quantization"]),
            ["inconsistent-recipe"],
        ),
        "artifact_missing.json": (_set(base, "optimized.artifact.file", "missing.npz"), ["artifact-missing"]),
        "artifact_swapped.json": (_set(base, "optimized.artifact.file", SWAPPED), ["artifact-mismatch"]),
        "artifact_in_another_folder.json": (_set(base, "optimized.artifact.file", "../alice.npz"), ["schema"]),
        "placeholder_submitter.json": (_set(base, "submitter", " Your-Name "), ["placeholder-submitter"]),
        "stored_bytes_not_the_artifact.json": (
            _set(base, "optimized.metrics.stored_bytes", base["optimized"]["metrics"]["stored_bytes"] - 4096),
            ["inconsistent-stored-size"],
        ),
        "stored_bytes_as_counted.json": (
            _set(
                base,
                "optimized.metrics.stored_bytes",
                round(base["optimized"]["metrics"]["model_size_mb"] * BYTES_PER_MB),
            ),
            ["inconsistent-stored-size"],
        ),
        "baseline_stored_bytes_inflated.json": (
            _set(base, "baseline.metrics.stored_bytes", 2 * base["baseline"]["metrics"]["stored_bytes"]),
            ["inconsistent-stored-size"],
        ),
        "other_without_detail.json": (
            _set(base, "optimized.techniques", [*base["optimized"]["techniques"], {"id": "other"}]),
            ["schema"],
        ),
        "unknown_technique_id.json": (
            _set(base, "optimized.techniques", [*base["optimized"]["techniques"], {"id": "distillation"}]),
            ["schema"],
        ),
        "quantization_only_compression.json": (quant_only, ["implausible"]),
        "impossible_speedup.json": (too_fast, ["implausible"]),
        "dense_pruning_speedup.json": (dense_fast, ["implausible"]),
    }
    files = {name: (_text(document).encode("utf-8"), codes) for name, (document, codes) in as_documents.items()}
    optimized_p50 = f'"latency_ms_p50": {p50}'
    assert text.count(optimized_p50) == 1
    raw: dict[str, tuple[bytes, list[str]]] = {
        "empty.json": (b"", ["not-json"]),
        "truncated.json": (text[: len(text) // 2].encode("utf-8"), ["not-json"]),
        "python_repr.json": (repr(base).encode("utf-8"), ["not-json"]),
        "nan_token.json": (text.replace(optimized_p50, '"latency_ms_p50": NaN').encode("utf-8"), ["non-finite-number"]),
        "infinity_token.json": (
            text.replace(f'"speedup": {base["improvements"]["speedup"]!r}', '"speedup": Infinity').encode("utf-8"),
            ["non-finite-number"],
        ),
        "overflow_number.json": (
            text.replace(f'"compression": {base["improvements"]["compression"]!r}', '"compression": 1e999').encode(
                "utf-8"
            ),
            ["non-finite-number"],
        ),
        "duplicate_key.json": (
            text.replace('"submitter": "alice",', '"submitter": "alice",\n  "submitter": "bob",').encode("utf-8"),
            ["duplicate-key"],
        ),
        "latin1.json": (
            _text(_set(base, "submitter", "Jos\u00e9")).replace("\\u00e9", "\u00e9").encode("latin-1"),
            ["encoding"],
        ),
        "utf16.json": (text.encode("utf-16"), ["encoding"]),
    }
    files.update(raw)
    return files


def write_corpus(directory: Path) -> dict[str, list[str]]:
    """Write good/, bad/ and expected.json under ``directory``; return the expectations."""
    expected: dict[str, list[str]] = {}
    (directory / "good").mkdir(parents=True, exist_ok=True)
    (directory / "bad").mkdir(parents=True, exist_ok=True)
    for name, document in good_submissions().items():
        (directory / "good" / name).write_text(_text(document), encoding="utf-8")
        expected[f"good/{name}"] = []
    for name, (content, codes) in bad_submissions().items():
        (directory / "bad" / name).write_bytes(content)
        expected[f"bad/{name}"] = sorted(codes)
    write_artifact(directory / "good" / ARTIFACT)
    write_artifact(directory / "bad" / ARTIFACT)
    write_artifact(directory / "bad" / SWAPPED, seed=6)
    (directory / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return expected


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    write_corpus(target)
    print(f"wrote the submission corpus to {target}")
