"""`make grade` killed mid-run resumes: the rerun grades only what the first run had not finished.

``python -m course_tools grade --jobs 1`` (what ``make grade`` runs) grades four capstone
submissions in a copy of the course; once two results are in the course its whole process group
gets SIGKILL. Then: nothing it started is left running (its autograde processes, bubblewrap and
kernels included); the rerun says how many it skipped and grades exactly the others; ``--force``
grades all four again, and every grade cell scores the same as after the resumed run.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from course_tools.course import copy_course, open_gradebook
from course_tools.facts import ASSIGNMENT_ID
from course_tools.release import release
from course_tools.samples import SubmissionBuilder

COURSE = Path(__file__).resolve().parents[1]
STUDENTS = ("ada", "bob", "cyd", "dee")
PROGRESS = re.compile(r"^\d+/\d+ (\S+) [\d.]+/[\d.]+ [\d.]+s \S+$", re.MULTILINE)


def _grade(root: Path, *options: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.Popen([sys.executable, "-m", "course_tools", "--course", str(root), "grade", "--jobs", "1",
                             *options], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, **popen)


def _records(root: Path) -> set[str]:
    return {path.parent.name for path in (root / "autograded").glob(f"*/{ASSIGNMENT_ID}.graded.json")}


def _grades(root: Path) -> dict[tuple[str, str], float]:
    with open_gradebook(root) as gradebook:
        return {(submission.student_id, grade.name): float(grade.score)
                for submission in gradebook.find_assignment(ASSIGNMENT_ID).submissions
                for notebook in submission.notebooks for grade in notebook.grades}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = copy_course(COURSE, tmp_path_factory.mktemp("resume"), ("nbgrader_config.py", "source"))
    release(root)
    builder = SubmissionBuilder(root)
    builder.write("ada", builder.reference_solution())
    builder.write("bob", builder.untouched())
    builder.write("cyd", builder.variant({"count_parameters": "def count_parameters(model):\n    return 0\n"}))
    builder.write("dee", builder.reference_solution())
    return root


def test_a_killed_grading_run_resumes_where_it_stopped_with_the_same_grades(course):
    run = _grade(course, start_new_session=True)
    deadline = time.monotonic() + 900
    while len(_records(course)) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run.poll() is None, f"the run ended before it could be killed:\n{run.communicate()[0]}"
    started = [psutil.Process(run.pid), *psutil.Process(run.pid).children(recursive=True)]
    assert len(started) > 2, "the run's autograde process and kernel were expected to be running"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    finished = _records(course)
    assert 2 <= len(finished) < len(STUDENTS), finished
    _, alive = psutil.wait_procs(started, timeout=15)
    assert not alive, f"left running after the kill: {[p.cmdline()[:3] for p in alive]}"

    output = _grade(course).communicate(timeout=900)[0]
    assert f"skipped {len(finished)}: graded by an earlier run and unchanged since" in output, output
    assert sorted(PROGRESS.findall(output)) == sorted(set(STUDENTS) - finished), output
    assert _records(course) == set(STUDENTS)
    resumed = _grades(course)

    output = _grade(course, "--force").communicate(timeout=900)[0]
    assert "skipped" not in output and sorted(PROGRESS.findall(output)) == sorted(STUDENTS), output
    assert _grades(course) == resumed
    assert resumed[("ada", "test_count_parameters")] > 0 and resumed[("cyd", "test_count_parameters")] == 0
