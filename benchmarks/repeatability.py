"""Do the numbers repeat? The baseline's p50 and a student's speedup over fresh runs.

Definitions (the targets of ``make bench``):

- *baseline p50 CV*: the coefficient of variation (population std / mean) of the baseline
  report's ``latency_ms_p50`` over ``runs`` fresh runs of the reference harness;
- *speedup CV*: the CV, over the same runs, of ``improvements.speedup`` of the submission a
  student obtains with the notebook's own steps.

A fresh run is a new Python process that loads the reference solution (the source notebook's
solution cells) and executes the notebook's own submission cells (``make_submission``: baseline
report, optimized report, speedup, ``generate_submission``), so the figures follow the notebook.
A fresh process matters: memory layout and caches differ between processes, and a student's
"run it again" is a new kernel. Each run also times the naive harness (``time.time``, no
warm-up, mean of 100 calls) on the baseline, for comparison.

Both figures are measured twice: with the machine as found (nothing started by the benchmark;
``idle`` only if nothing else runs), then with one extra CPU-bound process started by the
benchmark (``loaded``). The load average at the start of each set is reported with it.

    python -m benchmarks.repeatability [--runs 5]    # both sets, as a table
    python -m benchmarks.repeatability --one         # one fresh run, JSON on stdout
    python -m benchmarks.repeatability --script X.py # the same for another version of the notebook
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.reference_solution import SOURCE_SCRIPT, load_reference_solution, run_submission_cells
from tinytorch import load_model

ROOT = Path(__file__).resolve().parents[1]
BUSY_LOOP = "while True:\n    pass\n"


@dataclass
class RunSet:
    """The figures of ``runs`` fresh runs under one machine condition."""

    condition: str
    load_average: float
    baseline_p50_ms: list[float]
    speedups: list[float]
    naive_mean_ms: list[float]
    speedup_method: str

    @property
    def baseline_cv(self) -> float:
        return cv(self.baseline_p50_ms)

    @property
    def speedup_cv(self) -> float:
        return cv(self.speedups)

    @property
    def naive_cv(self) -> float:
        return cv(self.naive_mean_ms)


def cv(values: list[float]) -> float:
    """Population standard deviation / mean."""
    return statistics.pstdev(values) / statistics.mean(values)


def one_run(script: Path = SOURCE_SCRIPT) -> dict:
    """Load the reference solution, run the notebook's submission cells; return the figures."""
    with contextlib.redirect_stdout(io.StringIO()):
        reference = load_reference_solution(script)
    with tempfile.TemporaryDirectory(prefix="bench-repeat-") as folder:
        submission = run_submission_cells(reference, Path(folder), script)
    return {
        "baseline_p50_ms": submission["baseline"]["metrics"]["latency_ms_p50"],
        "speedup": submission["improvements"]["speedup"],
        "speedup_method": submission["improvements"].get("speedup_method", "p50_ratio"),
        "naive_mean_ms": _naive_mean_ms(load_model("baseline"), reference.X_test[:1]),
    }


def _naive_mean_ms(model, x, calls: int = 100) -> float:
    """The harness this course replaces: wall clock, no warm-up, the mean of 100 calls."""
    total = 0.0
    for _ in range(calls):
        start = time.time()
        model(x)
        total += time.time() - start
    return total / calls * 1e3


def fresh_runs(runs: int, condition: str, script: Path = SOURCE_SCRIPT) -> RunSet:
    """``runs`` fresh processes, one after the other, each doing ``one_run``."""
    load = os.getloadavg()[0]
    results = []
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks.repeatability", "--one", "--script", str(script)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"a fresh run failed:\n{completed.stderr[-2000:]}")
        results.append(json.loads(completed.stdout))
    return RunSet(
        condition=condition,
        load_average=load,
        baseline_p50_ms=[r["baseline_p50_ms"] for r in results],
        speedups=[r["speedup"] for r in results],
        naive_mean_ms=[r["naive_mean_ms"] for r in results],
        speedup_method=results[0]["speedup_method"],
    )


@contextmanager
def cpu_bound_process() -> Iterator[subprocess.Popen]:
    """One extra process spinning on a core for as long as the block runs."""
    process = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        time.sleep(0.5)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def measure(runs: int = 5, script: Path = SOURCE_SCRIPT) -> tuple[RunSet, RunSet]:
    """The machine as found, then with one extra CPU-bound process."""
    as_found = fresh_runs(runs, "as found", script)
    with cpu_bound_process():
        loaded = fresh_runs(runs, "with 1 extra CPU-bound process", script)
    return as_found, loaded


def describe(run_set: RunSet) -> str:
    return (
        f"baseline p50 (ms): {', '.join(f'{v:.4f}' for v in run_set.baseline_p50_ms)} -> CV {run_set.baseline_cv:.2%}; "
        f"speedup ({run_set.speedup_method}): {', '.join(f'{v:.2f}' for v in run_set.speedups)} -> CV {run_set.speedup_cv:.2%}; "
        f"naive mean CV {run_set.naive_cv:.2%}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh runs per condition")
    parser.add_argument("--one", action="store_true", help="do one fresh run in this process; print JSON")
    parser.add_argument("--script", type=Path, default=SOURCE_SCRIPT, help="the notebook's jupytext script")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_run(args.script)))
        return 0
    for run_set in measure(args.runs, args.script):
        print(f"{run_set.condition} (load average {run_set.load_average:.2f} at start): {describe(run_set)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
