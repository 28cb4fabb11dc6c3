"""course_tools.facts agrees with what nbgrader actually reads: the notebook, the configuration; a
step's points are stated once (the grade cells' metadata) and every other statement follows it."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from course_tools.course import course_directory
from course_tools.facts import (
    ASSIGNMENT_ID,
    AUTOGRADED_POINTS,
    COURSE_ID,
    GRADED_STEPS,
    MANUAL_STEPS,
    NOTEBOOK_ID,
    grade_cell_id,
    step_of_grade_cell,
)
from course_tools.points import read_points, stale_statements, write_statements
from course_tools.samples import solution_sources
from tinytorch.schema import BYTES_PER_MB, BYTES_PER_PARAMETER

ROOT = Path(__file__).resolve().parents[1]
SOURCE = nbformat.read(ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb", as_version=4)


def steps_in(nb: nbformat.NotebookNode) -> tuple[list[str], dict[str, float], dict[str, float]]:
    """(code solution cells in order, {auto-graded test cell: points}, {manual answer cell: points})."""
    solutions, tests, manual = [], {}, {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
            solutions.append(meta["grade_id"])
        elif meta.get("grade") and meta.get("solution"):
            manual[meta["grade_id"]] = meta["points"]
        elif meta.get("grade"):
            tests[meta["grade_id"]] = meta["points"]
    return solutions, tests, manual


def points_per_step(tests: dict[str, float]) -> dict[str, float]:
    """{step: points of all its grade cells}, steps in the order their first grade cell appears."""
    steps: dict[str, float] = {}
    for grade_id, points in tests.items():
        step = step_of_grade_cell(grade_id)
        steps[step] = steps.get(step, 0) + points
    return steps


def test_the_notebook_grades_exactly_the_listed_steps_in_order_with_their_points():
    solutions, tests, manual = steps_in(SOURCE)
    assert solutions == list(GRADED_STEPS)
    assert list(points_per_step(tests).items()) == list(GRADED_STEPS.items())
    assert all(grade_cell_id(step) in tests for step in GRADED_STEPS)
    assert manual == MANUAL_STEPS
    assert sum(tests.values()) == AUTOGRADED_POINTS


def test_a_reweighted_or_missing_step_would_be_noticed():
    reweighted = copy.deepcopy(SOURCE)
    cell = next(c for c in reweighted.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_latency_stats")
    cell.metadata["nbgrader"]["points"] += 1
    assert points_per_step(steps_in(reweighted)[1]) != GRADED_STEPS

    missing = copy.deepcopy(SOURCE)
    missing.cells = [c for c in missing.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "check_success"]
    assert steps_in(missing)[0] != list(GRADED_STEPS)


def test_the_course_configuration_uses_the_course_id():
    assert course_directory(ROOT).course_id == COURSE_ID


def test_the_reference_model_size_mb_uses_the_bytes_per_parameter_table():
    namespace: dict = {}
    exec(solution_sources(SOURCE)["model_size_mb"], namespace)
    model_size_mb = namespace["model_size_mb"]
    for precision, size in BYTES_PER_PARAMETER.items():
        assert model_size_mb(BYTES_PER_MB, precision) == pytest.approx(size)
    with pytest.raises(ValueError):
        model_size_mb(10, "bf16")


def test_every_statement_of_a_steps_points_agrees_with_the_notebook_metadata():
    assert stale_statements(ROOT) == []


def course_statements(tmp_path: Path) -> Path:
    """A copy of the three files that state points, laid out as in the course."""
    for relative in (f"source/{ASSIGNMENT_ID}/{NOTEBOOK_ID}.py", "course_tools/facts.py", "docs/contract.md"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    return tmp_path


def set_points(script: Path, grade_id: str, points: int) -> None:
    text = script.read_text(encoding="utf-8")
    edited, count = re.subn(rf'("grade_id": "{grade_id}", "locked": true, "points": )\d+', rf"\g<1>{points}", text)
    assert count == 1, grade_id
    script.write_text(edited, encoding="utf-8")


def test_a_point_moved_between_steps_in_the_metadata_is_stale_everywhere_until_make_sync(tmp_path):
    root = course_statements(tmp_path)
    script = root / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py"
    set_points(script, "test_measure_latency__clock", 1)
    set_points(script, "test_measure_throughput", 2)
    stale = stale_statements(root)
    assert len(stale) == 3 and all("run `make sync`" in sentence for sentence in stale), stale
    assert [sentence.split()[0] for sentence in stale] == [
        f"source/{ASSIGNMENT_ID}/{NOTEBOOK_ID}.py", "course_tools/facts.py", "docs/contract.md"]

    assert len(write_statements(root)) == 3 and stale_statements(root) == []
    points = read_points(script)
    assert (points.graded["measure_latency"], points.graded["measure_throughput"]) == (3, 4)
    assert sum(points.graded.values()) == AUTOGRADED_POINTS, "a point moved, none added"
    assert "# ### Step 3 — `measure_latency` (3 points)" in script.read_text(encoding="utf-8")
    assert "# ### Step 4 — `measure_throughput` (4 points)" in script.read_text(encoding="utf-8")
    facts: dict = {}
    exec((root / "course_tools" / "facts.py").read_text(encoding="utf-8"), facts)
    assert facts["GRADED_STEPS"] == {**GRADED_STEPS, "measure_latency": 3, "measure_throughput": 4}
    contract = (root / "docs" / "contract.md").read_text(encoding="utf-8")
    assert "| 3 | `measure_latency` | 3 |" in contract and "| 4 | `measure_throughput` | 4 |" in contract
    assert f"Automatic points: {AUTOGRADED_POINTS}; with the reflection: {AUTOGRADED_POINTS + 6}." in contract


def test_a_heading_a_row_or_facts_stated_by_hand_is_caught(tmp_path):
    root = course_statements(tmp_path)
    facts = root / "course_tools" / "facts.py"
    facts.write_text(facts.read_text(encoding="utf-8").replace('"count_parameters": 2,', '"count_parameters": 3,'), encoding="utf-8")
    contract = root / "docs" / "contract.md"
    contract.write_text(contract.read_text(encoding="utf-8").replace("| 6 | `plot_latency_distribution` | 2 |", "| 6 | `plot_latency_distribution` | 1 |"), encoding="utf-8")
    assert [sentence.split()[0] for sentence in stale_statements(root)] == ["course_tools/facts.py", "docs/contract.md"]

    script = root / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py"
    script.write_text(script.read_text(encoding="utf-8").replace("`model_size_mb` (2 points)", "`model_size_mb` (two points)"), encoding="utf-8")
    [problem] = stale_statements(root)
    assert "no heading stating points before the solution cell 'model_size_mb'" in problem
