"""Isolation is required, works wherever the Python environment lives, and is backed up.

- Without bwrap, grading refuses before any student code runs and says what to install or which
  flag accepts the risk; with ``unsafe_no_isolation`` it grades, with a loud warning.
- The reference scores full marks with the grader's environment outside the course: a course
  ``.venv`` that is a symlink to a venv elsewhere, and a venv at another path whose packages come
  from a third place (``site.addsitedir`` in a ``.pth`` file).
- Defence in depth (graded without isolation, so the attacks reach the real course): one student
  deletes the gradebook, every other student's submission and autograded/, another prints the
  source notebook. Every other student keeps exactly their grades and files, and the feedback
  carries no solution or hidden-test text.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from html import unescape
from pathlib import Path

import pytest
from hostile import corpus
from hostile import toy_course as toy

from course_tools.course import open_gradebook
from course_tools.feedback import generate_feedback, normalise_line
from course_tools.grading import GradingRefused, UnsafeGradingWarning, grade_submissions

REPO_VENV = Path(sys.prefix)
NO_BWRAP = 'c.SandboxedExecute.bwrap_path = "no-such-bwrap"\n'


@pytest.fixture
def sandbox_root():
    folder = Path(tempfile.mkdtemp(prefix="grading-isolation-sandboxes-"))
    os.chmod(folder, 0o711)
    yield folder
    os.rmdir(folder)


def _course(tmp_path: Path, sandbox_root: Path, extra: str = "") -> Path:
    return toy.make_course(tmp_path / "course", extra_config=f"c.SandboxedExecute.sandbox_root = {str(sandbox_root)!r}\n"
                           + extra)


def test_without_isolation_grading_refuses_and_says_what_to_do(tmp_path, sandbox_root):
    root = _course(tmp_path, sandbox_root, NO_BWRAP)
    toy.submit(root, "reference", toy.with_solutions(root))
    with pytest.raises(GradingRefused) as refused:
        grade_submissions(root, toy.ASSIGNMENT, students=["reference"])
    message = str(refused.value)
    assert message.startswith("grading refused: `no-such-bwrap` was not found; no kernel isolation is available")
    assert "apt-get install -y bubblewrap" in message
    assert "--unsafe-no-isolation" in message and "c.SandboxedExecute.unsafe_no_isolation = True" in message
    assert not (root / "autograded").exists()


def test_with_the_flag_it_grades_unprotected_with_a_loud_warning(tmp_path, sandbox_root):
    root = _course(tmp_path, sandbox_root, NO_BWRAP)
    toy.submit(root, "reference", toy.with_solutions(root))
    with pytest.warns(UnsafeGradingWarning, match="GRADING WITHOUT ISOLATION"):
        (outcome,) = grade_submissions(root, toy.ASSIGNMENT, students=["reference"], unsafe_no_isolation=True)
    assert (outcome.status, outcome.score) == ("graded", toy.MAX_SCORE), outcome.message


def test_a_kernel_that_cannot_start_in_the_sandbox_is_reported_once_with_its_cause(tmp_path, sandbox_root):
    """Every submission would die before its first cell: one refusal naming the cause instead."""
    root = _course(tmp_path, sandbox_root, 'c.SandboxedExecute.kernel_packages = ["tinytorch", "no_such_kernel_package"]\n')
    for student in ("ada", "bob"):
        toy.submit(root, student, toy.with_solutions(root))
    with pytest.raises(GradingRefused) as refused:
        grade_submissions(root, toy.ASSIGNMENT, students=["ada", "bob"])
    message = str(refused.value)
    assert "a kernel cannot start in the sandbox" in message
    assert "No module named 'no_such_kernel_package'" in message
    assert not (root / "autograded").exists()


SHADOWED_TINYTORCH = """
# The kernels import a tinytorch that fails, as an editable install of a checkout they cannot see would.
c.SandboxedExecute.visible_course_paths = [".venv", "shadow"]
c.SandboxedExecute.kernel_env = {"PYTHONPATH": %r, "OPENBLAS_NUM_THREADS": "1"}
"""


def test_plain_nbgrader_autograde_stops_once_naming_the_cause_when_kernels_cannot_import_tinytorch(
    tmp_path, sandbox_root
):
    """nbgrader's own entry point (also Formgrader's): no zeroed steps, one message, nothing graded."""
    shadow = tmp_path / "course" / "shadow"
    root = _course(tmp_path, sandbox_root, SHADOWED_TINYTORCH % str(shadow))
    (shadow / "tinytorch").mkdir(parents=True)
    (shadow / "tinytorch" / "__init__.py").write_text("raise ImportError('tinytorch of another checkout')\n")
    for student in ("ada", "bob"):
        toy.submit(root, student, toy.with_solutions(root))
    env = {**os.environ, "PATH": f"{REPO_VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", toy.ASSIGNMENT], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log[-3000:]
    assert "ImportError: tinytorch of another checkout" in log and "a kernel cannot start in the sandbox" in log, log
    assert log.count("autograding stopped before any student code ran") == 2, log  # logged once, and the exit message
    assert not list((root / "autograded").glob("*/*/*.ipynb"))
    with open_gradebook(root) as gradebook:
        scores = [grade.auto_score for submission in gradebook.find_assignment(toy.ASSIGNMENT).submissions
                  for notebook in submission.notebooks for grade in notebook.grades]
    assert all(score is None for score in scores), scores


GRADE_SCRIPT = """
import json, sys
from pathlib import Path
from course_tools.grading import grade_submissions

