"""Lint the nbgrader metadata of a source notebook before it is released.

nbgrader accepts a surprising amount silently (a grade cell without points counts 0, a solution
marker in a test cell is released as is, a random cell id makes the release differ on every
build). `lint_notebook` turns each such case into a readable problem that names the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

SCHEMA_VERSION = 3
# Tag of the cells that hold neither student code nor grading (demonstrations, plots, the cell
# writing the submission): the grading profile does not run them (docs/contract.md). Only a locked
# code cell that is no grade or solution cell may carry it.
DEMONSTRATION_TAG = "demonstration"
_GRADE_ID = re.compile(r"^[A-Za-z0-9_\-]+$")


@dataclass(frozen=True)
class Markers:
    """The marker texts nbgrader looks for (a line *containing* one is a marker line)."""

    begin_solution: str = "BEGIN SOLUTION"
    end_solution: str = "END SOLUTION"
    begin_hidden_tests: str = "BEGIN HIDDEN TESTS"
    end_hidden_tests: str = "END HIDDEN TESTS"


@dataclass(frozen=True)
class LintProblem:
    """One problem: the notebook file, the cell (index in ``cells`` and grade id, if any), what."""

    notebook: str
    cell_index: int | None
    grade_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.notebook
        if self.cell_index is not None:
            where += f": cells[{self.cell_index}]"
        if self.grade_id:
            where += f" (grade_id {self.grade_id!r})"
        return f"{where}: {self.message}"


_WHERE_ALLOWED = {"solution": "solution cells", "hidden test": "grade (autograder test) cells"}


def _marker_problems(source: str, begin: str, end: str, allowed: bool, kind: str) -> list[str]:
    """Problems with the ``begin``/``end`` marker lines of one cell (``kind`` names them)."""
    lines = source.split("\n")
    begins = [i for i, line in enumerate(lines) if begin in line]
    ends = [i for i, line in enumerate(lines) if end in line]
    if not begins and not ends:
        return []
    if not allowed:
        return [f"has {kind} markers, which nbgrader only accepts in {_WHERE_ALLOWED[kind]}"]
    problems = []
    depth = 0
    for index, line in enumerate(lines):
        if begin in line:
            depth += 1
            if depth > 1:
                problems.append(f"nested {kind} markers (line {index + 1})")
        elif end in line:
            depth -= 1
            if depth < 0:
                problems.append(f"{end!r} without a matching {begin!r} (line {index + 1})")
                depth = 0
    if depth > 0:
        problems.append(f"{begin!r} is never closed by {end!r}")
    return problems


def _metadata_problems(cell: NotebookNode, meta: dict) -> list[str]:
    problems = []
    if meta.get("schema_version") != SCHEMA_VERSION:
        problems.append(f"nbgrader schema_version is {meta.get('schema_version')!r}, expected {SCHEMA_VERSION}")
    for flag in ("grade", "solution", "locked", "task"):
        if flag in meta and not isinstance(meta[flag], bool):
            problems.append(f"nbgrader {flag!r} must be true or false, got {meta[flag]!r}")
    grade_id = meta.get("grade_id")
    if not isinstance(grade_id, str) or not _GRADE_ID.match(grade_id):
        problems.append(f"grade_id {grade_id!r} is missing or not made of letters, digits, '_' and '-'")
    if meta.get("grade") or meta.get("task"):
        points = meta.get("points")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
            what = "task" if meta.get("task") else "grade"
            problems.append(f"{what} cell needs positive points, got {points!r}")
    if not any(meta.get(flag) for flag in ("grade", "solution", "locked", "task")):
        problems.append(
            "has nbgrader metadata but is no grade, solution, task or locked cell: nbgrader does not "
            "record it, and autograde with add_missing_cells crashes on it (nbgrader 0.9.6); "
            "remove its nbgrader metadata"
        )
    if meta.get("task"):
        if cell.cell_type != "markdown":
            problems.append(f"task cell must be markdown, is {cell.cell_type}")
        if not meta.get("locked"):
            problems.append("task cell must be locked")
        if meta.get("grade") or meta.get("solution"):
            problems.append("task cell cannot also be a grade or solution cell")
    return problems


def lint_notebook(nb: NotebookNode, name: str, markers: Markers = Markers()) -> list[LintProblem]:
    """Every metadata problem of the source notebook ``nb`` (``name`` labels the messages).

    Checked: nbgrader metadata of schema_version 3 with boolean flags, a well-formed, unique
    grade_id and at least one of grade/solution/locked/task set; positive points on every grade and task cell; task cells locked and markdown;
    solution markers only in solution cells and hidden-test markers only in grade cells,
    balanced and not nested; the demonstration tag only on locked code cells that are no grade or
    solution cell; no outputs or execution counts; a cell id on every cell
    (nbformat >= 4.5), unique, so the release is reproducible.
    """
    problems: list[LintProblem] = []
    seen_ids: dict[str, int] = {}
    seen_cell_ids: dict[str, int] = {}
    needs_cell_ids = (nb.nbformat, nb.nbformat_minor) >= (4, 5)

    def report(index: int | None, grade_id: str | None, message: str) -> None:
        problems.append(LintProblem(name, index, grade_id, message))

    if "kernelspec" not in nb.metadata:
        report(None, None, "notebook metadata has no kernelspec (nbgrader needs it to grade)")
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if needs_cell_ids:
            cell_id = cell.get("id")
            if not cell_id:
                report(index, grade_id, "has no cell id (nbgrader would invent a random one)")
            elif cell_id in seen_cell_ids:
                report(index, grade_id, f"cell id {cell_id!r} already used by cells[{seen_cell_ids[cell_id]}]")
            else:
                seen_cell_ids[cell_id] = index
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
            report(index, grade_id, "has outputs or an execution count: clear them before releasing")
        if meta is not None:
            if not isinstance(meta, dict):
                report(index, None, f"nbgrader metadata must be a mapping, got {meta!r}")
                meta = {}
            for message in _metadata_problems(cell, meta):
                report(index, grade_id, message)
            if isinstance(grade_id, str) and grade_id:
                if grade_id in seen_ids:
                    report(index, grade_id, f"grade_id already used by cells[{seen_ids[grade_id]}]")
                else:
                    seen_ids[grade_id] = index
        meta = meta or {}
        if DEMONSTRATION_TAG in cell.metadata.get("tags", []) and (
            cell.cell_type != "code" or not meta.get("locked") or meta.get("grade") or meta.get("solution")
        ):
            report(
                index,
                grade_id,
                f"a {DEMONSTRATION_TAG!r} cell must be a locked code cell, no grade or solution cell: "
                "grading skips only those (docs/contract.md)",
            )
        for message in _marker_problems(
            cell.source,
            markers.begin_solution,
            markers.end_solution,
            bool(meta.get("solution")),
            "solution",
        ) + _marker_problems(
            cell.source,
            markers.begin_hidden_tests,
            markers.end_hidden_tests,
            bool(meta.get("grade")),
            "hidden test",
        ):
            report(index, grade_id, message)
    return problems


def lint_file(path: Path, markers: Markers = Markers(), label: str | None = None) -> list[LintProblem]:
    """`lint_notebook` on the notebook file at ``path`` (``label``: its name in messages, default
    the path); an unreadable file is one problem."""
    label = str(path) if label is None else label
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several unrelated types for a bad file
        return [LintProblem(label, None, None, f"cannot be read as a notebook: {error}")]
    return lint_notebook(nb, label, markers)
