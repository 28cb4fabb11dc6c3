import copy
from datetime import datetime, timezone

from tinytorch import SCHEMA_VERSION


def generate_submission(baseline, optimized, techniques, submitter: str = "anonymous") -> dict:
    """Off by a convention: speedup from mean latencies instead of p50."""
    base = copy.deepcopy(baseline if isinstance(baseline, dict) else baseline.to_dict())
    opt = copy.deepcopy(optimized if isinstance(optimized, dict) else optimized.to_dict())
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
            "speedup": float(b["latency_ms_mean"] / o["latency_ms_mean"]),
            "compression": float(b["model_size_mb"] / o["model_size_mb"]),
            "accuracy_delta": float(o["accuracy"] - b["accuracy"]),
        },
    }
