"""The course's fixed facts, stated once for every instructor tool and test (docs/contract.md).

The steps and their points are the notebook's: nbgrader grades its metadata, and ``make sync``
writes `GRADED_STEPS` and `MANUAL_STEPS` below from it (`course_tools.points`); edit the grade
cells' points in the notebook, not these lines. ``tests/test_course_facts.py`` fails when they
disagree. This module imports nothing: anything may use it cheaply.
"""

from __future__ import annotations

ASSIGNMENT_ID = "20_capstone"
NOTEBOOK_ID = "capstone"
COURSE_ID = "tinytorch-capstone"

# Auto-graded steps in notebook order: the solution cell's grade id -> the points of its grade
# cells together (written by `make sync`).
GRADED_STEPS: dict[str, int] = {
    "latency_stats": 3,
    "get_system_info": 2,
    "measure_latency": 4,
    "measure_throughput": 3,
    "speedup_interval": 3,
    "compare_latency": 4,
    "plot_latency_distribution": 2,
    "count_parameters": 2,
    "model_size_mb": 2,
    "measure_accuracy": 2,
    "measure_peak_memory_mb": 2,
    "benchmark_report": 4,
    "evaluate_recipe": 3,
    "recipes_meeting_floor": 2,
    "attach_artifact": 3,
    "generate_submission": 3,
    "check_success": 2,
    "validate_submission": 4,
    "save_submission": 2,
}

# Answer cells the instructor grades by hand: grade id -> points (written by `make sync`).
MANUAL_STEPS: dict[str, int] = {"reflection": 6}

AUTOGRADED_POINTS = sum(GRADED_STEPS.values())


# A step's points are split over grade cells ``test_<step>`` and ``test_<step>__<part>`` (partial
# credit: one slip costs one part); the reflection's grade cell is named after itself.
GRADE_CELL_PREFIX, GRADE_PART_SEPARATOR = "test_", "__"


def grade_cell_id(step: str) -> str:
    """The grade id of the first cell that tests ``step`` (``test_<step>``)."""
    return f"{GRADE_CELL_PREFIX}{step}"


def step_of_grade_cell(grade_id: str) -> str:
    """The graded step a grade cell belongs to: ``test_latency_stats__tail`` -> ``latency_stats``."""
    return grade_id.removeprefix(GRADE_CELL_PREFIX).split(GRADE_PART_SEPARATOR)[0]
