import time

import tinytorch


def generate_submission(baseline: object, optimized: object, techniques, submitter: str = "anonymous",
                        comparison: dict | None = None) -> dict:
    """Submission built with dict unpacking; reports may be objects with to_dict()."""
    base = baseline if isinstance(baseline, dict) else baseline.to_dict()
    opt = optimized if isinstance(optimized, dict) else optimized.to_dict()
    b, o = base["metrics"], opt["metrics"]
    improvements = {
        "accuracy_delta": o["accuracy"] - b["accuracy"],
        "compression": b["model_size_mb"] / o["model_size_mb"],
        "speedup": b["latency_ms_p50"] / o["latency_ms_p50"] if comparison is None else comparison["speedup"],
    }
    if comparison is not None and comparison.get("interval") is None:
        raise ValueError("the comparison carries no interval: it needs at least 5 rounds")
    how = ({"speedup_method": "p50_ratio"} if comparison is None else
           {"speedup_method": "interleaved_rounds", "speedup_rounds": [float(r) for r in comparison["ratios"]],
            "speedup_interval": {**comparison["interval"]}})
    return {
        "improvements": {**{key: float(value) for key, value in improvements.items()}, **how},
        "optimized": {**opt, "metrics": dict(o), "techniques": list(techniques)},
        "baseline": {**base, "metrics": dict(b)},
        "system_info": dict(base["system_info"]),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "submitter": submitter,
        "schema_version": tinytorch.SCHEMA_VERSION,
    }
