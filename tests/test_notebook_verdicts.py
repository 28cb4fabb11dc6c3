"""The source notebook practises what it teaches, whatever the machine does.

It runs three times (two runs side by side, then one beside two CPU-bound processes), with probe
cells added around its demonstrations. Every run must show:

- verdicts that agree with the numbers printed with them, and numbers that agree with the
  measurements they come from (the probes record every ``compare_latency`` result);
- section 8 and the sweep comparing every model with the baseline in interleaved rounds, and the
  triangles drawing exactly those comparisons;
- the sweep, the floor and the ranking made without the test set: ``X_test``, ``y_test`` and
  ``x_one`` are sealed while those cells run (any use raises), and the floor is the baseline's
  validation accuracy minus 0.01.

The figures of the loaded run are written to ``build/notebook-figures/loaded/`` for a person to
look at.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_tools.bootstrap import percentile_interval
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.samples import with_settings
from tinytorch import MODEL_NAMES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
FIGURES = ROOT / "build" / "notebook-figures" / "loaded"
RUN_TIMEOUT_S = 600
BURNER_LIFETIME_S = RUN_TIMEOUT_S + 60

# The verdict clauses of tinytorch.verdicts, read back independently of it.
NUMBER = r"-?\d+\.\d+"
SPEED = re.compile(
    rf"(?P<x>{NUMBER})x \[(?P<lo>{NUMBER}), (?P<hi>{NUMBER})\] \(95% interval, (?P<n>\d+) rounds\): "
    r"(?P<word>faster|slower|within noise)"
)
SIZE = re.compile(rf"size (?P<x>{NUMBER})x: (?P<word>smaller|no smaller|larger)")
FLOOR = re.compile(rf"accuracy (?P<acc>{NUMBER}) (?P<op>>=|<) floor (?P<floor>{NUMBER}): (?P<word>meets|below) the floor")
TOGETHER = re.compile(rf"r = (?P<r>{NUMBER}): (?P<word>they moved together|they did not move together)")
NARROWING = re.compile(
    r"same-round ratios spread (?P<same>\d+)% vs different-round (?P<cross>\d+)%: "
    r"interleaving (?P<word>narrowed|did not narrow) the spread"
)

PROBE_SETUP = '''
import json as _probe_json

_probe_calls, _probe_triangles = [], []
_probe_compare_latency = compare_latency


def compare_latency(fn_a, fn_b, x, *args, **kwargs):
    result = _probe_compare_latency(fn_a, fn_b, x, *args, **kwargs)
    _probe_calls.append({"id": id(result), "a_is_baseline": fn_a is baseline, "speedup": float(result["speedup"]),
                         "ratios": [float(v) for v in result["ratios"]],
                         "p50_a_ms": [float(v) for v in result["p50_a_ms"]],
                         "p50_b_ms": [float(v) for v in result["p50_b_ms"]],
                         "interval": result["interval"]})
    return result


_probe_plot_triangle = viz.plot_tradeoff_triangle


def _probe_triangle(metrics_by_model, baseline, speedups, ax=None):
    _probe_triangles.append({name: id(comparison) for name, comparison in speedups.items()})
    return _probe_plot_triangle(metrics_by_model, baseline, speedups, ax)


viz.plot_tradeoff_triangle = _probe_triangle


def _probe_report(name, **extra):
    print("PROBE " + _probe_json.dumps({"probe": name, "calls": _probe_calls, "triangles": _probe_triangles, **extra}))
    _probe_calls.clear()
    _probe_triangles.clear()
'''

PROBE_SEAL = '''
class _ProbeSealed:
    """Stands for a test-set array while the recipe is chosen: any use raises."""

    def __init__(self, name):
        object.__setattr__(self, "_name", name)

    def _refuse(self, *args, **kwargs):
        raise AssertionError(f"{object.__getattribute__(self, '_name')} was used while choosing the recipe")

    __getattr__ = __getitem__ = __len__ = __iter__ = __array__ = __bool__ = __float__ = _refuse


_probe_unsealed = (X_test, y_test, x_one)
X_test, y_test, x_one = _ProbeSealed("X_test"), _ProbeSealed("y_test"), _ProbeSealed("x_one")
'''

PROBE_UNSEAL = '''
X_test, y_test, x_one = _probe_unsealed
_probe_report("sweep", baseline_accuracy=float(baseline_accuracy),
              validation_accuracy=float(np.mean(np.argmax(baseline(X_val), axis=1) == y_val)))
'''


def _code(source: str, name: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source.strip())
    cell.metadata["probe"] = name
    return cell


def instrumented_notebook() -> nbformat.NotebookNode:
    """The source notebook, its ``SUBMITTER`` set as a student's, with probe cells around its demonstrations."""
    nb = with_settings(nbformat.read(NOTEBOOK, as_version=4), {"SUBMITTER": '"verdict-run"'})
    before = {
        "interleaving_demo": [_code(PROBE_SETUP, "setup")],
        "recipe_sweep": [_code(PROBE_SEAL, "seal")],
    }
    after = {
        "interleaving_demo": [_code('_probe_report("interleaving_demo")', "interleaving_demo")],
        "tradeoff_triangle": [_code('_probe_report("section8")', "section8")],
        "sweep_table": [_code(PROBE_UNSEAL, "sweep")],
        "make_submission": [_code('_probe_report("make_submission")', "make_submission")],
    }
    cells = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cells += before.pop(grade_id, []) + [cell] + after.pop(grade_id, [])
    assert not before and not after, f"cells not found in the notebook: {sorted({*before, *after})}"
    nb.cells = cells
    return nb


