"""Sanitizing preprocessors: repair a damaged submission instead of failing the whole run.

They run in ``Autograde.sanitize_preprocessors`` (see nbgrader_config.py), before execution:

- `DropDuplicateGradeCells` (before nbgrader's DeduplicateIds): a copy-pasted grade, solution or
  locked cell whose grade id was already seen becomes an ordinary cell. In nbgrader 0.9.6,
  DeduplicateIds empties such a cell's ``nbgrader`` metadata instead of removing it, and
  OverwriteCells (``add_missing_cells``) then fails with ``KeyError: 'grade_id'`` on it, which
  aborts the student's whole autograde run.
- `ReportingOverwriteCells`: nbgrader's OverwriteCells (restores edited locked cells, points,
  cell types and, with ``add_missing_cells``, deleted grade cells), which also records what it
  repaired and turns cells claiming a grade id the gradebook does not know into ordinary cells
  (nbgrader would leave half their metadata behind and fail the same way).
- `ReportingOverwriteKernelspec`: nbgrader's OverwriteKernelspec, recording a replaced spec.

Each repair is logged and recorded as a ``notebook-repaired`` incident for the grade report.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor, OverwriteCells, OverwriteKernelspec

from .incidents import Incident, record_incident


def describe_cell(index: int, cell: NotebookNode) -> str:
    """``cell 7 (test_norm)``, or ``cell 7`` for a cell without a grade id (0-based index)."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {index} ({grade_id})" if grade_id else f"cell {index}"


def _make_ordinary(cell: NotebookNode) -> None:
    """Remove everything that makes ``cell`` an nbgrader cell (it still runs as student code)."""
    cell.metadata.pop("nbgrader", None)
    cell.metadata.pop("editable", None)
    cell.metadata.pop("deletable", None)


def _repaired(log, where: str, detail: str) -> None:
    log.warning("%s: %s", where, detail)
    record_incident(Incident("notebook-repaired", where, detail))


class DropDuplicateGradeCells(NbGraderPreprocessor):
    """Keep the last cell of each grade id as the nbgrader cell; earlier copies become ordinary.

    The last copy is the one nbgrader's DeduplicateIds keeps too. It is the original when a
    student pasted a copy above it (e.g. to try the visible tests early), so the test still runs
    after the student's code. Demoted copies still run, as ungraded student code.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        seen: set[str] = set()
        for index in reversed(range(len(nb.cells))):
            cell = nb.cells[index]
            if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
                continue
            grade_id = cell.metadata.nbgrader.get("grade_id")
            if grade_id in seen:
                _make_ordinary(cell)
                _repaired(
                    self.log,
                    f"cell {index} ({grade_id})",
                    f"a duplicate of cell '{grade_id}' was made an ordinary cell; the last copy is graded",
                )
            elif grade_id is not None:
                seen.add(grade_id)
        return nb, resources


class ReportingOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells that records each repair and demotes cells with unknown ids.

    A locked cell with hidden tests always differs from its source (the release has them cut
    out): nbgrader restores it silently to us; only a cell that differs from its *released*
    text counts as edited. The notebook's source cells are read from the gradebook once per
    notebook (a query per cell and per repair cost a noticeable part of grading one submission).
    """

    _source_cells: dict[str, Any] | None = None

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        self._source_cells = None
        try:
            return super().preprocess(nb, resources)
        finally:
            self._source_cells = None

    def _source_cell(self, grade_id: str) -> Any:
        """The gradebook's source cell ``grade_id`` of this notebook, or None when it has none."""
        if self._source_cells is None:
            try:
                notebook = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
                self._source_cells = {cell.name: cell for cell in notebook.source_cells}
            except MissingEntry:
                self._source_cells = {}
        return self._source_cells.get(grade_id)

    def report_change(self, name: str, attr: str, old: object, new: object) -> None:
        super().report_change(name, attr, old, new)
        if attr == "checksum" and self._submitted_source == self._released_source(name):
            return
        what = {
            "checksum": "its edited source was replaced by the original",
            "points": f"its points were reset to {old}",
            "locked": "it was locked again",
            "cell_type": f"its type was reset to {old}",
        }.get(attr, f"{attr} reset to {old}")
        record_incident(Incident("notebook-repaired", f"cell '{name}'", what))

    def missing_cell_transform(self, source_cell, max_score, is_solution=False, is_task=False):
        record_incident(
            Incident(
                "notebook-repaired",
                f"cell '{source_cell.name}'",
                "it was deleted from the submission and restored from the source",
            )
        )
        return super().missing_cell_transform(source_cell, max_score, is_solution, is_task)

    def _released_source(self, grade_id: str) -> str:
        source_cell = self._source_cell(grade_id)
        released = NotebookNode(cell_type=source_cell.cell_type, source=source_cell.source, metadata={})
        ClearHiddenTests()._remove_hidden_test_region(released)
        return released.source

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        self._submitted_source = cell.get("source", "")
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if "nbgrader" in cell.metadata and grade_id is not None:
            if self._source_cell(grade_id) is None:
                _make_ordinary(cell)
                _repaired(
                    self.log,
                    describe_cell(cell_index, cell) + f" ({grade_id})",
                    f"grade id '{grade_id}' is not part of the assignment; made an ordinary cell",
                )
                return cell, resources
        elif "nbgrader" in cell.metadata:
            _make_ordinary(cell)
            _repaired(
                self.log,
                describe_cell(cell_index, cell),
                "its nbgrader metadata had no grade id; made an ordinary cell",
            )
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)


class ReportingOverwriteKernelspec(OverwriteKernelspec):
    """nbgrader's OverwriteKernelspec that records when the submitted kernelspec was replaced."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        before = dict(nb.metadata.get("kernelspec") or {})
        nb, resources = super().preprocess(nb, resources)
        after = dict(nb.metadata.get("kernelspec") or {})
        if before != after:
            submitted = before.get("name") or "none"
            _repaired(self.log, "notebook", f"kernelspec '{submitted}' replaced by the course's '{after.get('name')}'")
        return nb, resources
