"""grades.csv with one column per graded step, as an nbgrader export plugin.

``nbgrader_config.py`` makes this the plugin of ``nbgrader export``; ``python -m course_tools
export`` runs the same plugin. One row per submission (assignment, student), read from the
gradebook through nbgrader's API:

``assignment, student_id, timestamp, <one column per graded cell, in notebook order>,
code_score, max_code_score, written_score, max_written_score, score, max_score,
needs_manual_grade, submission_files``

``submission_files`` says whether the files the grader takes from the submitted folder
(``c.GradeSubmissions.collect_files``: ``submission.json``, ``model.npz``) are beside the autograded
notebook: ``complete``, or ``missing: <names>`` (a submission without them still has its grades).

A graded cell's column holds its current score (manual score when a grader set one, else the
autograder's); scores are in points. A manually graded answer nobody has graded yet holds
`AWAITING_GRADING` instead of a score (nbgrader counts it as 0 until then), and so does
``written_score`` while any answer awaits grading.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
from nbgrader.api import Assignment, Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.export import ExportPlugin

from course_tools.course import nbgrader_config, open_gradebook
from course_tools.facts import ASSIGNMENT_ID
from course_tools.grading.orchestrator.config import GradeSubmissions

AWAITING_GRADING = "awaiting grading"

SUMMARY_COLUMNS = (
    "code_score",
    "max_code_score",
    "written_score",
    "max_written_score",
    "score",
    "max_score",
    "needs_manual_grade",
    "submission_files",
)


def awaits_grading(grade) -> bool:
    """True for an answer neither the autograder nor an instructor has scored (a manual cell
    that was answered; nbgrader gives an unchanged answer an automatic 0)."""
    return grade.auto_score is None and grade.manual_score is None


def points_text(value: float | None) -> str:
    """A score as text: ``3`` for whole points, ``2.5`` otherwise, empty for no value."""
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


class StepGradesCsvExportPlugin(ExportPlugin):
    """Export every submission's per-cell scores and totals to a CSV file (default grades.csv)."""

    def _cell_order(self, assignment: Assignment) -> list[tuple[str, str]]:
        """``(notebook, grade_id)`` of every graded cell, in the source notebook's cell order."""
        coursedir = CourseDirectory(parent=self)
        ordered: list[tuple[str, str]] = []
        for notebook in sorted(assignment.notebooks, key=lambda nb: nb.name):
            graded = {cell.name for cell in notebook.grade_cells} | {cell.name for cell in notebook.task_cells}
            path = (
                Path(coursedir.format_path(coursedir.source_directory, ".", assignment.name)) / f"{notebook.name}.ipynb"
            )
            position: dict[str, int] = {}
            if path.is_file():
                cells = nbformat.read(path, as_version=4).cells
                for index, cell in enumerate(cells):
                    position.setdefault(cell.metadata.get("nbgrader", {}).get("grade_id", ""), index)
            ordered.extend(
                (notebook.name, name) for name in sorted(graded, key=lambda n: (position.get(n, len(position)), n))
            )
        return ordered

    def rows(self, gradebook: Gradebook) -> tuple[list[str], list[dict[str, str]]]:
        """The CSV header and one row dict per submission of the selected assignments/students."""
        wanted_assignments = {str(a) for a in self.assignment}
        wanted_students = {str(s) for s in self.student}
        assignments = [a for a in gradebook.assignments if not wanted_assignments or a.name in wanted_assignments]
        cells = [cell for assignment in assignments for cell in self._cell_order(assignment)]
        multiple_notebooks = len({notebook for notebook, _ in cells}) > 1
        cell_columns = {cell: f"{cell[0]}:{cell[1]}" if multiple_notebooks else cell[1] for cell in cells}
        header = ["assignment", "student_id", "timestamp", *dict.fromkeys(cell_columns.values()), *SUMMARY_COLUMNS]
        coursedir = CourseDirectory(parent=self)
        collected = list(GradeSubmissions(parent=self).collect_files)
        rows = []
        for assignment in assignments:
            for submission in sorted(assignment.submissions, key=lambda s: s.student_id):
                if wanted_students and submission.student_id not in wanted_students:
                    continue
                row = {
                    "assignment": assignment.name,
                    "student_id": submission.student_id,
                    "timestamp": submission.timestamp.isoformat() if submission.timestamp else "",
                }
                pending = False
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        waiting = awaits_grading(grade)
                        pending |= waiting
                        row[cell_columns[(notebook.name, grade.name)]] = (
                            AWAITING_GRADING if waiting else points_text(grade.score)
                        )
                for column in SUMMARY_COLUMNS[:-2]:
                    row[column] = points_text(getattr(submission, column))
                if pending:
                    row["written_score"] = AWAITING_GRADING
                row["needs_manual_grade"] = "yes" if submission.needs_manual_grade else "no"
                graded = Path(
                    coursedir.format_path(coursedir.autograded_directory, submission.student_id, assignment.name)
                )
                missing = [name for name in collected if not (graded / name).is_file()]
                row["submission_files"] = f"missing: {', '.join(missing)}" if missing else "complete"
                rows.append(row)
        return header, rows

    def export(self, gradebook: Gradebook) -> None:
        destination = self.to or "grades.csv"
        header, rows = self.rows(gradebook)
        with open(destination, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, restval="")
            writer.writeheader()
            writer.writerows(rows)
        self.log.info("Exported %d submissions to %s", len(rows), destination)


def export_grades(root: Path, destination: Path | None = None, assignment: str = ASSIGNMENT_ID) -> Path:
    """Write ``destination`` (default ``<root>/grades.csv``) for ``assignment``; return its path."""
    destination = root / "grades.csv" if destination is None else destination
    config = nbgrader_config(root)
    plugin = StepGradesCsvExportPlugin(config=config, to=str(destination), assignment=[assignment])
    with open_gradebook(root, config) as gradebook:
        plugin.export(gradebook)
    return destination
