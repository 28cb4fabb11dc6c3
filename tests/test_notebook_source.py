"""The source notebook: in sync with its script, no outputs, every slide taught, every step graded."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from course_tools.feedback import split_hidden_region
from course_tools.facts import ASSIGNMENT_ID, GRADED_STEPS, MANUAL_STEPS, NOTEBOOK_ID, grade_cell_id, step_of_grade_cell
from course_tools.notebook_source import is_in_sync, notebook_from_script

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py"
NOTEBOOK = ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"

# The deck's slides, in order, and a phrase of the notebook heading that teaches each.
SLIDE_HEADINGS = [
    ("Module 20: Capstone Benchmarking & Submission", "Capstone: Benchmarking & Submission"),
    ("Claims Without Context Are Meaningless", "Claims without context are meaningless"),
    ("The Three Pillars of Benchmarking", "The three pillars of benchmarking"),
    ("The Measurement Problem: Latency vs. Throughput", "latency vs. throughput"),
    ("System Noise & Variance", "System noise and variance"),
    ("Capturing Context with BenchmarkReport", "Capturing context with `BenchmarkReport`"),
    ("Implementing Latency Measurement", "Implementing latency measurement"),
    ("Measuring Cost (Model Size)", "Measuring cost: model size"),
    ("The Optimization Trade-off Triangle", "The optimization trade-off triangle"),
    ("Generating the Submission", "Generating the submission"),
    ("Success Criteria", "Success criteria"),
    ("Enforcing Standards via Types", "Enforcing standards via types"),
    ("The Complete ML Lifecycle", "The complete ML lifecycle"),
    ("Capstone Retrospective", "Capstone retrospective"),
]


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_exactly_what_the_script_generates():
    assert is_in_sync(SCRIPT), "source/20_capstone/capstone.ipynb is stale: run `make sync`"


def test_sync_detects_a_stale_notebook(tmp_path):
    script = tmp_path / "capstone.py"
    script.write_text(SCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
    assert not is_in_sync(script), "no notebook yet: must not count as in sync"
    generated = notebook_from_script(script)
    generated.cells[1].source += "\n# edited"
    (tmp_path / "capstone.ipynb").write_text(nbformat.writes(generated) + "\n", encoding="utf-8")
    assert not is_in_sync(script)


def test_committed_notebooks_carry_no_outputs():
    for path in [NOTEBOOK, *(ROOT / "release").rglob("*.ipynb")]:
        nb = json.loads(path.read_text(encoding="utf-8"))
        with_outputs = [c.get("id") for c in nb["cells"] if c.get("outputs") or c.get("execution_count")]
        assert with_outputs == [], f"{path}: cells with outputs {with_outputs}"


def test_every_slide_maps_to_a_heading_in_deck_order(notebook):
    headings = [line for cell in notebook.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("#")]
    positions = []
    for slide, phrase in SLIDE_HEADINGS:
        found = [i for i, heading in enumerate(headings) if phrase.lower() in heading.lower()]
        assert found, f"slide {slide!r} has no heading containing {phrase!r}"
        positions.append(found[0])
    assert positions == sorted(positions), "sections must follow the deck's order"


def test_every_graded_step_has_a_solution_cell_and_two_or_three_grade_cells_with_points(notebook):
    cells = {_nbgrader(c).get("grade_id"): c for c in notebook.cells if _nbgrader(c)}
    for step in GRADED_STEPS:
        solution = cells.get(step)
        assert solution is not None and _nbgrader(solution)["solution"], f"{step}: no solution cell"
        assert "### BEGIN SOLUTION" in solution.source
        tests = [cell for grade_id, cell in cells.items()
                 if _nbgrader(cell).get("grade") and cell.cell_type == "code" and step_of_grade_cell(grade_id) == step]
        assert grade_cell_id(step) in cells and 2 <= len(tests) <= 3, f"{step}: {len(tests)} grade cells, expected 2-3"
        for test in tests:
            assert _nbgrader(test)["locked"] and _nbgrader(test)["points"] > 0, f"{step}: unlocked or no points"
            assert "### BEGIN HIDDEN TESTS" in test.source, f"{_nbgrader(test)['grade_id']}: no hidden tests"
            visible, _ = split_hidden_region(test.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "")
            called = "BenchmarkReport" if step == "benchmark_report" else step
            assert re.search(rf"\b{called}\(", visible) and re.search(r"\bassert\b|AssertionError", visible), (
                f"{_nbgrader(test)['grade_id']}: the visible checks must run the student's code and check it")
    for answer in MANUAL_STEPS:
        cell = cells[answer]
        assert cell.cell_type == "markdown" and _nbgrader(cell)["grade"] and _nbgrader(cell)["points"] > 0


def test_each_stub_docstring_states_units_or_conventions(notebook):
    cells = {_nbgrader(c).get("grade_id"): c for c in notebook.cells if _nbgrader(c)}
    expectations = {
        "measure_latency": ["milliseconds", "perf_counter", "warmup"],
        "latency_stats": ["ddof=0", "percentile"],
        "measure_throughput": ["samples per second"],
        "model_size_mb": ["1024²", "ValueError"],
        "measure_peak_memory_mb": ["tracemalloc", "1024²"],
        "measure_accuracy": ["[0, 1]"],
        "check_success": ["<= accuracy_tolerance"],
        "compare_latency": ["measure_latency", "median", "time.sleep", "first in odd rounds"],
        "generate_submission": ["interleaved_rounds", "p50_ratio", "speedup_rounds"],
    }
    for step, phrases in expectations.items():
        docstring = cells[step].source.split("### BEGIN SOLUTION")[0]
        for phrase in phrases:
            assert phrase in docstring, f"{step}: docstring must state {phrase!r}"


def test_solution_markers_only_in_solution_cells(notebook):
    for cell in notebook.cells:
        meta = _nbgrader(cell)
        if re.search(r"### (BEGIN|END) SOLUTION", cell.source):
            assert meta.get("solution"), f"solution markers outside a solution cell: {cell.get('id')}"
        if "HIDDEN TESTS" in cell.source:
            assert meta.get("grade") and cell.cell_type == "code", f"hidden tests outside a grade cell: {cell.get('id')}"


def test_every_assertion_explains_itself():
    """Visible and hidden checks alike: an assert carries a message that is text (an f-string or a
    string expression), never nothing and never a bare value or tuple shown as its repr."""
    import ast

    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    unclear = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)
               and not isinstance(node.msg, (ast.JoinedStr, ast.Constant, ast.BinOp))]
    assert not unclear, f"capstone.py lines {unclear}: assert without a message sentence"
    texts = [node.msg for node in ast.walk(tree) if isinstance(node, ast.Assert)]
    assert texts and all(not isinstance(t, ast.Constant) or isinstance(t.value, str) for t in texts)
