"""Fast checks of the grading package's parts, without running nbgrader."""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.preprocessors import CheckCellMetadata, DeduplicateIds, OverwriteCells

from course_tools.grading.nbgrader_plugins.incidents import (
    REPORT_ENV,
    Incident,
    KernelRecord,
    read_report,
    record_incident,
    record_kernel,
    worst_kind,
)
from course_tools.grading.nbgrader_plugins.metadata_check import CheckCellMetadataOnce
from course_tools.grading.nbgrader_plugins.output_cap import _trim_error
from course_tools.grading.nbgrader_plugins.profile import (
    SKIP_EXECUTION_TAG,
    SKIPPED_NOTE,
    SkipDemonstrationCells,
    names_read_from_skipped_cells,
)
from course_tools.grading.nbgrader_plugins.sanitize import DropDuplicateGradeCells
from course_tools.grading.orchestrator import resume
from course_tools.grading.orchestrator.collect import copy_submitted_files
from course_tools.grading.orchestrator.config import CourseSettings
from course_tools.grading.orchestrator.orchestrate import check_notebook
from course_tools.grading.sandbox.isolation import check_isolation, environment_paths, plan_view
from course_tools.grading.sandbox.kernel_sandbox import LAUNCHER, KernelSandbox, SandboxLimits


@pytest.fixture
def world() -> Path:
    """A folder other users can enter (pytest's tmp_path sits below a private one)."""
    folder = Path(tempfile.mkdtemp(prefix="grading-units-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder)


def _graded(grade_id: str, source: str = "assert True") -> nbformat.NotebookNode:
    return new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "grade_id": grade_id, "locked": True, "points": 1, "schema_version": 3,
        "solution": False, "task": False}})


def test_duplicate_grade_cells_become_ordinary_and_nbgrader_then_accepts_the_notebook():
    notebook = new_notebook(cells=[_graded("test_a", "# pasted copy"), new_code_cell("x = 1"),
                                   _graded("test_a", "# original"), _graded("test_b")])
    notebook, _ = DropDuplicateGradeCells().preprocess(notebook, {})
    assert "nbgrader" not in notebook.cells[0].metadata
    assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in notebook.cells] == [None, None, "test_a", "test_b"]
    notebook, _ = DeduplicateIds().preprocess(notebook, {})
    CheckCellMetadata().preprocess(notebook, {})


@pytest.mark.parametrize(
    "damage",
    [
        {"points": "two"},
        {"grade": "yes"},
        {"grade_id": None},
        {"schema_version": 2},
        {"schema_version": 9},
        {},
    ],
    ids=["points-text", "grade-text", "no-grade-id", "old-schema", "new-schema", "intact"],
)
def test_the_compiled_metadata_check_decides_as_nbgraders_own(damage: dict):
    def outcome(check: type) -> str:
        notebook = new_notebook(cells=[new_code_cell("x = 1"), _graded("test_a"), _graded("test_b")])
        metadata = notebook.cells[2].metadata["nbgrader"]
        metadata.update(damage)
        if metadata["grade_id"] is None:
            del metadata["grade_id"]
        try:
            check().preprocess(notebook, {})
        except Exception as error:
            return f"{type(error).__name__}: {error}"
        return "valid"

    assert outcome(CheckCellMetadataOnce) == outcome(CheckCellMetadata)
    assert (outcome(CheckCellMetadataOnce) == "valid") == (damage == {})


def _add_missing_task_cells(notebook: nbformat.NotebookNode) -> None:
    """nbgrader's own OverwriteCells step that indexes every nbgrader cell's grade id (its
    gradebook stubbed with an assignment that has no task cells)."""
    overwrite = OverwriteCells()
    overwrite.gradebook = SimpleNamespace(find_notebook=lambda *_: SimpleNamespace(source_cells=[], task_cells=[]))
    overwrite.notebook_id, overwrite.assignment_id = "nb", "a"
    overwrite.add_missing_task_cells(notebook, {})


