"""Grading on a real Dask cluster: process workers behind nannies, as on a multi-node cluster.

The toy course (tests/hostile/toy_course.py) is graded with ``jobs=1`` and then on a
``distributed.LocalCluster`` reached only through its scheduler address (as
``grade --scheduler tcp://host:8786`` would); grades must be identical. A second run kills the
worker process that is grading a submission: the submission must be graded again elsewhere
with its full, correct points, not recorded as 0.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pytest
from distributed import Client, LocalCluster, Nanny, get_task_stream
from hostile import toy_course as toy

from course_tools.grading import grade_submissions

WRONG_NORM = "def norm(v):\n    return sum(abs(float(t)) for t in v)\n"
# Full marks, 0, and everything but the 2-point norm step.
EXPECTED = {"reference": toy.MAX_SCORE, "untouched": 0.0, "wrong-norm": toy.MAX_SCORE - toy.STEP_POINTS["test_norm"]}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    sandboxes = Path(tempfile.mkdtemp(prefix="grading-test-sandboxes-"))
    os.chmod(sandboxes, 0o711)  # enterable by the kernels' uids (pytest's tmp folders are not)
    root = toy.make_course(
        tmp_path_factory.mktemp("cluster") / "course",
        extra_config=f"c.SandboxedExecute.sandbox_root = {str(sandboxes)!r}\n",
    )
    toy.submit(root, "reference", toy.with_solutions(root))
    toy.submit(root, "untouched", toy.release_notebook(root))
    toy.submit(root, "wrong-norm", toy.with_solutions(root, {"norm": WRONG_NORM}))
    yield root
    os.rmdir(sandboxes)


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        assert all(isinstance(worker, Nanny) for worker in local.workers.values())  # processes, not threads
        yield local


def _scores(outcomes) -> dict[str, float]:
    return {outcome.student: outcome.score for outcome in outcomes}


def test_cluster_grades_exactly_like_one_local_job(course: Path, cluster):
    sequential = grade_submissions(course, toy.ASSIGNMENT, jobs=1)
    assert _scores(sequential) == EXPECTED, [o.message for o in sequential]
    steps = {student: toy.step_scores(course, student) for student in EXPECTED}

    finished: list[str] = []
    on_cluster = grade_submissions(
        course,
        toy.ASSIGNMENT,
        scheduler=cluster.scheduler_address,
        progress=lambda outcome: finished.append(outcome.student),
    )
    assert [(o.student, o.status, o.score) for o in on_cluster] == [(o.student, o.status, o.score) for o in sequential]
    assert {student: toy.step_scores(course, student) for student in EXPECTED} == steps
    assert sorted(finished) == sorted(EXPECTED)  # one progress call per finished submission


def test_scheduler_comes_from_the_config_key(course: Path, cluster):
    config = course / "nbgrader_config.py"
    original = config.read_text()
    config.write_text(original + f"c.GradeSubmissions.scheduler = {cluster.scheduler_address!r}\n")
    try:
        with Client(cluster.scheduler_address) as client, get_task_stream(client) as stream:
            outcomes = grade_submissions(course, toy.ASSIGNMENT, students=["wrong-norm"])
    finally:
        config.write_text(original)
    assert _scores(outcomes) == {"wrong-norm": EXPECTED["wrong-norm"]}
    assert [task["key"] for task in stream.data if "grade_one" in str(task["key"])]  # run by the cluster


def _autograde_descendants(pid: int) -> list[tuple[psutil.Process, str]]:
    """The nbgrader autograde processes (and their bwrap sandboxes) under process ``pid``."""
    try:
        descendants = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for process in descendants:
        try:
            command = " ".join(process.cmdline())
        except psutil.Error:
            continue
        if "autograde" in command or process.name() == "bwrap":
            found.append((process, command))
    return found


def _still_running(processes: list[psutil.Process], wait_s: float) -> list[psutil.Process]:
    _, alive = psutil.wait_procs(processes, timeout=wait_s)
    survivors = []
    for process in alive:
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                survivors.append(process)
        except psutil.NoSuchProcess:
            pass
    return survivors


def test_a_worker_killed_mid_submission_is_regraded_elsewhere(course: Path, cluster):
    killed: list[tuple[int, list[psutil.Process], list[psutil.Process]]] = []

    def kill_a_worker_inside_autograde() -> None:
        with Client(cluster.scheduler_address) as client:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and not killed:
                for pid in client.run(os.getpid).values():
                    found = _autograde_descendants(pid)
                    if any("autograde" in command for _, command in found):
                        grading = [process for process, _ in found]
                        os.kill(pid, signal.SIGKILL)
                        killed.append((pid, grading, _still_running(grading, 1.5)))
                        break
                time.sleep(0.1)

    killer = threading.Thread(target=kill_a_worker_inside_autograde)
    killer.start()
    outcomes = grade_submissions(course, toy.ASSIGNMENT, scheduler=cluster.scheduler_address)
    killer.join()
    assert killed, "no worker was seen running nbgrader autograde, so none was killed"
    _, grading, survivors = killed[0]
    assert survivors == [], f"the killed worker's autograde outlived it: {survivors}"
    assert {o.student: (o.status, o.score) for o in outcomes} == {
        "reference": ("graded", EXPECTED["reference"]),
        "untouched": ("graded", 0.0),
        "wrong-norm": ("graded", EXPECTED["wrong-norm"]),
    }, [o.message for o in outcomes]
    assert toy.step_scores(course, "reference") == toy.STEP_POINTS
    cluster.wait_for_workers(2, timeout=60)  # the nanny restarted the killed worker


def test_grade_command_passes_the_scheduler_address_on(monkeypatch, tmp_path: Path):
    from course_tools import cli, pipeline

    received = {}

    def fake_grade_course(root, **options):
        received.update(options)
        return pipeline.GradingRun()

    monkeypatch.setattr(pipeline, "grade_course", fake_grade_course)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    assert cli.main(["--course", str(tmp_path), "grade", "--scheduler", "tcp://10.0.0.5:8786"]) == 0
    assert received["scheduler"] == "tcp://10.0.0.5:8786"
