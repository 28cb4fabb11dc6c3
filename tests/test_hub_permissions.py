"""Unix permissions of the hub's course and exchange, tried as the course's own accounts.

Set-up as `make hub` does it (accounts, users' environment, course, exchange); the instructor
releases with nbgrader, two students fetch and submit with nbgrader from their homes. Then each
check is a file operation run as a student (or a grader) in the users' environment: what it may
do must work (so a broken probe cannot pass), what it may not must raise PermissionError. One
test loosens the inbound folder as a careless chmod would and shows the probe then finds the
other student's submission.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_tools.facts import ASSIGNMENT_ID, COURSE_ID, NOTEBOOK_ID
from course_tools.hub.accounts import INSTRUCTOR, STUDENTS, TEACHING_ASSISTANT, Account
from course_tools.hub.layout import HubLayout
from hub_support import checked_run_as, hub_layout, prepare, remove_layout, run_as

ADA, GRACE = STUDENTS[0], STUDENTS[1]

# Each operation is tried and reported as "allowed", "denied" (PermissionError) or another error.
PROBE = """
import glob, json, os
TARGETS = {targets}
def read(path):
    with open(path, "rb") as handle:
        handle.read(1)
def overwrite(path):
    with open(path, "r+b") as handle:
        handle.write(b"x")
def create(path):
    with open(path, "xb") as handle:
        handle.write(b"x")
def find(pattern):
    found = glob.glob(pattern)
    if not found:
        raise FileNotFoundError(pattern)
ACTIONS = {{"list": os.listdir, "read": read, "overwrite": overwrite, "create": create, "find": find,
           "rename": lambda path: os.rename(path, path + ".moved")}}
results = {{}}
for name, (action, path) in TARGETS.items():
    try:
        ACTIONS[action](path)
        results[name] = "allowed"
    except PermissionError:
        results[name] = "denied"
    except OSError as error:
        results[name] = type(error).__name__
print(json.dumps(results))
"""


def probe(account: Account, layout: HubLayout, targets: dict[str, tuple[str, str]]) -> dict[str, str]:
    output = checked_run_as(account, layout, PROBE.format(targets=json.dumps(targets)))
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def hub_course():
    layout = hub_layout()
    try:
        prepare(layout)
        checked_run_as(
            INSTRUCTOR, layout, "from pathlib import Path\nfrom course_tools.exchange import Instructor\n"
            "Instructor(Path.cwd()).release()"
        )
        for student in (ADA, GRACE):
            checked_run_as(
                student, layout, student_config=True, code="import subprocess, sys\n"
                f"for command in ('fetch_assignment', 'submit'):\n"
                f"    subprocess.run([sys.executable, '-m', 'nbgrader', command, {ASSIGNMENT_ID!r}], check=True)"
            )
        yield layout
    finally:
        remove_layout(layout)


def exchange_paths(layout: HubLayout) -> dict[str, str]:
    course = layout.exchange / COURSE_ID
    return {"course": str(course), "inbound": str(course / "inbound"),
            "release": str(course / "outbound" / ASSIGNMENT_ID)}


def test_a_student_cannot_list_find_or_read_another_students_work(hub_course):
    paths = exchange_paths(hub_course)
    results = probe(GRACE, hub_course, {
        "list inbound": ("list", paths["inbound"]),
        "find ada's submission": ("find", f"{paths['inbound']}/{ADA.name}+*"),
        "read ada's notebook at home": ("read", f"/home/{ADA.name}/{ASSIGNMENT_ID}/{NOTEBOOK_ID}.ipynb"),
        "list ada's home": ("list", f"/home/{ADA.name}"),
        # What she may: her own fetched notebook, the released one, the exchange's course folder.
        "read her own notebook": ("read", f"/home/{GRACE.name}/{ASSIGNMENT_ID}/{NOTEBOOK_ID}.ipynb"),
        "read the release": ("read", f"{paths['release']}/{NOTEBOOK_ID}.ipynb"),
        "list the exchange": ("list", str(hub_course.exchange)),
    })
    assert results == {
        "list inbound": "denied", "find ada's submission": "FileNotFoundError",
        "read ada's notebook at home": "denied", "list ada's home": "denied",
        "read her own notebook": "allowed", "read the release": "allowed", "list the exchange": "allowed",
    }


def test_a_student_cannot_read_the_course_source_or_gradebook(hub_course):
    course = hub_course.course
    targets = {
        "list the course": ("list", str(course)),
        "read the source notebook": ("read", str(course / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb")),
        "read the jupytext twin": ("read", str(course / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py")),
        "read the gradebook": ("read", str(course / "gradebook.db")),
    }
    assert probe(ADA, hub_course, targets) == {name: "denied" for name in targets}
    # The teaching assistant, a grader, reads all of it and writes the gradebook.
    targets["write the gradebook"] = ("overwrite", str(course / "gradebook.db"))
    del targets["read the gradebook"]
    assert probe(TEACHING_ASSISTANT, hub_course, targets) == {name: "allowed" for name in targets}


def test_a_student_cannot_overwrite_or_replace_the_released_assignment(hub_course):
    paths = exchange_paths(hub_course)
    targets = {
        "overwrite the released notebook": ("overwrite", f"{paths['release']}/{NOTEBOOK_ID}.ipynb"),
        "add a file to the release": ("create", f"{paths['release']}/helper.py"),
        "rename the release": ("rename", paths["release"]),
        # The exchange root is world-writable: only its sticky bit keeps the course folder in place.
        "rename the course's exchange folder": ("rename", paths["course"]),
    }
    assert probe(ADA, hub_course, targets) == {name: "denied" for name in targets}


def test_the_inbound_probe_catches_a_loosened_mode(hub_course):
    inbound = Path(exchange_paths(hub_course)["inbound"])
    mode = inbound.stat().st_mode & 0o7777
    inbound.chmod(mode | 0o004)  # o+r, as a careless `chmod -R a+rX` on the exchange would do
    try:
        results = probe(GRACE, hub_course, {"list inbound": ("list", str(inbound)),
                                            "find ada's submission": ("find", f"{inbound}/{ADA.name}+*/*.ipynb"),
                                            "read it": ("read", next(inbound.glob(f"{ADA.name}+*/*.ipynb")).as_posix())})
    finally:
        inbound.chmod(mode)
    assert results == {"list inbound": "allowed", "find ada's submission": "allowed", "read it": "allowed"}


def test_make_hub_refuses_an_ordinary_user_saying_what_it_needs(hub_course):
    result = run_as(STUDENTS[2], hub_course, "import sys\nfrom course_tools.cli import main\nsys.exit(main(['hub']))")
    assert result.returncode == 1, result
    assert "`make hub` needs root: it creates the course's Unix accounts" in result.stderr
