import math

import numpy as np

from jsonschema.validators import validator_for


def validate_submission(submission):
    """One function, checks appended as they are found; schema errors sorted by path."""
    schema = load_submission_schema()
    problems = []
    if type(submission) is not dict:
        problems.append("the submission is not a JSON object")
        return problems
    checker = validator_for(schema)(schema)
    for error in sorted(checker.iter_errors(submission), key=lambda e: list(map(str, e.path))):
        where = ".".join(str(part) for part in error.path) or "submission"
        problems.append(f"schema violation at {where}: {error.message}")

    found = {}
    for role in ["baseline", "optimized"]:
        m = (submission.get(role) or {}).get("metrics") if isinstance(submission.get(role), dict) else None
        if type(m) is not dict:
            continue
        found[role] = m
        for key in ["latency_ms_mean", "latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99",
                    "model_size_mb"]:
            v = m.get(key)
            ok = type(v) in (int, float) and math.isfinite(v) and v > 0
            if not ok:
                problems.append(f"{role} {key} = {v!r} is not a finite positive number")
        p = [m.get("latency_ms_p%d" % q) for q in (50, 90, 95, 99)]
        if all(type(v) in (int, float) for v in p):
            if not (p[0] <= p[1] <= p[2] <= p[3]):
                problems.append(f"{role} latency percentiles are not ordered p50 <= p90 <= p95 <= p99: {p}")
        acc = m.get("accuracy")
        if type(acc) not in (int, float) or acc < 0 or acc > 1 or math.isnan(acc):
            problems.append(f"{role} accuracy {acc!r} is outside [0, 1]")

    imp = submission.get("improvements")
    if len(found) == 2 and type(imp) is dict:
        b, o = found["baseline"], found["optimized"]
        pairs = [("speedup", ("latency_ms_p50", "latency_ms_p50", "ratio")),
                 ("compression", ("model_size_mb", "model_size_mb", "ratio")),
                 ("accuracy_delta", ("accuracy", "accuracy", "difference"))]
        for name, (base_key, opt_key, kind) in pairs:
            try:
                expected = b[base_key] / o[opt_key] if kind == "ratio" else o[opt_key] - b[base_key]
            except (KeyError, TypeError, ZeroDivisionError):
                continue
            if name == "speedup" and imp.get("speedup_method") == "interleaved_rounds":
                rounds = imp.get("speedup_rounds")
                if type(rounds) is not list or not rounds or any(type(r) not in (int, float) for r in rounds):
                    problems.append(f"improvements speedup_rounds = {rounds!r}: interleaved rounds need their ratios")
                    continue
                expected = float(np.median(rounds))
            claimed = imp.get(name)
            if type(claimed) not in (int, float) or abs(claimed - expected) > 1e-6 * max(abs(expected), 1e-6):
                problems.append(f"improvements {name} = {claimed!r}, but the metrics give {expected!r}")
    return problems
