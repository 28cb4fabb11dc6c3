"""Summary of the shipped models: size, accuracy and batch-1 latency, side by side.

    python benchmarks/models_summary.py [--runs 200] [--rounds 7] [--warmup 50] [--json PATH]

Latency: batch 1 (one test image), BLAS pinned to 1 thread (threadpoolctl), ``warmup`` untimed
calls per model, then ``rounds`` rounds; in each round every model is timed for ``runs`` calls,
each call alone with ``time.perf_counter``. A model's p50 is the median of its per-round p50s;
its speedup is the median over rounds of baseline p50 / model p50 in the same round, so slow
drifts of a shared machine cancel out. The spread column is the min..max of the per-round p50s.

Size: ``size MB`` is the deck's formula, parameters x bytes per parameter (fp32 = 4, int8 = 1)
/ 1024²; ``stored B`` is what the model really stores (int8 weights plus fp32 scales and biases).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from tinytorch import MODEL_NAMES, Module, load_digits, load_model
from tinytorch.schema import BYTES_PER_MB, BYTES_PER_PARAMETER


@dataclass
class ModelRow:
    """One model's measured figures (latencies in ms, sizes in MB = 1024² bytes and in bytes)."""

    model: str
    params: int
    precision: str
    size_mb: float
    stored_bytes: int
    zero_fraction: float
    accuracy: float
    p50_ms: float
    p50_min_ms: float
    p50_max_ms: float
    speedup: float
    compression: float


def time_calls_ms(fn: Callable[[np.ndarray], object], x: np.ndarray, runs: int) -> np.ndarray:
    """``runs`` latencies of ``fn(x)`` in milliseconds, each call timed alone."""
    samples = np.empty(runs)
    for index in range(runs):
        start = time.perf_counter()
        fn(x)
        samples[index] = time.perf_counter() - start
    return samples * 1e3


def collect(runs: int = 200, rounds: int = 7, warmup: int = 50) -> tuple[list[ModelRow], dict]:
    """Measure every model in `MODEL_NAMES`; returns the rows and the measurement context."""
    _, _, X_test, y_test = load_digits()
    x = X_test[:1]
    models = {name: load_model(name) for name in MODEL_NAMES}
    with threadpool_limits(limits=1, user_api="blas"):
        blas = [
            f"{info.get('internal_api')} {info.get('version')} threads={info.get('num_threads')}"
            for info in threadpool_info()
            if info.get("user_api") == "blas"
        ]
        for model in models.values():
            time_calls_ms(model, x, warmup)
        p50s: dict[str, list[float]] = {name: [] for name in models}
        for _ in range(rounds):
            for name, model in models.items():
                p50s[name].append(float(np.median(time_calls_ms(model, x, runs))))
    baseline = "baseline"
    base_params = _param_count(models[baseline])
    base_size = base_params * BYTES_PER_PARAMETER[models[baseline].precision]
    rows = []
    for name, model in models.items():
        params = _param_count(model)
        size_bytes = params * BYTES_PER_PARAMETER[model.precision]
        weights = [p.data for p in model.parameters() if p.data.ndim == 2]
        zeros = sum(int(np.count_nonzero(w == 0)) for w in weights) / sum(w.size for w in weights)
        ratios = [b / m for b, m in zip(p50s[baseline], p50s[name])]
        rows.append(
            ModelRow(
                model=name,
                params=params,
                precision=model.precision,
                size_mb=size_bytes / BYTES_PER_MB,
                stored_bytes=model.stored_nbytes(),
                zero_fraction=zeros,
                accuracy=float(np.mean(np.argmax(model(X_test), axis=1) == y_test)),
                p50_ms=statistics.median(p50s[name]),
                p50_min_ms=min(p50s[name]),
                p50_max_ms=max(p50s[name]),
                speedup=statistics.median(ratios),
                compression=base_size / size_bytes,
            )
        )
    context = {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "cpu_count": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "blas": blas,
        "batch_size": 1,
        "warmup": warmup,
        "runs_per_round": runs,
        "rounds": rounds,
        "test_samples": int(len(y_test)),
    }
    return rows, context


def framework_overhead(runs: int = 200, rounds: int = 7, warmup: int = 50) -> float:
    """Median over rounds of p50(tinytorch baseline forward) / p50(the same matmuls in raw numpy)."""
    model = load_model("baseline")
    weights = [layer.weight.data for layer in model.linears]
    biases = [layer.bias.data for layer in model.linears]

    def raw_numpy(x: np.ndarray) -> np.ndarray:
        hidden = np.maximum(x @ weights[0] + biases[0], 0)
        hidden = np.maximum(hidden @ weights[1] + biases[1], 0)
        return hidden @ weights[2] + biases[2]

    x = load_digits()[2][:1]
    ratios = []
    with threadpool_limits(limits=1, user_api="blas"):
        time_calls_ms(model, x, warmup)
        time_calls_ms(raw_numpy, x, warmup)
        for _ in range(rounds):
            ours = np.median(time_calls_ms(model, x, runs))
            raw = np.median(time_calls_ms(raw_numpy, x, runs))
            ratios.append(float(ours / raw))
    return statistics.median(ratios)


def format_table(rows: list[ModelRow]) -> str:
    """The rows as a Markdown table."""
    header = (
        "| model | params | precision | size MB | stored B | zeros | test acc | p50 ms (spread) "
        "| speedup | compression |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for row in rows:
        lines.append(
            f"| {row.model} | {row.params:,} | {row.precision} | {row.size_mb:.3f} | {row.stored_bytes:,} "
            f"| {row.zero_fraction:.0%} | {row.accuracy:.2%} "
            f"| {row.p50_ms:.4f} ({row.p50_min_ms:.4f}..{row.p50_max_ms:.4f}) "
            f"| {row.speedup:.2f}x | {row.compression:.1f}x |"
        )
    return "\n".join(lines)


def _param_count(model: Module) -> int:
    return sum(param.data.size for param in model.parameters())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="timed calls per model per round")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of timing, models alternating")
    parser.add_argument("--warmup", type=int, default=50, help="untimed calls per model first")
    parser.add_argument("--json", help="also write rows and context to this JSON file")
    args = parser.parse_args(argv)
    rows, context = collect(args.runs, args.rounds, args.warmup)
    overhead = framework_overhead(args.runs, args.rounds, args.warmup)
    print(format_table(rows))
    print(f"\nframework overhead (tinytorch baseline / raw numpy matmuls, batch 1, p50): {overhead:.3f}x")
    print("context: " + json.dumps(context))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(
                {"rows": [asdict(row) for row in rows], "framework_overhead": overhead, "context": context},
                handle,
                indent=2,
            )


if __name__ == "__main__":
    main()
