import copy
from datetime import datetime, timezone

from tinytorch import SCHEMA_VERSION


def _report_dict(report) -> dict:
    if hasattr(report, "to_dict"):
        report = report.to_dict()
    return copy.deepcopy(report)


def generate_submission(baseline, optimized, techniques, submitter="anonymous", comparison=None):
    """Submission built from deep copies of both reports."""
    base = _report_dict(baseline)
    opt = _report_dict(optimized)
    opt["techniques"] = [str(t) for t in techniques]
    speedup = base["metrics"]["latency_ms_p50"] / opt["metrics"]["latency_ms_p50"]
    compression = base["metrics"]["model_size_mb"] / opt["metrics"]["model_size_mb"]
    delta = opt["metrics"]["accuracy"] - base["metrics"]["accuracy"]
    improvements = {"speedup": float(speedup), "speedup_method": "p50_ratio", "compression": float(compression),
                    "accuracy_delta": float(delta)}
    if comparison:
        improvements["speedup"] = float(comparison["speedup"])
        improvements["speedup_method"] = "interleaved_rounds"
        improvements["speedup_rounds"] = [float(r) for r in copy.deepcopy(list(comparison["ratios"]))]
        if not comparison.get("interval"):
            raise ValueError("an interleaved speedup needs the comparison's interval (5 rounds or more)")
        improvements["speedup_interval"] = copy.deepcopy(dict(comparison["interval"]))
    return {
        "schema_version": SCHEMA_VERSION,
        "submitter": submitter,
        "timestamp": datetime.now(timezone.utc).isoformat(),
        "system_info": copy.deepcopy(base["system_info"]),
        "baseline": base,
        "optimized": opt,
        "improvements": improvements,
    }
