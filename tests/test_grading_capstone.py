"""The hardened grader end to end on the real capstone notebook, in a copy of the course.

The copy sits in a folder other users can enter, like a real course checkout, so what keeps a
student's kernel out of the gradebook, the source and other submissions is the sandbox, not the
temporary folder's permissions. One run (jobs=2) grades:

- ``reference``: the instructor's solutions -> every automatic point, status ``graded``;
- ``crash``: the reference with a segfault at the top of one step's solution cell -> only that
  step's grade cells lose their points, status ``kernel-died``;
- ``snoop``: the reference, but the first step's solution first tries to read
  the source notebook, its jupytext twin, the gradebook, another submission and ``.git``, and to
  delete the gradebook; it raises if any of that worked -> every automatic point.

The files a submission carries (``submission.json``, ``model.npz``) are taken as submitted: the
crash student's are kept byte for byte, the snoop's ``model.npz`` is a link to the gradebook and is
refused, the reference submitted none and its outcome says so. The snoop's other link, to the source
notebook, never reaches nbgrader (which would copy the file it points to for the kernel to read).
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from course_tools.course import copy_course, open_gradebook
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID, step_of_grade_cell
from course_tools.export import export_grades
from course_tools.grading import grade_submissions
from course_tools.release import register_assignment
from course_tools.samples import SubmissionBuilder

COURSE = Path(__file__).resolve().parents[1]
CRASH_STEP = "count_parameters"
SEGFAULT = "import ctypes\nctypes.string_at(0)\n"


def _snoop_code(root: Path) -> str:
    secrets = [root / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb",
               root / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py", root / "gradebook.db",
               root / "submitted" / "reference" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb",
               root / "nbgrader_config.py"]
    return f"""import os as _os
_leaks = []
for _path in {[str(p) for p in secrets]!r}:
    try:
        open(_path, "rb").read(1)
        _leaks.append(_path)
    except OSError:
        pass
try:
    _os.remove({str(root / "gradebook.db")!r})
    _leaks.append("deleted the gradebook")
except OSError:
    pass
if _leaks:
    raise RuntimeError(f"the sandbox leaked: {{_leaks}}")
"""


@pytest.fixture(scope="module")
def graded_course():
    base = Path(tempfile.mkdtemp(prefix="capstone-grading-"))
    os.chmod(base, 0o755)
    root = copy_course(COURSE, base / "course")
    os.chmod(root, 0o755)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    with tempfile.TemporaryDirectory() as workdir:
        register_assignment(root, Path(workdir))
    builder = SubmissionBuilder(root)
    builder.write("reference", builder.reference_solution())
    crash = builder.write("crash", builder.variant({CRASH_STEP: SEGFAULT + builder.reference[CRASH_STEP]}))
    (crash.parent / "submission.json").write_text('{"claims": "whatever the student submitted"}', encoding="utf-8")
    (crash.parent / "model.npz").write_bytes(b"not checked here: reproduce does")
    first_step = next(iter(builder.reference))
    snoop = builder.write("snoop", builder.variant({first_step: _snoop_code(root) + builder.reference[first_step]}))
    (snoop.parent / "model.npz").symlink_to(root / "gradebook.db")
    (snoop.parent / "notes.txt").symlink_to(root / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb")
    students = ["reference", "crash", "snoop"]
    outcomes = {o.student: o for o in grade_submissions(root, jobs=2, students=students)}
    yield root, outcomes
    shutil.rmtree(base)


def _auto_scores(root: Path, student: str) -> dict[str, tuple[float, float]]:
    """(points, max points) of each automatically graded cell."""
    with open_gradebook(root) as gradebook:
        submitted = gradebook.find_submission_notebook(NOTEBOOK_ID, ASSIGNMENT_ID, student)
        return {grade.name: (float(grade.auto_score or 0.0), float(grade.max_score))
                for grade in submitted.grades if grade.cell.cell_type == "code"}


def test_reference_scores_every_automatic_point(graded_course):
    root, outcomes = graded_course
    scores = _auto_scores(root, "reference")
    assert len(scores) >= 10
    assert all(points == maximum > 0 for points, maximum in scores.values()), scores
    assert outcomes["reference"].status == "graded", outcomes["reference"].message


def test_a_segfault_costs_only_its_own_step(graded_course):
    root, outcomes = graded_course
    scores, reference = _auto_scores(root, "crash"), _auto_scores(root, "reference")
    lost = {name for name in scores if scores[name] != reference[name]}
    # The step's function never got defined: every grade cell of that step (and only those) fails.
    assert lost == {name for name in scores if step_of_grade_cell(name) == CRASH_STEP} and lost, lost
    assert outcomes["crash"].status == "kernel-died" and "SIGSEGV" in outcomes["crash"].message


def test_student_code_cannot_reach_the_course(graded_course):
    root, outcomes = graded_course
    assert _auto_scores(root, "snoop") == _auto_scores(root, "reference"), outcomes["snoop"].message
    assert (root / "gradebook.db").is_file()


def test_the_submitted_files_are_taken_byte_for_byte(graded_course):
    root, outcomes = graded_course
    for name in ("submission.json", "model.npz"):
        submitted = root / "submitted" / "crash" / ASSIGNMENT_ID / name
        assert (root / "autograded" / "crash" / ASSIGNMENT_ID / name).read_bytes() == submitted.read_bytes()
    assert "submission files" not in outcomes["crash"].message


def test_a_submitted_link_is_refused_and_a_submission_without_files_is_reported(graded_course):
    root, outcomes = graded_course
    assert not (root / "autograded" / "snoop" / ASSIGNMENT_ID / "model.npz").exists()
    assert not (root / "autograded" / "snoop" / ASSIGNMENT_ID / "notes.txt").exists(), "nbgrader copies link targets"
    assert "model.npz: not taken" in outcomes["snoop"].message, outcomes["snoop"].message
    assert not (root / "autograded" / "reference" / ASSIGNMENT_ID / "submission.json").exists()
    assert outcomes["reference"].status == "graded", "missing files are reported, not a grading failure"
    rows = {row["student_id"]: row for row in csv.DictReader(export_grades(root).open(encoding="utf-8"))}
    assert rows["reference"]["submission_files"] == "missing: submission.json, model.npz"
    assert rows["crash"]["submission_files"] == "complete"
    assert rows["snoop"]["submission_files"] == "missing: submission.json, model.npz", "the refused link is not kept"
