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


def move_a_point(script: Path, from_cell: str, to_cell: str) -> None:
    """Edit the grade cells' metadata in the jupytext ``script``: one point from one cell to another."""
    text = script.read_text(encoding="utf-8")
    for grade_id, change in ((from_cell, -1), (to_cell, +1)):
        pattern = rf'("grade_id": "{grade_id}", "locked": true, "points": )(\d+)'
        text, count = re.subn(pattern, lambda match: f"{match[1]}{int(match[2]) + change}", text)
        assert count == 1, grade_id
    script.write_text(text, encoding="utf-8")


def test_a_point_moved_between_steps_in_the_metadata_is_stale_everywhere_until_make_sync(tmp_path):
    root = course_statements(tmp_path)
    script = root / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py"
    before = read_points(script)
    move_a_point(script, "test_measure_latency__clock", "test_measure_throughput")
    stale = stale_statements(root)
    assert len(stale) == 3 and all("run `make sync`" in sentence for sentence in stale), stale
    assert [sentence.split()[0] for sentence in stale] == [
        f"source/{ASSIGNMENT_ID}/{NOTEBOOK_ID}.py", "course_tools/facts.py", "docs/contract.md"]

    assert len(write_statements(root)) == 3 and stale_statements(root) == []
    latency, throughput = before.graded["measure_latency"] - 1, before.graded["measure_throughput"] + 1
    points = read_points(script)
    assert (points.graded["measure_latency"], points.graded["measure_throughput"]) == (latency, throughput)
    assert sum(points.graded.values()) == sum(before.graded.values()), "a point moved, none added"
    assert f"# ### Step 3 — `measure_latency` ({latency} points)" in script.read_text(encoding="utf-8")
    assert f"# ### Step 4 — `measure_throughput` ({throughput} points)" in script.read_text(encoding="utf-8")
    facts: dict = {}
    exec((root / "course_tools" / "facts.py").read_text(encoding="utf-8"), facts)
    assert facts["GRADED_STEPS"] == {**before.graded, "measure_latency": latency, "measure_throughput": throughput}
    contract = (root / "docs" / "contract.md").read_text(encoding="utf-8")
    assert f"| 3 | `measure_latency` | {latency} |" in contract and f"| 4 | `measure_throughput` | {throughput} |" in contract
    automatic = sum(before.graded.values())
    assert f"Automatic points: {automatic}; with the reflection: {automatic + sum(before.manual.values())}." in contract


def replace_once(path: Path, pattern: str, replacement: str) -> None:
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert count == 1, pattern
    path.write_text(text, encoding="utf-8")


def test_a_heading_a_row_or_facts_stated_by_hand_is_caught(tmp_path):
    root = course_statements(tmp_path)
    write_statements(root)
    replace_once(root / "course_tools" / "facts.py", r'^    "count_parameters": \d+,$', '    "count_parameters": 99,')
    replace_once(root / "docs" / "contract.md", r"^\| 6 \| `plot_latency_distribution` \| \d+ \|", "| 6 | `plot_latency_distribution` | 99 |")
    assert [sentence.split()[0] for sentence in stale_statements(root)] == ["course_tools/facts.py", "docs/contract.md"]

    script = root / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py"
    replace_once(script, r"^(# ### Step 8 — `model_size_mb`) \(\d+ points?\)$", r"\1 (two points)")
    [problem] = stale_statements(root)
    assert "no heading stating points before the solution cell 'model_size_mb'" in problem