def test_nbgrader_alone_leaves_an_empty_metadata_dict_that_later_steps_trip_over():
    """The cause the preprocessor fixes: DeduplicateIds empties instead of removing, and
    nbgrader's OverwriteCells then fails on it; after DropDuplicateGradeCells it does not."""
    notebook = new_notebook(cells=[_graded("test_a"), _graded("test_a")])
    plain, _ = DeduplicateIds().preprocess(copy.deepcopy(notebook), {})
    assert plain.cells[0].metadata["nbgrader"] == {}
    with pytest.raises(KeyError, match="grade_id"):
        _add_missing_task_cells(plain)
    fixed, _ = DropDuplicateGradeCells().preprocess(copy.deepcopy(notebook), {})
    fixed, _ = DeduplicateIds().preprocess(fixed, {})
    _add_missing_task_cells(fixed)


def test_check_notebook_names_each_problem(tmp_path: Path):
    good = tmp_path / "good.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1")]), good)
    assert check_notebook(good, 10_000) is None
    text = good.read_text()
    truncated = tmp_path / "truncated.ipynb"
    truncated.write_text(text[: len(text) // 2])
    assert "not valid JSON" in check_notebook(truncated, 10_000)
    wrong = tmp_path / "wrong.ipynb"
    wrong.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "x"}]}))
    assert "not a valid notebook" in check_notebook(wrong, 10_000)
    assert "over the 10-byte limit" in check_notebook(good, 10)
    binary = tmp_path / "binary.ipynb"
    binary.write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8" in check_notebook(binary, 10_000)


def test_incident_report_round_trip_and_worst_kind(tmp_path: Path, monkeypatch):
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv(REPORT_ENV, str(report))
    record_incident(Incident("output-truncated", "cell 3", "dropped"))
    record_kernel(KernelRecord(pid=10, pgid=10, uid=None, workdir="/nowhere"))
    record_incident(Incident("kernel-died", "cell 4 (norm)", "SIGSEGV"))
    with open(report, "a") as handle:
        handle.write('{"incident": {"kind": "cell-ti')  # a run killed mid-write
    incidents, kernels = read_report(report)
    assert [i.kind for i in incidents] == ["output-truncated", "kernel-died"]
    assert kernels == [KernelRecord(10, 10, None, "/nowhere")]
    assert worst_kind(incidents) == "kernel-died"
    assert worst_kind([]) is None
    with pytest.raises(ValueError):
        record_incident(Incident("made-up", "x", "y"))


def test_error_outputs_are_kept_but_cut_to_the_cap():
    trimmed = _trim_error({"ename": "E", "evalue": "v" * 50, "traceback": ["line " * 10] * 100}, cap=200)
    assert trimmed["ename"] == "E"
    assert len(trimmed["evalue"]) + sum(len(line) for line in trimmed["traceback"]) < 300
    assert trimmed["traceback"][-1] == "[traceback truncated by the grader]"


def _binds(arguments: list[str]) -> dict[str, tuple[str, str]]:
    """{destination: (option, source)} of the bind options in a bwrap argument list."""
    found = {}
    for index, argument in enumerate(arguments):
        if argument in ("--ro-bind", "--bind"):
            found[arguments[index + 2]] = (argument, arguments[index + 1])
    return found


def test_plan_view_shows_only_the_listed_folders_read_only_and_the_sandbox_writable(world: Path):
    course = world / "course"
    (course / ".venv").mkdir(parents=True)
    (course / ".venv" / "lib").mkdir()
    (course / "source").mkdir()
    env = world / "elsewhere" / "env"
    env.mkdir(parents=True)
    (course / "linked").symlink_to(env)
    work = world / "sandbox" / "work"
    work.mkdir(parents=True)
    arguments = plan_view([str(course / ".venv"), str(course / ".venv" / "lib"), str(course / "linked"),
                           str(world / "missing")], [str(work)])
    binds = _binds(arguments)
    assert binds[str(course / ".venv")] == ("--ro-bind", str(course / ".venv"))
    assert binds[str(course / "linked")] == ("--ro-bind", str(env))  # a symlinked venv: its target, at its name
    assert binds[str(work)] == ("--bind", str(work))
    assert str(course / ".venv" / "lib") not in binds and str(world / "missing") not in binds
    assert not any(dest == str(course) or dest.startswith(str(course / "source")) for dest in binds)
    assert arguments[arguments.index(str(course)) - 3:arguments.index(str(course))] == ["--perms", "0755", "--dir"]
    for dest, (option, _) in binds.items():
        assert option == "--ro-bind" or dest == str(work), dest


