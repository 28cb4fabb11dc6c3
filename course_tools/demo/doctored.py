"""A student who doctors their latencies: for demonstrating and testing that ``reproduce`` catches
what ``validate`` cannot.

`doctor_latencies` rewrites a ``submission.json`` so that it claims ``factor`` times the speedup
that was measured, and keeps every field consistent with that claim, so the file still passes
``validate`` (schema, consistency, cross-checks). Only re-measuring the model artifact shows the
claim is false. The tests and benchmarks call it on fabricated submissions; ``make demo`` has its
sample student ``demo-doctored`` run it in a cell of their own notebook (`doctoring_cell`).

`doctor_latencies` is written to run in a student's kernel too, where only the standard library,
numpy and tinytorch can be imported: it needs the standard-library imports and the constant that
`doctoring_cell` puts in front of its source, nothing else.
"""

from __future__ import annotations

import inspect
import json
import statistics
from pathlib import Path

# Every latency statistic of a report's metrics, in milliseconds (scaled together by a doctored claim).
LATENCY_FIELDS = (
    "latency_ms_mean",
    "latency_ms_std",
    "latency_ms_p50",
    "latency_ms_p90",
    "latency_ms_p95",
    "latency_ms_p99",
)

# What `doctor_latencies` needs in the cell before its own source; `doctoring_cell` adds the constant.
_CELL_IMPORTS = "import json\nimport statistics\nfrom pathlib import Path\n"


def doctor_latencies(path: Path, factor: float = 3.0) -> None:
    """Edit the optimized model's latencies in the submission at ``path`` so it claims ``factor``
    times its measured speedup, consistently: every latency (round p50s too) / factor, throughput
    x factor, per-round speedups and their interval x factor, and the speedup recomputed by its method."""
    doctored = json.loads(Path(path).read_text(encoding="utf-8"))
    metrics = doctored["optimized"]["metrics"]
    for name in LATENCY_FIELDS:
        metrics[name] /= factor
    if "latency_ms_round_p50s" in metrics:
        metrics["latency_ms_round_p50s"] = [p50 / factor for p50 in metrics["latency_ms_round_p50s"]]
    metrics["throughput_samples_per_sec"] *= factor
    improvements = doctored["improvements"]
    if "speedup_rounds" in improvements:
        improvements["speedup_rounds"] = [ratio * factor for ratio in improvements["speedup_rounds"]]
    if "speedup_interval" in improvements:
        # Medians and percentiles of ratios scaled by a factor are the old ones scaled by it.
        for bound in ("low", "high"):
            improvements["speedup_interval"][bound] *= factor
    if improvements.get("speedup_method") == "interleaved_rounds":
        improvements["speedup"] = statistics.median(improvements["speedup_rounds"])
    else:
        improvements["speedup"] = doctored["baseline"]["metrics"]["latency_ms_p50"] / metrics["latency_ms_p50"]
    Path(path).write_text(json.dumps(doctored, indent=2), encoding="utf-8")


def doctoring_cell(factor: float = 3.0, file: str = "submission.json") -> str:
    """The source of a notebook code cell that doctors ``file`` (relative to the notebook's working
    folder) by ``factor``: the imports and constant `doctor_latencies` needs, its own source, the
    call. Standard library only, so it runs in the student's kernel without ``course_tools``."""
    return "\n".join(
        [
            f"# Claim {factor:g}x the speedup I measured, edited consistently so that validate passes.",
            _CELL_IMPORTS,
            f"LATENCY_FIELDS = {LATENCY_FIELDS!r}",
            "",
            "",
            inspect.getsource(doctor_latencies),
            "",
            f"doctor_latencies(Path({file!r}), factor={factor!r})",
            "",
        ]
    )
