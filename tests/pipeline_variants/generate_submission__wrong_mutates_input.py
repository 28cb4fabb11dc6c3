import copy
from datetime import datetime, timezone

from tinytorch import SCHEMA_VERSION


def generate_submission(baseline, optimized, techniques, submitter: str = "anonymous") -> dict:
    """Adds techniques to the caller's own optimized dict (modifies its input)."""
    base = copy.deepcopy(baseline if isinstance(baseline, dict) else baseline.to_dict())
    opt = optimized if isinstance(optimized, dict) else optimized.to_dict()
    opt["techniques"] = list(techniques)
    b, o = base["metrics"], opt["metrics"]
    return {
        "schema_version": SCHEMA_VERSION,
        "submitter": submitter,
        "timestamp": datetime.now(timezone.utc).isoformat(),
        "system_info": base["system_info"],
        "baseline": base,
        "optimized": opt,
        "improvements": {
            "speedup": float(b["latency_ms_p50"] / o["latency_ms_p50"]),
            "compression": float(b["model_size_mb"] / o["model_size_mb"]),
            "accuracy_delta": float(o["accuracy"] - b["accuracy"]),
        },
    }
