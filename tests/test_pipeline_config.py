"""The course's nbgrader_config.py choices, proven on a small course graded by the real pipeline.

- a warning on stderr in a grade cell does not zero it (IgnorePattern);
- a deleted grade cell is restored and graded (OverwriteCells.add_missing_cells);
- long output is cut while it streams (SandboxedExecute.max_output_bytes_per_cell, the one output cap);
- the source's .py twin (with solutions) reaches neither release/ nor the graded folders.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_tools.course import nbgrader_config
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.pipeline import grade_course
from course_tools.release import release
from course_tools.samples import SubmissionBuilder

COURSE = Path(__file__).resolve().parents[1]
TWIN_SECRET = "SECRET_TEXT_OF_THE_JUPYTEXT_TWIN"


def nbgrader(grade_id: str, **flags) -> dict:
    meta = {"grade": False, "solution": False, "locked": False, "task": False, "schema_version": 3,
            "grade_id": grade_id}
    meta.update(flags)
    return {"nbgrader": meta}


def small_course(root: Path) -> Path:
    cells = [
        new_code_cell("import warnings", metadata=nbgrader("setup", locked=True)),
        new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                      metadata=nbgrader("double", solution=True)),
        new_code_cell("assert double(2) == 4\n### BEGIN HIDDEN TESTS\n"
                      "warnings.warn('a deprecation somewhere in a library', DeprecationWarning, stacklevel=1)\n"
                      "assert double(-3) == -6, 'negative numbers double too'\n### END HIDDEN TESTS",
                      metadata=nbgrader("test_double", grade=True, locked=True, points=2)),
        new_code_cell("def chatty():\n    ### BEGIN SOLUTION\n    for i in range(150_000):\n        print('line', i)\n"
                      "    return True\n    ### END SOLUTION", metadata=nbgrader("chatty", solution=True)),
        new_code_cell("assert chatty()", metadata=nbgrader("test_chatty", grade=True, locked=True, points=1)),
        new_markdown_cell("Why?", metadata=nbgrader("reflection", grade=True, solution=True, points=1)),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"
    folder = root / "source" / ASSIGNMENT_ID
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{NOTEBOOK_ID}.ipynb")
    (folder / f"{NOTEBOOK_ID}.py").write_text(f"# {TWIN_SECRET}\n", encoding="utf-8")
    shutil.copy2(COURSE / "nbgrader_config.py", root / "nbgrader_config.py")
    return root


def without_cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = small_course(tmp_path_factory.mktemp("small"))
    release(root)
    builder = SubmissionBuilder(root)
    builder.write("complete", builder.reference_solution())
    builder.write("deleted-test", without_cell(builder.reference_solution(), "test_double"))
    wrong = builder.variant({"double": "def double(x):\n    return x + 2"})
    builder.write("deleted-test-wrong", without_cell(wrong, "test_double"))
    run = grade_course(root, jobs=2, echo=lambda line: None)
    return root, {o.student: o for o in run.outcomes}


def autograded(root: Path, student: str) -> nbformat.NotebookNode:
    return nbformat.read(root / "autograded" / student / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb", as_version=4)


def test_a_warning_in_a_grade_cell_does_not_cost_its_points(graded):
    _, outcomes = graded
    assert outcomes["complete"].score == 3 and outcomes["complete"].max_score == 4


def test_control_the_grade_cell_does_write_a_warning_that_ignore_pattern_matches(tmp_path):
    """Without this the test above could pass because no warning ever reached stderr."""
    nb = nbformat.read(small_course(tmp_path) / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
    cell = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "test_double")
    stderr = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr")
    assert "DeprecationWarning" in stderr
    assert re.search(nbgrader_config(tmp_path).IgnorePattern.pattern, stderr), stderr


def test_a_deleted_grade_cell_is_restored_and_graded(graded):
    root, outcomes = graded
    assert outcomes["deleted-test"].score == 3
    assert outcomes["deleted-test-wrong"].score == 1, "the restored test must run and fail the wrong solution"
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in autograded(root, "deleted-test-wrong").cells]
    assert ids.count("test_double") == 1


def test_long_output_is_cut(graded):
    root, _ = graded
    cell = next(c for c in autograded(root, "complete").cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "test_chatty")
    text = "".join(o.get("text", "") for o in cell.outputs)
    cap = nbgrader_config(root).SandboxedExecute.max_output_bytes_per_cell
    assert "output truncated by the grader" in text and "line 149999" not in text
    assert cap < len(text) < cap + 500, "kept up to the cap, plus the grader's note"


def test_the_source_twin_never_leaves_source(graded):
    root, _ = graded
    for folder in (root / "release", root / "autograded", root / "feedback"):
        for path in folder.rglob("*"):
            assert path.suffix != ".py", path
            if path.is_file():
                assert TWIN_SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
