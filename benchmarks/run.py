"""``make bench``: measure the harness, the models, the notebook and the grader; save the table.

Prints a Markdown table of every figure with its target, preceded by the machine context, and
writes the same to ``benchmarks/results.md`` (committed; the README's Performance section shows
it). Each figure is a ratio or a distribution measured side by side in this one run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import time
from pathlib import Path

from benchmarks import grading, grading_floor, grading_profile, harness, interval_width, isolation, wall_clock
from benchmarks.context import machine_context
from benchmarks.harness import Figure
from benchmarks.reference_solution import load_reference_solution

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"


def grading_speed(count: int, runs: int) -> list[Figure]:
    result = grading.plain_vs_ours(count=count, runs=runs)
    per_plain = statistics.median(result["plain_seconds"]) / count
    per_ours = statistics.median(result["ours_seconds"]) / count
    return [
        Figure(
            "grading",
            f"plain `nbgrader autograde` vs our `grade --jobs 2`, {count} submissions "
            f"(median of {runs} alternating runs)",
            f"{result['speedup']:.2f}x faster ({per_plain:.2f} s vs {per_ours:.2f} s per submission)",
            ">= 1.6x",
            result["speedup"] >= 1.6,
        ),
        Figure(
            "grading",
            "scores identical per student (plain vs ours)",
            f"{result['identical_scores']} ({sorted(set(result['scores'].values()))} points)",
            "identical",
            result["identical_scores"],
        ),
    ]


def grading_floor_and_throughput(rounds: int) -> list[Figure]:
    result = grading_floor.measure(rounds=rounds)
    per_minute = result["median_submissions_per_minute"]
    return [
        Figure(
            "grading",
            f"one submission: our `grade` (jobs 1, whole call) vs plain nbclient executing the same graded "
            f"notebook (median of {rounds} alternating rounds)",
            f"+{result['median_overhead']:.0%} ({result['median_ours_s']:.2f} s vs {result['median_plain_s']:.2f} s; "
            f"the submission's own job {result['median_ours_job_s']:.2f} s)",
            "<= +25%",
            result["median_overhead"] <= 0.25,
        ),
        Figure(
            "grading",
            f"submissions per minute by worker count ({result['throughput_submissions']} submissions a run)",
            ", ".join(f"{jobs} worker(s): {value:.1f}" for jobs, value in per_minute.items()),
            "reported",
            None,
        ),
    ]


def grading_profile_vs_full_and_floor(rounds: int) -> list[Figure]:
    result = grading_profile.measure(rounds=rounds)
    median = result["median_s"]
    return [
        Figure(
            "grading",
            f"per submission ({result['batch']} graded per call, as a class is), grading profile vs the floor "
            f"(kernel start + setup + solution + grade cells, plain nbclient), median of {rounds} rotating rounds",
            f"{result['median_profile_over_floor']:.2f}x ({median['profile']:.2f} s vs {median['floor']:.2f} s)",
            "<= 1.5x",
            result["median_profile_over_floor"] <= 1.5,
        ),
        Figure(
            "grading",
            "per submission, full-notebook grading vs the grading profile (same rounds; same scores)",
            f"{result['median_full_over_profile']:.2f}x faster ({median['full']:.2f} s vs {median['profile']:.2f} s)",
            ">= 2.5x",
            result["median_full_over_profile"] >= 2.5,
        ),
    ]


def render(figures: list[Figure], context: dict, seconds: float) -> str:
    lines = [
        "# Performance results",
        "",
        "Produced by `make bench` (`python -m benchmarks.run`); every ratio is measured side by side in",
        "one run on the machine below. Re-run to refresh; expect absolute times to drift, not the ratios.",
        "",
        "| context | value |",
        "| --- | --- |",
    ]
    lines += [f"| {key} | {value} |" for key, value in context.items()]
    lines += ["", "| area | measure | value | target | met |", "| --- | --- | --- | --- | --- |"]
    for f in figures:
        met = {True: "yes", False: "**no**", None: "-"}[f.met]
        lines.append(f"| {f.area} | {f.measure} | {f.value} | {f.target} | {met} |")
    lines += ["", f"Total benchmark time: {seconds:.0f} s.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=8, help="submissions graded in the grading comparison")
    parser.add_argument("--grading-runs", type=int, default=3, help="alternating runs of the grading comparison")
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the Markdown results (default: benchmarks/results.md, not written with --only)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="AREA",
        help="measure only this step (repeatable), print the table, leave results.md alone unless "
        "--out is given: timer fidelity, stability, timer overhead, optimization, "
        "interval width, framework overhead, notebook runtime, grading speed, grading profile",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    context = {**machine_context(), "BLAS threads while timing": "1 (threadpoolctl), batch 1"}
    with contextlib.redirect_stdout(io.StringIO()):
        reference = load_reference_solution()
    figures: list[Figure] = []
    steps = [
        ("timer fidelity", lambda: harness.timer_fidelity(reference)),
        ("stability", harness.stability),
        ("timer overhead", lambda: harness.timer_overhead(reference)),
        ("optimization", harness.optimization),
        ("interval width", lambda: interval_width.widths(reference)),
        ("framework overhead", harness.framework_overhead),
        ("notebook runtime", wall_clock.notebook_runtime),
        ("validate start-up", wall_clock.validate_start_up),
        ("grading speed", lambda: grading_speed(args.submissions, args.grading_runs)),
        ("isolation overhead", isolation.overhead),
        ("grading floor and throughput", lambda: grading_floor_and_throughput(args.grading_runs)),
        ("grading profile", lambda: grading_profile_vs_full_and_floor(args.grading_runs)),
    ]
    unknown = set(args.only or ()) - {label for label, _ in steps}
    if unknown:
        parser.error(f"unknown --only {sorted(unknown)}; choose from {[label for label, _ in steps]}")
    for label, step in steps:
        if args.only and label not in args.only:
            continue
        print(f"measuring {label} ...", flush=True)
        figures += step()
    text = render(figures, context, time.perf_counter() - started)
    out = args.out or (None if args.only else RESULTS)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    print(text)
    print(json.dumps({"missed": [f.measure for f in figures if f.met is False]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
