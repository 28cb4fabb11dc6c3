import math

import jsonschema

from tinytorch import load_submission_schema

LATENCIES = ("latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _metric_problems(role: str, metrics: dict) -> list:
    problems = []
    for key in ("latency_ms_mean",) + LATENCIES + ("model_size_mb",):
        value = metrics.get(key)
        if not (_is_number(value) and math.isfinite(value) and value > 0):
            problems.append(f"{role}.metrics.{key}: must be a finite number > 0 (got {value!r})")
    values = [metrics.get(key) for key in LATENCIES]
    if all(_is_number(v) for v in values) and any(a > b for a, b in zip(values, values[1:])):
        problems.append(f"{role}.metrics: percentiles out of order {values}")
    accuracy = metrics.get("accuracy")
    if not (_is_number(accuracy) and 0 <= accuracy <= 1):
        problems.append(f"{role}.metrics.accuracy: must be a fraction in [0, 1] (got {accuracy!r})")
    return problems


def _improvement_problems(base: dict, opt: dict, claimed: dict) -> list:
    try:
        recomputed = {
            "speedup": base["latency_ms_p50"] / opt["latency_ms_p50"],
            "compression": base["model_size_mb"] / opt["model_size_mb"],
            "accuracy_delta": opt["accuracy"] - base["accuracy"],
        }
    except (KeyError, TypeError, ZeroDivisionError):
        return []
    if claimed.get("speedup_method") == "interleaved_rounds":
        rounds = claimed.get("speedup_rounds")
        if not (isinstance(rounds, list) and rounds and all(_is_number(r) for r in rounds)):
            return [f"improvements.speedup_rounds: interleaved rounds need their ratios (got {rounds!r})"]
        ordered = sorted(rounds)
        middle = len(ordered) // 2
        recomputed["speedup"] = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return [
        f"improvements.{key}: {claimed.get(key)!r} does not match the metrics ({value!r})"
        for key, value in recomputed.items()
        if not (_is_number(claimed.get(key)) and math.isclose(claimed[key], value, rel_tol=1e-6, abs_tol=1e-12))
    ]


def validate_submission(submission) -> list:
    """Schema errors, then per-report metric checks, then recomputed improvements."""
    if not isinstance(submission, dict):
        return [f"(root): expected a JSON object, got {type(submission).__name__}"]
    validator = jsonschema.Draft202012Validator(load_submission_schema())
    problems = [f"{error.json_path}: {error.message}" for error in validator.iter_errors(submission)]
    metrics = {}
    for role in ("baseline", "optimized"):
        report = submission.get(role)
        if isinstance(report, dict) and isinstance(report.get("metrics"), dict):
            metrics[role] = report["metrics"]
            problems += _metric_problems(role, report["metrics"])
    if len(metrics) == 2 and isinstance(submission.get("improvements"), dict):
        problems += _improvement_problems(metrics["baseline"], metrics["optimized"], submission["improvements"])
    return problems
