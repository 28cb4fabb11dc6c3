"""Marks the test modules that run a whole notebook or the whole grading pipeline as ``slow``.

``make test`` runs everything; ``make test-fast`` (``pytest -m "not slow"``) leaves these out for
the edit loop. A new module that executes the notebook, releases or grades a course belongs here.
"""

from __future__ import annotations

import pytest

SLOW_MODULES = frozenset(
    {
        "test_browser_notebook.py",  # JupyterLab in Chromium runs the release and the source notebook
        "test_browser_workflow.py",  # fetch, submit, grade and Formgrader in Chromium
        "test_grading_capstone.py",  # grades the real notebook in the sandbox
        "test_grading_cluster.py",  # grades the toy course on a Dask cluster, killing a worker
        "test_grading_hostile.py",  # grades the hostile corpus twice, and with plain nbgrader
        "test_grading_isolation.py",  # grades the reference and attacks with and without bubblewrap
        "test_grading_postgres.py",  # starts PostgreSQL and grades into it concurrently
        "test_grading_resume.py",  # grades the real notebook, kills the run, grades again
        "test_hub_browser.py",  # the course's JupyterHub: four users in Chromium, grading, feedback
        "test_hub_permissions.py",  # sets up the hub's accounts and exchange, submits as two students
        "test_notebook_execution.py",  # runs the source notebook under nbval
        "test_notebook_verdicts.py",  # runs the source notebook three times, once beside two CPU-bound processes
        "test_pipeline_config.py",  # releases and grades a small course
        "test_pipeline_demo.py",  # the whole demo
        "test_pipeline_grading.py",  # grades the reference, the release and every variant
        "test_pipeline_release.py",  # generates the release with nbgrader, several times
        "test_reproduce.py",  # makes honest claims and re-measures real models side by side
        "test_speedup_interval_coverage.py",  # 1,000 simulated comparisons, each bootstrapped 2,000 times
        "test_pipeline_visible_checks.py",  # runs the release notebook once per variant
        "test_workflow_exchange.py",  # the exchange and zip_collect routes, graded
        "test_workflow_lab.py",  # starts JupyterLab servers
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