def test_environment_paths_name_the_interpreter_but_not_the_course(tmp_path: Path):
    paths = environment_paths(str(tmp_path))
    assert os.path.realpath(sys.base_prefix) in paths and sys.prefix in paths
    course = Path(__file__).resolve().parents[1]
    inside = [p for p in environment_paths(str(course)) if p.startswith(str(course) + "/")]
    assert all(sys.prefix.startswith(p) or p.startswith(sys.prefix) for p in inside), inside


def _launch(spec: dict, code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(spec), "--",
                           sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_launcher_applies_the_limits_before_running_the_kernel(tmp_path: Path):
    spec = {"uid": None, "workdir": str(tmp_path), "limits": {
        "address_space_bytes": 1 << 30, "cpu_seconds": 7, "processes": 4000, "file_size_bytes": 1 << 20,
        "open_files": 64}}
    code = ("import os, resource as r; print(os.getcwd(), [r.getrlimit(x)[0] for x in "
            "(r.RLIMIT_AS, r.RLIMIT_CPU, r.RLIMIT_NPROC, r.RLIMIT_FSIZE, r.RLIMIT_NOFILE, r.RLIMIT_CORE)])")
    result = _launch(spec, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path), "[1073741824,", "7,", "4000,", "1048576,", "64,", "0]"]


def test_launcher_file_size_limit_stops_a_disk_filler(tmp_path: Path):
    spec = {"uid": None, "workdir": str(tmp_path), "limits": {"file_size_bytes": 1 << 20}}
    result = _launch(spec, "open('big', 'wb').write(b'x' * (2 << 20))")
    assert result.returncode != 0 and "File too large" in result.stderr
    assert (tmp_path / "big").stat().st_size <= 1 << 20


def test_launcher_reports_a_bad_start_clearly(tmp_path: Path):
    result = _launch({"uid": None, "workdir": str(tmp_path / "missing"), "limits": {}}, "pass")
    assert result.returncode == 70 and "could not start the kernel" in result.stderr


def test_launcher_reports_an_impossible_limit_the_same_way(tmp_path: Path):
    """setrlimit refuses a limit above what the system allows with ValueError, not OSError."""
    result = _launch({"uid": None, "workdir": str(tmp_path), "limits": {"open_files": 1 << 40}}, "pass")
    assert result.returncode == 70 and "could not start the kernel" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_isolated_kernel_sees_no_course_no_network_and_its_own_processes_only(world: Path):
    """bwrap as the grader runs it (root: own uid too): course absent but the kept folder, no network."""
    course = world / "course"
    (course / "keep").mkdir(parents=True)
    (course / "gradebook.db").write_text("secret")
    (course / "graded").mkdir()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    limits = SandboxLimits(address_space_bytes=None, cpu_seconds=None, processes=50, file_size_bytes=None,
                           open_files=None)
    sandbox = KernelSandbox.create(course / "graded", course, limits, bwrap=check_isolation(),
                                   read_only=environment_paths(str(course)) + [str(course / "keep")],
                                   sandbox_root=str(world))
    code = f"""import os, resource, socket
print(os.getuid() != 0, sorted(os.listdir({str(course)!r})), os.path.exists({str(course / 'gradebook.db')!r}))
print(len([p for p in os.listdir("/proc") if p.isdigit()]) <= 3, resource.getrlimit(resource.RLIMIT_NPROC)[0])
try:
    socket.create_connection(("127.0.0.1", {server.getsockname()[1]}), timeout=2)
    print("connected")
except OSError:
    print("no network")
open("written", "w").write("ok")
"""
    try:
        result = subprocess.run(sandbox.launcher_prefix() + [sys.executable, "-c", code], capture_output=True,
                                text=True, timeout=60, env=sandbox.environment({}))
        written = (sandbox.work / "written").read_text() if (sandbox.work / "written").exists() else None
    finally:
        server.close()
        sandbox.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["True ['keep'] False", "True 50", "no network"]
    assert written == "ok"
    assert (course / "gradebook.db").read_text() == "secret"


