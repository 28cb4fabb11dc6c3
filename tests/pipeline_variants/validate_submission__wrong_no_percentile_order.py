import math

import jsonschema

from tinytorch import load_submission_schema


def validate_submission(submission) -> list:
    """Never checks that p50 <= p90 <= p95 <= p99."""
    if not isinstance(submission, dict):
        return [f"submission must be a dict, got {type(submission).__name__}"]
    problems = [
        f"schema: {'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in jsonschema.Draft202012Validator(load_submission_schema()).iter_errors(submission)
    ]
    metrics = {}
    for role in ("baseline", "optimized"):
        found = submission.get(role, {}).get("metrics") if isinstance(submission.get(role), dict) else None
        if not isinstance(found, dict):
            continue
        metrics[role] = found
        for key in ("latency_ms_mean", "latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99",
                    "model_size_mb"):
            value = found.get(key)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                problems.append(f"{role}.{key} must be a finite number > 0, got {value!r}")
        accuracy = found.get("accuracy")
        if not isinstance(accuracy, (int, float)) or not 0.0 <= accuracy <= 1.0:
            problems.append(f"{role}.accuracy must be in [0, 1], got {accuracy!r}")
    improvements = submission.get("improvements")
    if len(metrics) == 2 and isinstance(improvements, dict):
        base, opt = metrics["baseline"], metrics["optimized"]
        try:
            expected = {
                "speedup": base["latency_ms_p50"] / opt["latency_ms_p50"],
                "compression": base["model_size_mb"] / opt["model_size_mb"],
                "accuracy_delta": opt["accuracy"] - base["accuracy"],
            }
        except (KeyError, TypeError, ZeroDivisionError):
            expected = {}
        for key, value in expected.items():
            claimed = improvements.get(key)
            if not isinstance(claimed, (int, float)) or not math.isclose(claimed, value, rel_tol=1e-6, abs_tol=1e-12):
                problems.append(f"improvements.{key} is {claimed!r} but the metrics give {value!r}")
    return problems
