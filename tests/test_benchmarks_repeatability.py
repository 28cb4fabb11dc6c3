"""benchmarks.repeatability: its definitions, its fresh run and its load generator (no timing asserted)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from benchmarks import repeatability
from benchmarks.reference_solution import load_reference_solution, run_submission_cells
from course_tools.submissions.validation import validate_submission_dict


def test_cv_is_population_std_over_mean() -> None:
    assert math.isclose(repeatability.cv([1.0, 3.0]), 0.5)
    assert repeatability.cv([2.0, 2.0, 2.0]) == 0.0


def test_the_notebooks_own_submission_cells_build_a_valid_submission(tmp_path: Path) -> None:
    submission = run_submission_cells(load_reference_solution(), tmp_path)
    assert json.loads((tmp_path / "submission.json").read_text(encoding="utf-8")) == submission
    assert validate_submission_dict(submission) == []
    assert submission["baseline"]["model_name"] == "baseline"


def test_run_set_figures_follow_the_definitions() -> None:
    run_set = repeatability.RunSet("as found", 0.1, [1.0, 1.0, 1.3], [4.0, 4.2, 3.8], [2.0, 3.0], "interleaved_rounds")
    assert math.isclose(run_set.baseline_cv, repeatability.cv([1.0, 1.0, 1.3]))
    assert math.isclose(run_set.speedup_cv, repeatability.cv([4.0, 4.2, 3.8]))
    assert "interleaved_rounds" in repeatability.describe(run_set)


def test_the_cpu_bound_process_runs_inside_the_block_and_stops_after() -> None:
    with repeatability.cpu_bound_process() as process:
        assert process.poll() is None
    assert process.poll() is not None