def start_run(folder: Path) -> subprocess.Popen:
    folder.mkdir(parents=True)
    nbformat.write(instrumented_notebook(), folder / "capstone.ipynb")
    # No MPLBACKEND: the inline backend, so that the figures land in the outputs as PNGs.
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    command = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb",
               f"--ExecutePreprocessor.timeout={RUN_TIMEOUT_S}", "--ExecutePreprocessor.kernel_name=python3",
               "capstone.ipynb"]
    return subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(run: subprocess.Popen, folder: Path) -> nbformat.NotebookNode:
    try:
        output, _ = run.communicate(timeout=RUN_TIMEOUT_S + 60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 0, output[-6000:]
    return nbformat.read(folder / "executed.ipynb", as_version=4)


def start_burners(count: int) -> list[subprocess.Popen]:
    """CPU-bound processes that stop by themselves after BURNER_LIFETIME_S (and are killed sooner)."""
    loop = f"import time\nend = time.monotonic() + {BURNER_LIFETIME_S}\nwhile time.monotonic() < end:\n    pass\n"
    return [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(count)]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[tuple[str, nbformat.NotebookNode, Path]]:
    base = tmp_path_factory.mktemp("verdict-runs")
    folders = {name: base / name for name in ("first", "second", "loaded")}
    started = {name: start_run(folders[name]) for name in ("first", "second")}
    executed = {name: finish(run, folders[name]) for name, run in started.items()}
    burners = start_burners(2)
    try:
        time.sleep(1.0)  # the burners are spinning before the notebook starts
        executed["loaded"] = finish(start_run(folders["loaded"]), folders["loaded"])
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    save_figures(executed["loaded"])
    return [(name, executed[name], folders[name]) for name in folders]


def save_figures(nb: nbformat.NotebookNode) -> None:
    shutil.rmtree(FIGURES, ignore_errors=True)
    FIGURES.mkdir(parents=True)
    for index, cell in enumerate(nb.cells):
        name = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell{index}")
        pngs = [output["data"]["image/png"] for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]
        for number, png in enumerate(pngs):
            (FIGURES / f"{index:03d}-{name}-{number}.png").write_bytes(base64.b64decode(png))


def printed(cell) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output.get("output_type") == "stream")


