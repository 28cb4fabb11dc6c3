"""`course_tools.lint`: every metadata problem nbgrader would accept silently is named, with its cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_tools.lint import lint_file, lint_notebook

COURSE = Path(__file__).resolve().parents[1]


def nbgrader(grade_id: str, **flags) -> dict:
    meta = {"grade": False, "solution": False, "locked": False, "task": False, "schema_version": 3,
            "grade_id": grade_id}
    meta.update(flags)
    return {"nbgrader": meta}


def clean_notebook() -> nbformat.NotebookNode:
    """A small source notebook that follows every rule."""
    cells = [
        new_markdown_cell("# Title"),
        new_code_cell("import math", metadata=nbgrader("setup", locked=True)),
        new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION", metadata=nbgrader("f", solution=True)),
        new_code_cell("assert f() == 1\n### BEGIN HIDDEN TESTS\nassert f() + 1 == 2\n### END HIDDEN TESTS",
                      metadata=nbgrader("test_f", grade=True, locked=True, points=2)),
        new_markdown_cell("Explain.", metadata=nbgrader("answer", grade=True, solution=True, points=3)),
        new_markdown_cell("Do this task.", metadata=nbgrader("task_1", task=True, locked=True, points=1)),
        new_code_cell("print(f())", metadata={**nbgrader("show_f", locked=True), "tags": ["demonstration"]}),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"c{index}"
    return nb


def messages(nb: nbformat.NotebookNode) -> list[str]:
    return [str(problem) for problem in lint_notebook(nb, "nb.ipynb")]


def test_a_clean_notebook_has_no_problems():
    assert messages(clean_notebook()) == []


BREAKAGES = {
    "duplicate grade id": (lambda nb: nb.cells[3].metadata.nbgrader.update(grade_id="f"),
                           "cells[3] (grade_id 'f'): grade_id already used by cells[2]"),
    "grade cell without points": (lambda nb: nb.cells[3].metadata.nbgrader.pop("points"),
                                  "cells[3] (grade_id 'test_f'): grade cell needs positive points, got None"),
    "zero points": (lambda nb: nb.cells[4].metadata.nbgrader.update(points=0),
                    "cells[4] (grade_id 'answer'): grade cell needs positive points, got 0"),
    "task cell not locked": (lambda nb: nb.cells[5].metadata.nbgrader.update(locked=False),
                             "cells[5] (grade_id 'task_1'): task cell must be locked"),
    "task cell in code": (lambda nb: nb.cells.__setitem__(5, new_code_cell("x = 1", id="c5", metadata=nb.cells[5].metadata)),
                          "cells[5] (grade_id 'task_1'): task cell must be markdown, is code"),
    "solution markers in a grade cell": (
        lambda nb: setattr(nb.cells[3], "source", "### BEGIN SOLUTION\nassert f()\n### END SOLUTION"),
        "cells[3] (grade_id 'test_f'): has solution markers, which nbgrader only accepts in solution cells"),
    "hidden tests in a solution cell": (
        lambda nb: setattr(nb.cells[2], "source", "### BEGIN HIDDEN TESTS\nx = 1\n### END HIDDEN TESTS"),
        "cells[2] (grade_id 'f'): has hidden test markers, which nbgrader only accepts in grade (autograder test) cells"),
    "hidden tests without metadata": (
        lambda nb: setattr(nb.cells[0], "source", "### BEGIN HIDDEN TESTS"),
        "cells[0]: has hidden test markers, which nbgrader only accepts in grade (autograder test) cells"),
    "unclosed solution": (lambda nb: setattr(nb.cells[2], "source", "### BEGIN SOLUTION\nreturn 1"),
                          "cells[2] (grade_id 'f'): 'BEGIN SOLUTION' is never closed by 'END SOLUTION'"),
    "nested hidden tests": (
        lambda nb: setattr(nb.cells[3], "source", "### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS"),
        "cells[3] (grade_id 'test_f'): nested hidden test markers (line 2)"),
    "wrong schema version": (lambda nb: nb.cells[1].metadata.nbgrader.update(schema_version=1),
                             "cells[1] (grade_id 'setup'): nbgrader schema_version is 1, expected 3"),
    "outputs": (lambda nb: nb.cells[1].update(outputs=[nbformat.v4.new_output("stream", text="hi")], execution_count=3),
                "cells[1] (grade_id 'setup'): has outputs or an execution count: clear them before releasing"),
    "missing cell id": (lambda nb: nb.cells[0].pop("id"),
                        "cells[0]: has no cell id (nbgrader would invent a random one)"),
    "metadata that nbgrader ignores": (
        lambda nb: nb.cells[1].metadata.nbgrader.update(locked=False),
        "cells[1] (grade_id 'setup'): has nbgrader metadata but is no grade, solution, task or locked cell"),
    "demonstration tag on a solution cell": (
        lambda nb: nb.cells[2].metadata.update(tags=["demonstration"]),
        "cells[2] (grade_id 'f'): a 'demonstration' cell must be a locked code cell, no grade or solution cell"),
    "demonstration tag on a cell nbgrader does not lock": (
        lambda nb: nb.cells[0].metadata.update(tags=["demonstration"]),
        "cells[0]: a 'demonstration' cell must be a locked code cell"),
    "bad grade id": (lambda nb: nb.cells[2].metadata.nbgrader.update(grade_id="my step"),
                     "cells[2] (grade_id 'my step'): grade_id 'my step' is missing or not made of letters"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_each_problem_is_reported_with_its_cell(breakage):
    nb = clean_notebook()
    edit, expected = BREAKAGES[breakage]
    edit(nb)
    found = messages(nb)
    assert any(message.startswith(f"nb.ipynb: {expected}") for message in found), found


def test_every_problem_is_reported_not_only_the_first():
    nb = clean_notebook()
    nb.cells[3].metadata.nbgrader.pop("points")
    nb.cells[5].metadata.nbgrader.update(locked=False)
    assert len(messages(nb)) == 2


def test_unreadable_file_is_one_problem(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    (problem,) = lint_file(broken)
    assert "cannot be read as a notebook" in str(problem) and "broken.ipynb" in str(problem)


def test_the_course_source_notebook_passes():
    source = COURSE / "source" / "20_capstone" / "capstone.ipynb"
    assert [str(p) for p in lint_file(source)] == []