def _submitted(tmp_path: Path, files: dict[str, bytes]) -> tuple[Path, Path]:
    submitted, graded = tmp_path / "submitted", tmp_path / "autograded"
    submitted.mkdir()
    graded.mkdir()
    for name, content in files.items():
        (submitted / name).write_bytes(content)
        (graded / name).write_bytes(b"nbgrader's copy, following links")
    return submitted, graded


def test_submitted_files_are_taken_byte_for_byte_and_missing_ones_left_out(tmp_path: Path):
    submitted, graded = _submitted(tmp_path, {"submission.json": b"{}", "data.csv": b"1,2"})
    notes = copy_submitted_files(submitted, graded, ["submission.json", "model.npz"], 100, {})
    assert notes == [], "a file not submitted is grades.csv's to report, not a refusal"
    assert (graded / "submission.json").read_bytes() == b"{}" and not (graded / "model.npz").exists()


def test_collection_refuses_links_and_oversized_files_and_removes_nbgraders_copies(tmp_path: Path):
    secret = tmp_path / "gradebook.db"
    secret.write_text("secret")
    submitted, graded = _submitted(tmp_path, {"extra.txt": b"x" * 101})
    (submitted / "submission.json").symlink_to(secret)
    (graded / "submission.json").write_text("secret")
    notes = copy_submitted_files(submitted, graded, ["submission.json", "extra.txt"], 100, {})
    assert len(notes) == 2 and "submission.json: not taken" in notes[0] and "limit 100" in notes[1], notes
    assert not (graded / "submission.json").exists() and not (graded / "extra.txt").exists()


def test_the_model_artifact_has_its_own_size_cap(tmp_path: Path):
    submitted, graded = _submitted(tmp_path, {"submission.json": b"x" * 150, "model.npz": b"m" * 150})
    notes = copy_submitted_files(submitted, graded, ["submission.json", "model.npz"], 100, {"model.npz": 200})
    assert notes == ["submission.json: not taken (150 bytes, limit 100)"]
    assert (graded / "model.npz").read_bytes() == b"m" * 150
    (submitted / "model.npz").write_bytes(b"m" * 201)
    assert "limit 200" in copy_submitted_files(submitted, graded, ["model.npz"], 100, {"model.npz": 200})[-1]
    assert not (graded / "model.npz").exists(), "an oversized artifact is not kept"
    with pytest.raises(ValueError, match="plain file names"):
        copy_submitted_files(submitted, graded, ["../gradebook.db"], 100, {})


def _demonstration(source: str) -> nbformat.NotebookNode:
    return new_code_cell(source, metadata={"tags": ["demonstration"], "nbgrader": {
        "grade": False, "grade_id": f"demo_{abs(hash(source))}", "locked": True, "schema_version": 3,
        "solution": False, "task": False}})


def _solution(source: str) -> nbformat.NotebookNode:
    return new_code_cell(source, metadata={"nbgrader": {
        "grade": False, "grade_id": "step", "locked": False, "schema_version": 3, "solution": True, "task": False}})


def _skipped(notebook: nbformat.NotebookNode) -> list[int]:
    notebook, _ = SkipDemonstrationCells().preprocess(notebook, {})
    return [i for i, cell in enumerate(notebook.cells) if SKIP_EXECUTION_TAG in cell.metadata.get("tags", [])]