def cell_text(nb, grade_id: str) -> str:
    matches = [cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    assert len(matches) == 1, f"{grade_id}: {len(matches)} cells"
    return printed(matches[0])


def probes(nb) -> dict[str, dict]:
    found = {}
    for cell in nb.cells:
        for line in printed(cell).splitlines():
            if line.startswith("PROBE "):
                record = json.loads(line[len("PROBE "):])
                found[record["probe"]] = record
    assert set(found) == {"interleaving_demo", "section8", "sweep", "make_submission"}, sorted(found)
    return found


def demonstration_text(nb) -> str:
    """Everything the notebook printed outside its grade cells and probes."""
    return "\n".join(printed(cell) for cell in nb.cells
                     if not cell.metadata.get("nbgrader", {}).get("grade") and "probe" not in cell.metadata)


def check_speed_clause(match: re.Match, context: str) -> None:
    x, lo, hi = float(match["x"]), float(match["lo"]), float(match["hi"])
    assert lo <= x <= hi, f"{context}: the median {x} lies outside its interval [{lo}, {hi}]"
    expected = "faster" if lo > 1 else "slower" if hi < 1 else "within noise"
    assert match["word"] == expected, f"{context}: '{match[0]}' should say {expected!r}"


def check_against_call(match: re.Match, call: dict, context: str) -> None:
    """The printed speed clause states this compare_latency result's own numbers, and its interval
    is the bootstrap interval of those rounds."""
    bootstrap = percentile_interval(call["ratios"])
    low, high = bootstrap.low, bootstrap.high
    assert math.isclose(call["interval"]["low"], low) and math.isclose(call["interval"]["high"], high), (
        f"{context}: the comparison's interval {call['interval']} is not the bootstrap of its rounds ({low}, {high})")
    assert int(match["n"]) == len(call["ratios"]), f"{context}: {match[0]} vs {len(call['ratios'])} rounds"
    for printed_value, measured in ((match["x"], call["speedup"]), (match["lo"], low), (match["hi"], high)):
        assert math.isclose(float(printed_value), measured, abs_tol=0.0051), f"{context}: {match[0]} vs {call}"


def test_every_printed_verdict_agrees_with_the_numbers_printed_with_it(runs):
    for name, nb, _ in runs:
        text = demonstration_text(nb)
        speeds = list(SPEED.finditer(text))
        assert speeds, f"{name}: no speed verdict printed"
        for match in speeds:
            check_speed_clause(match, name)
        for match in SIZE.finditer(text):
            x = float(match["x"])
            expected = "smaller" if x > 1 else "larger" if x < 1 else "no smaller"
            assert match["word"] == expected, f"{name}: '{match[0]}'"
        floors = list(FLOOR.finditer(text))
        assert floors, f"{name}: no floor verdict printed"
        for match in floors:
            meets = float(match["acc"]) >= float(match["floor"])
            assert (match["op"] == ">=") == meets and (match["word"] == "meets") == meets, f"{name}: '{match[0]}'"


def test_the_interleaving_demo_states_what_its_own_rounds_did(runs):
    for name, nb, _ in runs:
        text = cell_text(nb, "interleaving_demo")
        (call,) = probes(nb)["interleaving_demo"]["calls"]
        (speed,) = SPEED.finditer(text)
        check_against_call(speed, call, name)
        together = TOGETHER.search(text)
        assert together, f"{name}: no together verdict in {text!r}"
        r = np.corrcoef(np.log(call["p50_a_ms"]), np.log(call["p50_b_ms"]))[0, 1]
        assert math.isclose(float(together["r"]), r, abs_tol=0.0051), f"{name}: printed {together[0]}, r = {r:.4f}"
        assert (together["word"] == "they moved together") == (float(together["r"]) >= 0.5), f"{name}: {together[0]}"
        narrowing = NARROWING.search(text)
        assert narrowing, f"{name}: no narrowing verdict in {text!r}"
        a, b, ratios = np.array(call["p50_a_ms"]), np.array(call["p50_b_ms"]), np.array(call["ratios"])
        cross = (a[:, None] / b[None, :])[~np.eye(a.size, dtype=bool)]
        spread = {key: (v.max() - v.min()) / np.median(v) * 100 for key, v in (("same", ratios), ("cross", cross))}
        for key in ("same", "cross"):
            assert abs(int(narrowing[key]) - spread[key]) <= 0.51, f"{name}: {narrowing[0]} vs {spread}"
        narrowed = int(narrowing["same"]) < int(narrowing["cross"])
        assert (narrowing["word"] == "narrowed") == narrowed, f"{name}: {narrowing[0]}"


def test_section_8_compares_every_variant_with_the_baseline_in_interleaved_rounds(runs):
    for name, nb, _ in runs:
        probe = probes(nb)["section8"]
        calls = probe["calls"]
        assert len(calls) == len(MODEL_NAMES) - 1 and all(call["a_is_baseline"] for call in calls), (
            f"{name}: section 8 made {len(calls)} comparisons, expected one per variant against the baseline")
        speeds = list(SPEED.finditer(cell_text(nb, "benchmark_variants")))
        assert len(speeds) == len(calls), f"{name}: {len(speeds)} speed verdicts for {len(calls)} comparisons"
        for match, call in zip(speeds, calls):
            check_against_call(match, call, name)
        (triangle,) = probe["triangles"]
        assert sorted(triangle.values()) == sorted(call["id"] for call in calls), (
            f"{name}: the triangle must draw section 8's interleaved comparisons")


def test_the_sweep_ranks_by_interleaved_comparisons_chosen_on_validation_without_the_test_set(runs):
    for name, nb, _ in runs:
        probe = probes(nb)["sweep"]
        calls = probe["calls"]
        text = cell_text(nb, "sweep_table")
        speeds = list(SPEED.finditer(text))
        assert calls and all(call["a_is_baseline"] for call in calls), f"{name}: the sweep compared nothing"
        assert len(speeds) == len(calls), f"{name}: {len(speeds)} speed verdicts for {len(calls)} comparisons"
        printed_speedups = sorted(float(match["x"]) for match in speeds)
        measured = sorted(round(call["speedup"], 2) for call in calls)
        assert np.allclose(printed_speedups, measured, atol=0.0051), f"{name}: {printed_speedups} vs {measured}"
        ids = {call["id"] for call in calls}
        assert probe["triangles"] and all(set(t.values()) <= ids for t in probe["triangles"]), (
            f"{name}: the sweep's triangle must draw the sweep's interleaved comparisons")
        assert math.isclose(probe["baseline_accuracy"], probe["validation_accuracy"]), (
            f"{name}: the floor's baseline accuracy {probe['baseline_accuracy']} is not the validation accuracy "
            f"{probe['validation_accuracy']}")
        floors = [float(match["floor"]) for match in FLOOR.finditer(text)]
        assert len(floors) == len(calls) and all(
            math.isclose(f, round(probe["validation_accuracy"] - 0.01, 4)) for f in floors), f"{name}: floors {floors}"


def test_the_submission_claims_the_interleaved_speedup_it_prints(runs):
    for name, nb, folder in runs:
        (call,) = probes(nb)["make_submission"]["calls"]
        assert call["a_is_baseline"], f"{name}: the submission must compare the baseline with the chosen model"
        (speed,) = SPEED.finditer(cell_text(nb, "make_submission"))
        check_against_call(speed, call, name)
        improvements = json.loads((folder / "submission.json").read_text(encoding="utf-8"))["improvements"]
        assert improvements["speedup_method"] == "interleaved_rounds", improvements
        assert math.isclose(improvements["speedup"], call["speedup"]), (improvements["speedup"], call["speedup"])
        assert improvements["speedup_interval"] == call["interval"], (improvements["speedup_interval"], call["interval"])


def test_a_sealed_test_set_is_caught_when_the_sweep_touches_it(tmp_path):
    """Control: the seal is not decoration. A sweep that scores on X_test fails the run."""
    nb = instrumented_notebook()
    sweep = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "recipe_sweep")
    seal = next(c for c in nb.cells if c.metadata.get("probe") == "seal")
    probe_setup = next(c for c in nb.cells if c.metadata.get("probe") == "setup")
    # Only the setup, the seal and a sweep that scores on the test set.
    cheat = sweep.source.replace("measure_accuracy(baseline, X_val, y_val)", "measure_accuracy(baseline, X_test, y_test)")
    assert cheat != sweep.source
    check = nbformat.v4.new_notebook()
    check.cells = [nb.cells[1], _code("def compare_latency(*a, **k): pass\ndef measure_accuracy(m, X, y): return float(len(X))", "stubs"),
                   probe_setup, seal, _code(cheat, "cheat")]
    path = tmp_path / "cheat.ipynb"
    nbformat.write(check, path)
    result = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output", "out.ipynb", str(path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "X_test was used while choosing the recipe" in result.stderr, result.stderr[-3000:]


