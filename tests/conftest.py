"""Marks the slow test modules and orders every module for parallel workers.

``make test`` runs everything on parallel workers (pytest-xdist, ``--dist loadfile``);
``make test-fast`` (``pytest -m "not slow"``) leaves the slow modules out for the edit loop. A new
module that executes the notebook, releases or grades a course belongs in ``SLOW_MODULES``, at
the place its ``--durations`` total gives it.

A worker runs all of a module's tests, so its module-scoped fixtures (a graded corpus, a running
server) are built once. Modules that share machine-wide state take a lock. Slow modules are
collected first, longest first, so that every worker starts on a long one and the short ones fill
in at the end.
"""

from __future__ import annotations

import fcntl
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Longest first, by each module's total in one `pytest --durations=0` run.
SLOW_MODULES = (
    "test_pipeline_grading.py",  # grades the reference, the release and every variant, profile and full
    "test_pipeline_demo.py",  # the whole demo
    "test_grading_hostile.py",  # grades the hostile corpus twice, and with plain nbgrader
    "test_browser_notebook.py",  # JupyterLab in Chromium runs the release and the source notebook
    "test_hub_browser.py",  # the course's JupyterHub: four users in Chromium, grading, feedback
    "test_notebook_verdicts.py",  # runs the source notebook three times, once beside two CPU-bound processes
    "test_grading_resume.py",  # grades the real notebook, kills the run, grades again
    "test_workflow_exchange.py",  # the exchange and zip_collect routes, graded
    "test_browser_workflow.py",  # fetch, submit, grade and Formgrader in Chromium
    "test_grading_isolation.py",  # grades the reference and attacks with and without bubblewrap
    "test_reproduce.py",  # makes honest claims and re-measures real models side by side
    "test_pipeline_visible_checks.py",  # the release's visible checks for every variant, each a fork of one run
    "test_notebook_execution.py",  # runs the source notebook under nbval
    "test_grading_cluster.py",  # grades the toy course on a Dask cluster, killing a worker
    "test_workflow_lab.py",  # starts JupyterLab servers
    "test_pipeline_release.py",  # generates the release with nbgrader, several times
    "test_grading_capstone.py",  # grades the real notebook in the sandbox
    "test_grading_postgres.py",  # starts PostgreSQL and grades into it concurrently
    "test_pipeline_config.py",  # releases and grades a small course
    "test_hub_permissions.py",  # sets up the hub's accounts and exchange, submits as two students
    "test_speedup_interval_coverage.py",  # 1,000 simulated comparisons, each bootstrapped 2,000 times
)

# Modules that share machine-wide state beyond their temporary folders: the hub tests create the
# course's Unix accounts, empty their homes, kill their leftover processes and share
# /opt/tinytorch-hub. Parallel workers run them one module at a time (a lock file).
HUB_MODULES = frozenset({"test_hub_browser.py", "test_hub_permissions.py"})
HUB_LOCK = Path(tempfile.gettempdir()) / "tinytorch-hub-tests.lock"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
    rank = {name: index for index, name in enumerate(SLOW_MODULES)}
    # sort is stable: a module's tests keep their order, fast modules theirs after the slow ones.
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_MODULES)))


@pytest.fixture(scope="module", autouse=True)
def one_hub_module_at_a_time(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.path.name not in HUB_MODULES:
        yield
        return
    with open(HUB_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