def test_the_profile_skips_locked_demonstration_cells_only():
    student_copy = _demonstration("print(answer)")
    del student_copy.metadata["nbgrader"]  # a pasted copy that sanitizing made ordinary
    graded_tagged = _graded("test_x")
    graded_tagged.metadata["tags"] = ["demonstration"]
    notebook = new_notebook(cells=[
        new_code_cell("answer = 42"), _demonstration("plot(answer)\n%matplotlib inline"), student_copy,
        graded_tagged, _solution("def step():\n    return answer"),
    ])
    assert _skipped(notebook) == [1]
    assert notebook.cells[1].outputs[0].text == SKIPPED_NOTE


def test_a_solution_reading_a_name_only_a_demonstration_defines_gets_a_full_run():
    reads_demo = new_notebook(cells=[_demonstration("sweep = [1, 2]\nfor _r in sweep:\n    print(_r)"),
                                     _solution("def best(results=None):\n    return max(results or sweep)")])
    assert names_read_from_skipped_cells(reads_demo, {0}) == {1: {"sweep"}}
    assert _skipped(reads_demo) == []
    shadowed = new_notebook(cells=[_demonstration("sweep = [1, 2]\nlimit = 3"),
                                   _solution("def best(sweep, limit=1):\n    return [s for s in sweep if s > limit]"),
                                   new_code_cell("limit = 5")])
    assert names_read_from_skipped_cells(shadowed, {0}) == {}, "parameters and names defined elsewhere do not count"
    assert _skipped(shadowed) == [0]


def test_cells_in_ipython_syntax_are_read_as_ipython_runs_them():
    # Not Python until IPython transforms them: a magic, a shell escape assigned, a help request.
    magic = new_notebook(cells=[_demonstration("%matplotlib inline\ntable = [1, 2]\nfiles = !ls"),
                                _solution("def rows():\n    return table + files"),
                                new_code_cell("rows?\n%time best = max(rows())\nprint(best)")])
    assert names_read_from_skipped_cells(magic, {0}) == {1: {"table", "files"}}
    assert _skipped(magic) == []


def test_a_rerun_keeps_a_result_only_while_nothing_it_depends_on_changed(tmp_path: Path):
    root = tmp_path / "course"
    for folder in ("submitted/ada/a1", "source/a1", "autograded/ada/a1"):
        (root / folder).mkdir(parents=True)
    for path in ("submitted/ada/a1/nb.ipynb", "source/a1/nb.ipynb", "autograded/ada/a1/nb.ipynb", "nbgrader_config.py"):
        (root / path).write_text(path)
    settings = CourseSettings(root=root, course_id="c", db_url="sqlite://", source_dir="source", submitted_dir="submitted",
                              autograded_dir="autograded", ignore=(), wall_clock_limit_s=1.0, jobs=1,
                              max_notebook_bytes=1)
    now = resume.fingerprint(settings, "a1", "ada", ("nb",))
    assert resume.kept_result(settings, "a1", "ada", ("nb",), now) is None, "nothing recorded yet"
    resume.write_record(settings, "a1", "ada", now, "kernel-died", "cell 3 crashed", ("kernel-died: cell 3",))
    assert resume.kept_result(settings, "a1", "ada", ("nb",), now) == resume.KeptResult(
        "kernel-died", "cell 3 crashed", ("kernel-died: cell 3",))
    for changed in ("submitted/ada/a1/nb.ipynb", "source/a1/nb.ipynb", "nbgrader_config.py"):
        original = (root / changed).read_text()
        (root / changed).write_text("edited")
        assert resume.kept_result(settings, "a1", "ada", ("nb",), resume.fingerprint(settings, "a1", "ada", ("nb",))) is None
        (root / changed).write_text(original)
    (root / "autograded/ada/a1/nb.ipynb").unlink()
    assert resume.kept_result(settings, "a1", "ada", ("nb",), now) is None, "an incomplete result is graded again"
    resume.write_record(settings, "a1", "ada", now, "timed-out", "", ())
    assert not resume.record_path(settings, "ada", "a1").exists(), "a timed-out run is tried again"