def test_latencies_in_seconds_do_not_make_any_demonstration_run_long(tmp_path):
    """A unit slip must not hang Run All: with measure_latency returning seconds (1000x too small),
    every demonstration cell still finishes quickly, because none sizes its work from a measurement."""
    nb = with_settings(nbformat.read(NOTEBOOK, as_version=4), {"SUBMITTER": '"unit-slip"'})
    slip = _code("_probe_ms = measure_latency\n\n\ndef measure_latency(fn, x, warmup=10, runs=100):\n"
                 "    return np.asarray(_probe_ms(fn, x, warmup, runs), dtype=float) / 1000.0", "seconds")
    index = next(i for i, cell in enumerate(nb.cells)
                 if cell.metadata.get("nbgrader", {}).get("grade_id") == "measure_latency")
    nb.cells.insert(index + 1, slip)
    nbformat.write(nb, tmp_path / "slip.ipynb")
    # Per-cell timeout: a cell that sizes its loop from p50 in seconds would run for minutes.
    result = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
         "--ExecutePreprocessor.timeout=120", "--output", "out.ipynb", "slip.ipynb"],
        cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert result.returncode == 0, result.stderr[-3000:]
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    errors = {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in executed.cells
              for output in cell.get("outputs", []) if output.get("output_type") == "error"}
    assert "test_measure_latency__units" in errors, f"the slip should be caught by the units check; errors in {errors}"
