"""The hostile corpus (tests/hostile/corpus.py) graded on the toy course, and what must survive it.

All cases are graded in one batch with ``jobs=2`` (module fixture); each test then checks one
case's points per step and status, and that the gradebook and every other submission are intact.
Further tests regrade a subset with ``jobs=1`` (same grades), grade the tampering cases without
the guard (they must gain points there, or the corpus proves nothing), stop a submission at the
wall-clock limit, and check that nothing a kernel started outlives the batch.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import pickle
import socket
import sqlite3
import tempfile
from pathlib import Path

import psutil
import pytest
from hostile import corpus
from hostile import toy_course as toy

from course_tools.grading import GradeOutcome, UnsafeGradingWarning, grade_submissions
from course_tools.grading.nbgrader_plugins.incidents import read_report
from course_tools.grading.orchestrator.autograde_process import autograde_argv, run_autograde

CASES = corpus.CASES
SANDBOX_UID_RANGE = range(61000, 62000)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _submission_digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): _digest(p) for p in sorted((root / "submitted").rglob("*")) if p.is_file()}


class Batch:
    """The graded corpus: course root, outcomes by student, submission digests before grading."""

    def __init__(self, root: Path, outcomes: list[GradeOutcome], digests: dict[str, str], sandbox_root: Path):
        self.root = root
        self.outcomes = {outcome.student: outcome for outcome in outcomes}
        self.digests_before = digests
        self.sandbox_root = sandbox_root


@pytest.fixture(scope="module")
def sandbox_root():
    # Enterable by the kernels' uids (pytest's own tmp folders are not), outside the course.
    folder = Path(tempfile.mkdtemp(prefix="grading-test-sandboxes-"))
    os.chmod(folder, 0o711)
    yield folder
    os.rmdir(folder)


@pytest.fixture(scope="module")
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory, sandbox_root, listener) -> Batch:
    root = toy.make_course(tmp_path_factory.mktemp("hostile") / "course",
                           extra_config=f"c.SandboxedExecute.sandbox_root = {str(sandbox_root)!r}\n")
    context = corpus.BuildContext(root, listener)
    for case in CASES:
        toy.submit(root, case.student, case.build(context))
    digests = _submission_digests(root)
    outcomes = grade_submissions(root, toy.ASSIGNMENT, jobs=2, students=[case.student for case in CASES])
    return Batch(root, outcomes, digests, sandbox_root)


def _assert_course_intact(batch: Batch) -> None:
    assert _submission_digests(batch.root) == batch.digests_before, "a submission file changed"
    connection = sqlite3.connect(batch.root / "gradebook.db")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (students,) = connection.execute("SELECT COUNT(*) FROM student").fetchone()
    finally:
        connection.close()
    assert students >= len(CASES)
    assert toy.step_scores(batch.root, "reference") == corpus.FULL
    assert (batch.root / "source" / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb").is_file()


@pytest.mark.parametrize("case", CASES, ids=[case.student for case in CASES])
def test_case_gets_expected_points_and_status(batch: Batch, case: corpus.Case):
    outcome = batch.outcomes[case.student]
    got = (outcome.status, toy.step_scores(batch.root, case.student))
    assert got == (case.expected_status, case.expected_points), outcome.message
    assert outcome.score == sum(case.expected_points.values())
    assert outcome.max_score == toy.MAX_SCORE
    assert outcome.message
    _assert_course_intact(batch)


def test_status_messages_name_the_cause(batch: Batch):
    expectations = {
        "segfault": "SIGSEGV", "os_exit": "status 3", "exit_call": "exit()", "memory_bomb": "MemoryError",
        "infinite_loop": "timeout", "ignores_interrupt": "ignored the interrupt", "truncated": "not valid JSON",
        "duplicated_cells": "duplicate", "deleted_grade_cell": "deleted", "foreign_kernelspec": "'ir'",
        "patch_numpy": "numpy.testing.assert_allclose", "patch_builtins": "builtins.abs",
        "swallow_exceptions": "custom exception handler", "redefine_helper": "close_enough",
    }
    for student, fragment in expectations.items():
        assert fragment in batch.outcomes[student].message, (student, batch.outcomes[student].message)


def test_crashed_cell_explains_itself_in_the_feedback_notebook(batch: Batch):
    import nbformat

    graded = nbformat.read(batch.root / "autograded" / "segfault" / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb", 4)
    crashed = graded.cells[toy.cell_index(graded, "norm")]
    errors = [o for o in crashed.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "KernelDied" and "SIGSEGV" in errors[0].evalue
    later = graded.cells[toy.cell_index(graded, "test_mean_of")]
    assert not [o for o in later.outputs if o.output_type == "error"]


def test_huge_output_is_capped_in_the_notebook(batch: Batch):
    import nbformat

    graded = nbformat.read(batch.root / "autograded" / "huge_output" / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb", 4)
    cell = graded.cells[toy.cell_index(graded, "test_square")]
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert len(text) < 1_100_000 and "output truncated by the grader" in text


def test_invalid_notebooks_are_listed_with_zero_in_the_gradebook(batch: Batch):
    for student in ("invalid_json", "truncated", "not_a_notebook"):
        assert toy.step_scores(batch.root, student) == corpus.points_without(*corpus.FULL)
        assert not (batch.root / "autograded" / student / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb").exists()


def test_nothing_the_kernels_started_outlives_the_batch(batch: Batch):
    _assert_no_leftovers(batch)


def _assert_no_leftovers(batch: Batch) -> None:
    leftovers = []
    for proc in psutil.process_iter(["uids", "cmdline"]):
        cmdline = " ".join(proc.info.get("cmdline") or [])
        if "3601" in cmdline and "sleep" in cmdline:
            leftovers.append(cmdline)
        if batch.sandbox_root.name in cmdline:
            leftovers.append(cmdline)
    assert leftovers == []
    assert list(batch.sandbox_root.iterdir()) == [], "sandboxes were not removed"


def test_sequential_grading_gives_the_same_grades(batch: Batch):
    subset = ["reference", "untouched", "wrong_norm", "os_exit", "segfault", "patch_numpy",
              "duplicated_cells", "huge_output", "truncated"]
    parallel = {s: (batch.outcomes[s].status, toy.step_scores(batch.root, s)) for s in subset}
    outcomes = grade_submissions(batch.root, toy.ASSIGNMENT, jobs=1, students=subset)
    sequential = {o.student: (o.status, toy.step_scores(batch.root, o.student)) for o in outcomes}
    assert sequential == parallel
    _assert_course_intact(batch)


# nbgrader 0.9.6's own preprocessor lists (nbgrader/converters/autograde.py), course settings kept.
# nbgrader's Execute raises on an iopub timeout (raise_on_iopub_timeout) and the notebook is not
# graded: with the toy course's 2 s a busy machine could fail the control for the wrong reason.
PLAIN_NBGRADER = """
from nbgrader.preprocessors import CheckCellMetadata, Execute, LimitOutput, OverwriteCells, OverwriteKernelspec
c.Execute.iopub_timeout = 30
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
                                      CheckCellMetadata]
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
"""


def test_without_the_hardening_the_corpus_breaks_plain_nbgrader(tmp_path, listener):
    """Control: graded by nbgrader's own preprocessors, the tricks earn points they should not,
    a crash in one step zeroes the whole submission and a pasted grade cell aborts the run."""
    root = toy.make_course(tmp_path / "course", extra_config=PLAIN_NBGRADER)
    cases = [case for case in corpus.CASES if case.tamper] + [corpus.CASES_BY_STUDENT["os_exit"],
                                                              corpus.CASES_BY_STUDENT["duplicated_cells"]]
    context = corpus.BuildContext(root, listener)
    for case in cases:
        toy.submit(root, case.student, case.build(context))
    outcomes = {o.student: o for o in grade_submissions(root, toy.ASSIGNMENT, jobs=2,
                                                        students=[case.student for case in cases])}
    for case in cases:
        plain_points = sum(toy.step_scores(root, case.student).values())
        if case.tamper:
            log = root / "autograded" / case.student / "toy.grading.log"
            assert plain_points > sum(case.expected_points.values()), (
                case.student, outcomes[case.student].message, log.read_text()[-3000:] if log.is_file() else "no log")
        else:
            assert plain_points == 0 < sum(case.expected_points.values()), case.student
    assert outcomes["duplicated_cells"].status == "grader-error"
    assert "KeyError: 'grade_id'" in outcomes["duplicated_cells"].message
    assert "KeyError: 'grade_id'" in (root / "autograded" / "duplicated_cells" / "toy.grading.log").read_text()


def test_submission_over_the_wall_clock_limit_is_stopped_and_scores_zero(batch: Batch):
    slow = "import time\ntime.sleep(3)\n"
    toy.submit(batch.root, "slowpoke", toy.with_solutions(batch.root, {"square": slow + toy.SOLUTIONS["square"],
                                                                       "norm": slow + toy.SOLUTIONS["norm"],
                                                                       "mean_of": slow + toy.SOLUTIONS["mean_of"]}))
    (outcome,) = grade_submissions(batch.root, toy.ASSIGNMENT, students=["slowpoke"], wall_clock_limit_s=6)
    assert outcome.status == "timed-out" and outcome.score == 0 and "wall-clock" in outcome.message
    assert toy.step_scores(batch.root, "slowpoke") == corpus.points_without(*corpus.FULL)
    assert not (batch.root / "autograded" / "slowpoke" / toy.ASSIGNMENT).exists()
    assert (batch.root / "autograded" / "slowpoke" / f"{toy.ASSIGNMENT}.grading.log").is_file()
    assert outcome.seconds < 30
    _assert_no_leftovers(batch)


class PicklingExecutor(concurrent.futures.Executor):
    """Runs each job after a pickle round trip, as a remote engine (e.g. Dask) would receive it."""

    def __init__(self):
        self.jobs = 0

    def submit(self, fn, /, *args, **kwargs):
        fn, args, kwargs = pickle.loads(pickle.dumps((fn, args, kwargs)))
        self.jobs += 1
        future = concurrent.futures.Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_any_executor_can_run_the_jobs(batch: Batch):
    executor = PicklingExecutor()
    (outcome,) = grade_submissions(batch.root, toy.ASSIGNMENT, executor=executor, students=["wrong_norm"])
    assert executor.jobs == 1
    assert (outcome.status, outcome.score) == ("graded", sum(corpus.points_without("test_norm").values()))


def test_cold_subprocess_path_grades_like_the_warm_one(batch: Batch, tmp_path: Path):
    """Where no child process can be forked (a daemonic Dask worker) nbgrader runs as a subprocess."""
    argv = autograde_argv(toy.ASSIGNMENT, "segfault", None)
    status = run_autograde(batch.root, argv, tmp_path / "report.jsonl", tmp_path / "log", 120, warm=False)
    assert status == 0, (tmp_path / "log").read_text()[-2000:]
    incidents, _ = read_report(tmp_path / "report.jsonl")
    assert [incident.kind for incident in incidents] == ["kernel-died"]
    assert toy.step_scores(batch.root, "segfault") == corpus.points_without("test_norm")


def test_without_isolation_the_kernel_is_still_limited_recovered_and_cleaned_up(tmp_path, listener, sandbox_root):
    """The accepted-risk path (no bwrap, unsafe_no_isolation): same recovery, limits, guard, cleanup."""
    root = toy.make_course(tmp_path / "course", extra_config=(
        'c.SandboxedExecute.bwrap_path = "no-such-bwrap"\n'
        "c.SandboxedExecute.unsafe_no_isolation = True\n"
        f"c.SandboxedExecute.sandbox_root = {str(sandbox_root)!r}\n"))
    cases = [corpus.CASES_BY_STUDENT[s] for s in ("os_exit", "patch_builtins", "memory_bomb")]
    stray = ("import subprocess\nsubprocess.Popen(['sleep', '3601'], start_new_session=True)\n"
             "subprocess.run(['sh', '-c', 'setsid sleep 3601 & exit'])\n")
    cases.append(corpus.Case("stray", "processes left running: one in its own session, one orphaned",
                             lambda ctx: toy.with_solutions(ctx.root, {"square": stray + toy.SOLUTIONS["square"]}),
                             corpus.FULL, "graded"))
    context = corpus.BuildContext(root, listener)
    for case in cases:
        toy.submit(root, case.student, case.build(context))
    with pytest.warns(UnsafeGradingWarning):
        outcomes = {o.student: o for o in grade_submissions(root, toy.ASSIGNMENT, jobs=2,
                                                            students=[case.student for case in cases])}
    for case in cases:
        got = (outcomes[case.student].status, toy.step_scores(root, case.student))
        assert got == (case.expected_status, case.expected_points), outcomes[case.student].message
    leftovers = [p.info["cmdline"] for p in psutil.process_iter(["cmdline"])
                 if p.info["cmdline"] and "3601" in p.info["cmdline"]]
    assert leftovers == []
    assert list(sandbox_root.iterdir()) == []


def _run_sandboxed(cells: list[str], tmp_path: Path, **settings) -> list[list[dict]]:
    """Execute code cells with SandboxedExecute directly (no nbgrader around it); their outputs."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from course_tools.grading.nbgrader_plugins.execute import SandboxedExecute

    notebook = new_notebook(cells=[new_code_cell(source) for source in cells])
    (tmp_path / "data.txt").write_text("shipped with the assignment")
    executor = SandboxedExecute(timeout=10, **settings)
    notebook, _ = executor.preprocess(notebook, {"metadata": {"path": str(tmp_path)}})
    return [[dict(output) for output in cell.outputs] for cell in nbformat.from_dict(notebook).cells]


def test_replay_rebuilds_state_and_restarts_are_bounded(tmp_path: Path):
    outputs = _run_sandboxed(["x = 41", "import os\nos._exit(1)", "print(x + 1, open('data.txt').read())",
                              "import os\nos._exit(2)", "import os\nos._exit(3)", "print('never')"],
                             tmp_path, max_kernel_restarts=2)
    assert outputs[2] == [{"output_type": "stream", "name": "stdout", "text": "42 shipped with the assignment\n"}]
    assert [o[0]["ename"] for o in (outputs[1], outputs[3], outputs[4], outputs[5])] == \
        ["KernelDied", "KernelDied", "KernelDied", "KernelRestartLimit"]
    assert "status 3" in outputs[4][0]["evalue"]
