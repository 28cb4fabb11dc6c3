"""course_tools.facts agrees with what nbgrader actually reads: the notebook, the configuration."""

from __future__ import annotations

import copy
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
