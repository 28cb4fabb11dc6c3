"""course_tools.demo.doctored: a consistently doctored claim still passes ``validate`` (only ``reproduce``
can catch it, see test_reproduce.py), and the demo's doctoring cell is that same function, runnable
where only the standard library is importable (a student's kernel has no course_tools)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools.bootstrap import percentile_interval
from course_tools.cli import main as course_tools_main
from course_tools.demo.doctored import LATENCY_FIELDS, doctor_latencies, doctoring_cell

GOOD = Path(__file__).parent / "submission_corpus" / "good"
FACTOR = 3.0


def fabricated(folder: Path, example: str) -> Path:
    """``folder/submission.json`` copied from a valid corpus example, with its artifact beside it."""
    folder.mkdir(parents=True)
    path = folder / "submission.json"
    shutil.copyfile(GOOD / f"{example}.json", path)
    artifact = json.loads(path.read_text(encoding="utf-8"))["optimized"].get("artifact")
    if artifact:
        shutil.copyfile(GOOD / artifact["file"], folder / artifact["file"])
    return path


def run_cell_with_stdlib_only(source: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``source`` in a fresh interpreter in ``folder``: ``-I`` (no current folder, no PYTHON*
    variables on the path) and ``-S`` (no site-packages), so neither course_tools nor numpy imports."""
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", source], cwd=folder, capture_output=True, text=True, check=False
    )


def test_the_sandbox_of_this_test_really_has_only_the_standard_library(tmp_path: Path) -> None:
    for module in ("course_tools", "numpy"):
        run = run_cell_with_stdlib_only(f"import {module}", tmp_path)
        assert run.returncode != 0 and "ModuleNotFoundError" in run.stderr, module


@pytest.mark.parametrize(
    "example",
    [
        "alice",  # schema 1.2.0: interleaved rounds, a model artifact
        "bob",  # schema 1.1.0: speedup as the ratio of p50s, round p50s recorded
        "frank",  # schema 1.0.0: no rounds at all
    ],
)
def test_the_doctoring_cell_runs_on_the_standard_library_alone_and_validate_accepts_its_work(
    tmp_path: Path, example: str
) -> None:
    path = fabricated(tmp_path / "student", example)
    original = json.loads(path.read_text(encoding="utf-8"))
    run = run_cell_with_stdlib_only(doctoring_cell(FACTOR), path.parent)
    assert run.returncode == 0 and run.stderr == "", run.stderr

    same_function = fabricated(tmp_path / "in-process", example)
    doctor_latencies(same_function, factor=FACTOR)
    assert path.read_bytes() == same_function.read_bytes(), "the cell is the one implementation, not a copy"

    doctored = json.loads(path.read_text(encoding="utf-8"))
    assert doctored["improvements"]["speedup"] == pytest.approx(FACTOR * original["improvements"]["speedup"], rel=1e-9)
    optimized, before = doctored["optimized"]["metrics"], original["optimized"]["metrics"]
    for name in LATENCY_FIELDS:
        assert optimized[name] == pytest.approx(before[name] / FACTOR, rel=1e-12), name
    assert optimized["throughput_samples_per_sec"] == pytest.approx(FACTOR * before["throughput_samples_per_sec"])
    assert doctored["baseline"] == original["baseline"], "only the optimized model's numbers are edited"
    untouched = {"parameter_count", "model_size_mb", "accuracy", "peak_memory_mb", "precision", "batch_size"}
    assert {key: optimized[key] for key in untouched & set(before)} == {key: before[key] for key in untouched & set(before)}
    assert course_tools_main(["validate", str(path)]) == 0, "a consistent edit passes every check validate has"


def test_the_cell_doctors_the_file_it_names(tmp_path: Path) -> None:
    path = fabricated(tmp_path / "student", "alice")
    other = path.rename(path.parent / "mine.json")
    run = run_cell_with_stdlib_only(doctoring_cell(2.0, file="mine.json"), path.parent)
    assert run.returncode == 0, run.stderr
    speedup = json.loads(other.read_text(encoding="utf-8"))["improvements"]["speedup"]
    original = json.loads((GOOD / "alice.json").read_text(encoding="utf-8"))["improvements"]["speedup"]
    assert speedup == pytest.approx(2.0 * original)
    assert not path.exists(), "no submission.json written besides the named file"


def test_a_doctored_1_4_0_claim_scales_its_interval_with_its_rounds(tmp_path: Path) -> None:
    path = fabricated(tmp_path / "student", "alice")
    document = json.loads(path.read_text(encoding="utf-8"))
    improvements = document["improvements"]
    assert improvements["speedup_method"] == "interleaved_rounds" and len(improvements["speedup_rounds"]) >= 5
    honest = percentile_interval(improvements["speedup_rounds"])
    low, high = honest.low, honest.high
    document["schema_version"] = "1.4.0"
    improvements["speedup_interval"] = honest.to_dict()
    path.write_text(json.dumps(document), encoding="utf-8")
    doctor_latencies(path, factor=FACTOR)
    doctored = json.loads(path.read_text(encoding="utf-8"))["improvements"]
    interval = doctored["speedup_interval"]
    assert (interval["low"], interval["high"]) == pytest.approx((FACTOR * low, FACTOR * high), rel=1e-12)
    recomputed = percentile_interval(doctored["speedup_rounds"])
    assert (interval["low"], interval["high"]) == pytest.approx((recomputed.low, recomputed.high), rel=1e-9), (
        "the doctored interval is what the doctored rounds give: recomputing it cannot expose the claim")
    assert interval["low"] <= doctored["speedup"] <= interval["high"]
