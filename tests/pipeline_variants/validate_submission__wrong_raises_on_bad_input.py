import math

import jsonschema

from tinytorch import load_submission_schema


def validate_submission(submission) -> list:
    """Indexes the submission directly: raises KeyError/TypeError on malformed input."""
    problems = [
        f"schema: {'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in jsonschema.Draft202012Validator(load_submission_schema()).iter_errors(submission)
    ]
    base = submission["baseline"]["metrics"]
    opt = submission["optimized"]["metrics"]
    for role, found in (("baseline", base), ("optimized", opt)):
        for key in ("latency_ms_mean", "latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99",
                    "model_size_mb"):
            if not math.isfinite(found[key]) or found[key] <= 0:
                problems.append(f"{role}.{key} must be a finite number > 0, got {found[key]!r}")
        ordered = [found.get(k) for k in ("latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99")]
        if all(isinstance(v, (int, float)) for v in ordered) and ordered != sorted(ordered):
            problems.append(f"{role} percentiles must satisfy p50 <= p90 <= p95 <= p99, got {ordered}")
        if not 0.0 <= found["accuracy"] <= 1.0:
            problems.append(f"{role}.accuracy must be in [0, 1], got {found['accuracy']!r}")
    expected = {
        "speedup": base["latency_ms_p50"] / opt["latency_ms_p50"],
        "compression": base["model_size_mb"] / opt["model_size_mb"],
        "accuracy_delta": opt["accuracy"] - base["accuracy"],
    }
    for key, value in expected.items():
        if not math.isclose(submission["improvements"][key], value, rel_tol=1e-6, abs_tol=1e-12):
            problems.append(f"improvements.{key} does not match the metrics")
    return problems