if __name__ == "__main__":
    (outcome,) = grade_submissions(Path(sys.argv[1]), "toy", jobs=1, students=["reference"])
    print(json.dumps([outcome.status, outcome.score, outcome.message, sys.prefix]))
"""


def _grade_with(python: Path, root: Path, tmp_path: Path) -> list:
    script = tmp_path / "grade_reference.py"
    script.write_text(GRADE_SCRIPT)
    env = {**os.environ, "PATH": f"{python.parent}{os.pathsep}{REPO_VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([str(python), str(script), str(root)], cwd=root, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_reference_full_marks_with_the_course_venv_a_symlink_to_elsewhere(tmp_path, sandbox_root):
    root = _course(tmp_path, sandbox_root)
    (root / ".venv").symlink_to(REPO_VENV)
    toy.submit(root, "reference", toy.with_solutions(root))
    status, score, message, prefix = _grade_with(root / ".venv" / "bin" / "python", root, tmp_path)
    assert prefix == str(root / ".venv")  # the grader really ran through the link
    assert (status, score) == ("graded", toy.MAX_SCORE), message


def test_reference_full_marks_with_a_venv_at_another_path(tmp_path, sandbox_root):
    root = _course(tmp_path, sandbox_root)
    env = tmp_path / "elsewhere" / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    site_packages = next((REPO_VENV / "lib").glob("python3*/site-packages"))
    (next((env / "lib").glob("python3*/site-packages")) / "course_env.pth").write_text(
        f"import site; site.addsitedir({str(site_packages)!r})\n")
    toy.submit(root, "reference", toy.with_solutions(root))
    status, score, message, prefix = _grade_with(env / "bin" / "python", root, tmp_path)
    assert prefix == str(env)
    assert (status, score) == ("graded", toy.MAX_SCORE), message


# Correct, but in other words than the source, so the source's solution lines are secrets to them.
OTHER_NORM = "def norm(v):\n    return float(np.linalg.norm(np.asarray(v, dtype=float)))\n"
OTHER_MEAN = "def mean_of(xs):\n    return sum(xs) / len(xs)\n"


def _digests(root: Path, students: list[str]) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for student in students for p in sorted((root / "submitted" / student).rglob("*")) if p.is_file()}


def test_a_vandal_that_escaped_costs_no_one_else_anything(tmp_path, sandbox_root, monkeypatch):
    """Graded without isolation (as if a kernel escaped): the attacks reach the real course."""
    root = _course(tmp_path, sandbox_root, NO_BWRAP)
    context = corpus.BuildContext(root, 0)
    before = ["reference", "wrong_norm"]
    after = ["print_source", "untouched"]
    for case in before + ["vandal"] + after:
        build = corpus.CASES_BY_STUDENT[case].build
        if case == "print_source":
            notebook = build(context)
            for cell in notebook.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                cell.source = {"norm": OTHER_NORM, "mean_of": OTHER_MEAN}.get(grade_id, cell.source)
            toy.submit(root, case, notebook)
        else:
            toy.submit(root, case, build(context))
    others = before + after
    digests = _digests(root, others)
    with pytest.warns(UnsafeGradingWarning):
        outcomes = {o.student: o for o in grade_submissions(root, toy.ASSIGNMENT, jobs=1, students=before + ["vandal"] + after,
                                                            unsafe_no_isolation=True)}
    # The vandal did its damage (its own square fails because it saw the damage) ...
    assert toy.step_scores(root, "vandal") == corpus.points_without("test_square")
    # ... but every other student has exactly their grades, files and graded notebook.
    for student in others:
        expected = corpus.CASES_BY_STUDENT[student].expected_points
        assert toy.step_scores(root, student) == expected, (student, outcomes[student].message)
        assert outcomes[student].score == sum(expected.values())
        assert (root / "autograded" / student / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb").is_file(), student
    assert _digests(root, others) == digests
    for student in before:
        assert "restored from the grader's private copy" in outcomes[student].message, outcomes[student].message
    # The source notebook reached the autograded notebook; the feedback carries none of its secrets.
    graded = (root / "autograded" / "print_source" / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb").read_text()
    secrets = ["return math.sqrt(sum(float(t) * float(t) for t in v))",
               "return float(np.mean(np.asarray(xs, dtype=float)))", "assert close_enough(norm([1, 2, 2]), 3.0)"]
    assert all(secret.replace('"', '\\"') in graded for secret in secrets[:2])
    (html,) = generate_feedback(root, toy.ASSIGNMENT, ["print_source"])
    text = normalise_line(unescape(html.read_text()))
    for secret in secrets:
        assert normalise_line(secret) not in text, secret
