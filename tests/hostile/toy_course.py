"""A tiny nbgrader course (three graded steps) built in a temporary folder for the grading tests.

The course copies the real ``nbgrader_config.py`` (so the tests exercise the course's own
grading configuration) and appends small limits that keep hostile submissions fast to grade.
The assignment ``toy`` has one notebook ``toy.ipynb``:

- ``setup`` (locked): imports and the helper ``close_enough`` the tests call;
- ``square`` / ``test_square`` (1 point), ``norm`` / ``test_norm`` (2 points),
  ``mean_of`` / ``test_mean_of`` (4 points): a solution cell and a grade cell with hidden tests.

Distinct points per step make it visible which step lost its points.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_tools.course import nbgrader_api, open_gradebook, require_success

REPO_ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "toy"
NOTEBOOK = "toy"
STEP_POINTS = {"test_square": 1.0, "test_norm": 2.0, "test_mean_of": 4.0}
MAX_SCORE = sum(STEP_POINTS.values())

# Limits small enough for a fast test run, large enough for honest toy code on a busy machine.
TOY_CONFIG_OVERRIDES = """
# ---- toy course used by tests/test_grading_*.py: small limits, its own course id ----
c.CourseDirectory.course_id = "toy-course"
c.Execute.timeout = 4
c.Execute.iopub_timeout = 2
c.GradeSubmissions.wall_clock_limit_s = 120
# A kernel with numpy needs about 350 MB of address space; a memory bomb hits 1 GB quickly.
c.SandboxedExecute.memory_limit_mb = 1024
# What the toy tests call (the course's list adds matplotlib, jsonschema, tinytorch: slower to import).
c.SandboxedExecute.guarded_modules = ["math", "time", "json", "random", "statistics", "os",
                                      "numpy", "numpy.linalg", "numpy.testing"]
"""

SETUP = '''import math
import numpy as np

def close_enough(a, b, tol=1e-9):
    """True when a and b differ by at most tol (the tests' shared comparison)."""
    return abs(a - b) <= tol
'''

SOLUTIONS = {
    "square": '''def square(x):
    """x times x."""
    ### BEGIN SOLUTION
    return x * x
    ### END SOLUTION
''',
    "norm": '''def norm(v):
    """Euclidean length of the sequence v."""
    ### BEGIN SOLUTION
    return math.sqrt(sum(float(t) * float(t) for t in v))
    ### END SOLUTION
''',
    "mean_of": '''def mean_of(xs):
    """Arithmetic mean of the non-empty sequence xs."""
    ### BEGIN SOLUTION
    return float(np.mean(np.asarray(xs, dtype=float)))
    ### END SOLUTION
''',
}

TESTS = {
    "test_square": '''assert square(3) == 9
### BEGIN HIDDEN TESTS
assert close_enough(square(1.5), 2.25)
assert square(-4) == 16
### END HIDDEN TESTS
''',
    "test_norm": '''assert close_enough(norm([3, 4]), 5.0)
### BEGIN HIDDEN TESTS
assert close_enough(norm([1, 2, 2]), 3.0)
assert math.isclose(norm([0.0]), 0.0)
### END HIDDEN TESTS
''',
    "test_mean_of": '''assert close_enough(mean_of([1, 2, 3]), 2.0)
### BEGIN HIDDEN TESTS
np.testing.assert_allclose(mean_of([0.5, 1.5, 4.0]), 2.0)
assert abs(mean_of([-1, 1])) == 0
### END HIDDEN TESTS
''',
}


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> nbformat.NotebookNode:
    """The instructor version of the toy notebook (solutions and hidden tests included)."""
    cells = [new_markdown_cell("# Toy assignment\nThree small steps."),
             new_code_cell(SETUP, metadata=_meta("setup", locked=True))]
    for step, test in zip(SOLUTIONS, TESTS, strict=True):
        cells.append(new_code_cell(SOLUTIONS[step], metadata=_meta(step, solution=True)))
        cells.append(new_code_cell(TESTS[test], metadata=_meta(test, grade=True, locked=True,
                                                                points=STEP_POINTS[test])))
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def make_course(root: Path, extra_config: str = "") -> Path:
    """Create the toy course at ``root`` (source, config, generated release, gradebook)."""
    root.mkdir(parents=True, exist_ok=True)
    config_text = (REPO_ROOT / "nbgrader_config.py").read_text(encoding="utf-8")
    (root / "nbgrader_config.py").write_text(config_text + TOY_CONFIG_OVERRIDES + extra_config,
                                             encoding="utf-8")
    source_dir = root / "source" / ASSIGNMENT
    source_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(source_notebook(), source_dir / f"{NOTEBOOK}.ipynb")
    _generate_release(root)
    return root


def _generate_release(root: Path) -> None:
    require_success("generate_assignment", nbgrader_api(root).generate_assignment(ASSIGNMENT, force=True))


def release_notebook(root: Path) -> nbformat.NotebookNode:
    """The student version, as generated by nbgrader (stubs raise NotImplementedError)."""
    return nbformat.read(root / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)


def with_solutions(root: Path, answers: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The release with every solution cell answered: ``answers[grade_id]`` or the reference."""
    notebook = copy.deepcopy(release_notebook(root))
    answers = answers or {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in SOLUTIONS:
            cell.source = answers.get(grade_id, SOLUTIONS[grade_id].replace("    ### BEGIN SOLUTION\n", "")
                                      .replace("    ### END SOLUTION\n", ""))
    return notebook


def cell_index(notebook: nbformat.NotebookNode, grade_id: str) -> int:
    """Index of the cell with nbgrader id ``grade_id``."""
    for index, cell in enumerate(notebook.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return index
    raise KeyError(grade_id)


def submit(root: Path, student: str, notebook: nbformat.NotebookNode | bytes) -> Path:
    """Place ``notebook`` (a notebook, or raw file bytes) as the student's submission."""
    folder = root / "submitted" / student / ASSIGNMENT
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / f"{NOTEBOOK}.ipynb"
    if isinstance(notebook, bytes):
        path.write_bytes(notebook)
    else:
        nbformat.write(notebook, path)
    return path


def step_scores(root: Path, student: str) -> dict[str, float]:
    """Points per grade cell of the student's submission, from the gradebook."""
    with open_gradebook(root) as gradebook:
        submitted = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        return {grade.name: float(grade.score or 0.0) for grade in submitted.grades}
