"""Does the interval rule of ``reproduce`` pass honest claims and flag a doctored one, run after run?

    python -m benchmarks.reproduce_intervals [--runs 20]

Each run makes two fresh honest claims of the notebook's reference recipe with the notebook's
reference harness (``benchmarks.honest_claims``, speedup from ``compare_latency``'s 41
interleaved rounds as the submission cell measures it): one on the machine as found, one beside two
CPU-bound processes (``benchmarks.repeatability.cpu_bound_process``). A copy of the first is
doctored to claim 3x its measured speedup (``course_tools.demo.doctored``). Then ``reproduce``
re-measures the folder -- on the machine as found in even runs, beside two CPU-bound processes
in odd ones. The three submissions share one artifact, so they are judged against the same
evidence. Printed per run: the re-measured point, its interval, the look medians, the widening
and the largest speedup accepted; at the end the false-flag rate of the honest claims, the flag
rate of the doctored one and the spread of the derived tolerances.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks.honest_claims import ARTIFACT, honest_submission
from benchmarks.repeatability import cpu_bound_process
from course_tools.demo.doctored import doctor_latencies
from course_tools.reproduce.run import Outcome, reproduce
from course_tools.reproduce.verdict import REPRODUCED
from tinytorch import Recipe

REFERENCE_RECIPE = Recipe(0.5, 4, "int8")  # the notebook's reference recipe
DOCTOR_FACTOR = 3.0
NOTEBOOK_ROUNDS = 41  # compare_latency's default, which the notebook's submission cell uses


@contextlib.contextmanager
def two_cpu_bound_processes() -> Iterator[None]:
    with cpu_bound_process(), cpu_bound_process():
        yield


def one_run(root: Path, loaded: bool) -> dict[str, Outcome]:
    """The three claims made in ``root`` and re-measured (module docstring)."""
    honest_submission(root / "quiet", "quiet", REFERENCE_RECIPE, comparison_rounds=NOTEBOOK_ROUNDS)
    with two_cpu_bound_processes():
        honest_submission(root / "busy", "busy", REFERENCE_RECIPE, comparison_rounds=NOTEBOOK_ROUNDS)
    (root / "doctored").mkdir()
    shutil.copyfile(root / "quiet" / ARTIFACT, root / "doctored" / ARTIFACT)
    shutil.copyfile(root / "quiet" / "submission.json", root / "doctored" / "submission.json")
    doctor_latencies(root / "doctored" / "submission.json", factor=DOCTOR_FACTOR)
    with two_cpu_bound_processes() if loaded else contextlib.nullcontext():
        reproduction = reproduce(root)
    return {Path(item.file).parent.name: item for item in reproduction.submissions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    honest_flags = honest_total = doctored_flags = 0
    widenings: list[float] = []
    accepted_over_point: list[float] = []
    claim_over_point: list[float] = []
    for index in range(args.runs):
        loaded = index % 2 == 1
        with tempfile.TemporaryDirectory() as folder:
            outcomes = one_run(Path(folder), loaded)
        measured = outcomes["quiet"].measured
        assert measured is not None
        evidence = measured["speedup_evidence"]
        interval = measured["speedup_interval"]
        point = measured["speedup"]
        widenings.append(evidence["widening"])
        accepted_over_point.append(evidence["accepted_up_to"] / point)
        verdicts = []
        for name in ("quiet", "busy", "doctored"):
            outcome = outcomes[name]
            assert outcome.claimed is not None
            flagged = outcome.verdict != REPRODUCED
            if name == "doctored":
                doctored_flags += flagged
            else:
                honest_total += 1
                honest_flags += flagged
                claim_over_point.append(outcome.claimed["speedup"] / point)
            verdicts.append(f"{name} {outcome.claimed['speedup']:.2f}x {'FLAGGED' if flagged else 'ok'}")
        print(
            f"run {index + 1:2d} ({'2 CPU-bound' if loaded else 'as found'}): re-measured {point:.2f}x "
            f"[{interval['low']:.2f}, {interval['high']:.2f}], looks {evidence['look_medians']}, "
            f"s {evidence['between_looks_log_sd']:.3f}, widening {evidence['widening']:.2f}, "
            f"accepted up to {evidence['accepted_up_to']:.2f}x; " + ", ".join(verdicts),
            flush=True,
        )
    print(f"honest claims flagged: {honest_flags}/{honest_total} ({honest_flags / honest_total:.0%})")
    print(
        f"doctored {DOCTOR_FACTOR:g}x claims flagged: {doctored_flags}/{args.runs} ({doctored_flags / args.runs:.0%})"
    )
    print(
        f"widening W: min {min(widenings):.2f}, median {statistics.median(widenings):.2f}, max {max(widenings):.2f}; "
        f"accepted / re-measured point: min {min(accepted_over_point):.2f}, "
        f"median {statistics.median(accepted_over_point):.2f}, max {max(accepted_over_point):.2f}"
    )
    print(
        f"honest claimed / re-measured point: min {min(claim_over_point):.2f}, "
        f"median {statistics.median(claim_over_point):.2f}, max {max(claim_over_point):.2f}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
