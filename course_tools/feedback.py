"""Feedback that shows each step's result but never the hidden tests.

The autograded notebook carries the full source of every grade cell (nbgrader restores it from
the gradebook before executing), hidden tests included, and a failing hidden test's traceback
quotes the lines around the failure. `StripHiddenTestsFromFeedback` runs inside nbgrader's
``GenerateFeedback`` (configured in ``nbgrader_config.py``), after ``GetGrades``, so the scores
and the pass/fail of every step stay as nbgrader computed them while:

- the hidden-test region of each grade cell is replaced by a one-line comment;
- every output line (stream text, rich text, error value, traceback line) that quotes a line of
  hidden test source is replaced by a placeholder (unless the notebook shows that same line
  elsewhere, e.g. in the student's own code).

Which lines are hidden comes from the gradebook's copy of the source notebook (authoritative:
the student cannot change it) plus the hidden regions found in the notebook itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade
from traitlets import Integer, Unicode

from course_tools.course import nbgrader_api, require_success
from course_tools.export import awaits_grading
from course_tools.facts import ASSIGNMENT_ID

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TEXT_MIME_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex")


def normalise_line(line: str) -> str:
    """``line`` without ANSI colour codes, with runs of whitespace collapsed and ends stripped."""
    return " ".join(_ANSI_ESCAPE.sub("", line).split())


def split_hidden_region(source: str, begin: str, end: str, placeholder: str) -> tuple[str, list[str]]:
    """Split a cell source around its hidden test regions.

    Returns ``(source with each region, marker lines included, replaced by the single line
    placeholder, the hidden lines between the markers)``. A source without a region is returned
    unchanged with no hidden lines.
    """
    kept: list[str] = []
    hidden: list[str] = []
    inside = False
    for line in source.split("\n"):
        if begin in line:
            inside = True
            kept.append(placeholder)
        elif inside and end in line:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            kept.append(line)
    return "\n".join(kept), hidden


class StripHiddenTestsFromFeedback(NbGraderPreprocessor):
    """Remove hidden test source from grade cells and from every output that quotes it."""

    begin_test_delimeter = Unicode(
        "BEGIN HIDDEN TESTS", help="Marker line opening a hidden test region (as ClearHiddenTests)."
    ).tag(config=True)

    end_test_delimeter = Unicode(
        "END HIDDEN TESTS", help="Marker line closing a hidden test region (as ClearHiddenTests)."
    ).tag(config=True)

    min_quoted_chars = Integer(
        6,
        help=(
            "Hidden lines shorter than this (after whitespace is collapsed), such as ')' or "
            "'else:', reveal nothing and are not searched for in outputs."
        ),
    ).tag(config=True)

    region_placeholder = Unicode(
        "# (hidden tests ran here; their code is not part of the feedback)",
        help="Comment that replaces each hidden test region in a grade cell.",
    ).tag(config=True)

    output_placeholder = Unicode(
        "[line of a hidden test]",
        help="Text that replaces an output line quoting hidden test source.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        hidden_lines = set(self._hidden_lines_from_gradebook(resources))
        for cell in nb.cells:
            if is_grade(cell):
                hidden_lines.update(self._strip_source(cell))
        # A hidden line that also appears in the notebook the student sees (their own code, a
        # given cell) is no secret: keeping it readable keeps their own traceback lines.
        visible = {normalise_line(line) for cell in nb.cells for line in cell.source.split("\n")}
        secret = {normalise_line(line) for line in hidden_lines} - visible
        self._quoted = [line for line in secret if len(line) >= self.min_quoted_chars]
        # Tracebacks also quote the marker lines around a region: they name it, so they go too.
        self._quoted += [self.begin_test_delimeter, self.end_test_delimeter]
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                self._redact_output(output)
        return cell, resources

    def _hidden_lines_from_gradebook(self, resources: ResourcesDict) -> Iterable[str]:
        info = resources.get("nbgrader", {})
        if not info.get("db_url"):
            return []
        lines: list[str] = []
        with Gradebook(info["db_url"]) as gradebook:
            try:
                notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return []
            for source_cell in notebook.source_cells:
                _, hidden = split_hidden_region(
                    source_cell.source, self.begin_test_delimeter, self.end_test_delimeter, ""
                )
                lines.extend(hidden)
        return lines

    def _strip_source(self, cell: NotebookNode) -> list[str]:
        cell.source, hidden = split_hidden_region(
            cell.source, self.begin_test_delimeter, self.end_test_delimeter, self.region_placeholder
        )
        return hidden

    def _redact_text(self, text: str) -> str:
        """``text`` with each run of lines quoting hidden source replaced by one placeholder."""
        kept: list[str] = []
        changed = False
        for line in text.split("\n"):
            plain = normalise_line(line)
            if plain and any(quoted in plain for quoted in self._quoted):
                changed = True
                if not kept or kept[-1] != self.output_placeholder:
                    kept.append(self.output_placeholder)
            else:
                kept.append(line)
        return "\n".join(kept) if changed else text

    def _redact_output(self, output: NotebookNode) -> None:
        kind = output.get("output_type")
        if kind == "stream":
            output.text = self._redact_text(output.text)
        elif kind == "error":
            output.evalue = self._redact_text(output.evalue)
            output.traceback = [self._redact_text(entry) for entry in output.traceback]
        elif kind in ("execute_result", "display_data"):
            for mime in _TEXT_MIME_TYPES:
                if mime in output.get("data", {}):
                    value = output.data[mime]
                    joined = "".join(value) if isinstance(value, list) else value
                    output.data[mime] = self._redact_text(joined)


class ShowAwaitingGrading(NbGraderPreprocessor):
    """Show an answer that still awaits manual grading as such, not as a score of 0.

    Runs after ``GetGrades``. nbgrader's feedback template prints every grade cell's score, and an
    answered written response counts 0 until an instructor grades it ("Score: 0.0 / 6.0"). For
    such a cell (no automatic and no manual score in the gradebook) the rendered copy is no
    longer marked as a grade cell, so the template shows it as the student's answer without a
    score, and `notice` (with its points) opens the answer. Graded and unanswered cells keep
    their score.
    """

    notice = Unicode(
        "**Awaiting your instructor's grading ({points:g} points).** This answer is graded by hand; "
        "its points are not in the score above yet.",
        help="Markdown put above an answer that awaits manual grading; {points} is its maximum.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        info = resources.get("nbgrader", {})
        self._awaiting: set[str] = set()
        if info.get("db_url"):
            with Gradebook(info["db_url"]) as gradebook:
                try:
                    submission = gradebook.find_submission_notebook(
                        info["notebook"], info["assignment"], info["student"]
                    )
                except MissingEntry:
                    return nb, resources
                self._awaiting = {grade.name for grade in submission.grades if awaits_grading(grade)}
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        meta = cell.metadata.get("nbgrader", {})
        if is_grade(cell) and meta.get("grade_id") in self._awaiting:
            meta["grade"] = False
            cell.source = self.notice.format(points=float(meta.get("points", 0))) + "\n\n" + cell.source
        return cell, resources


def generate_feedback(root: Path, assignment: str = ASSIGNMENT_ID, students: Iterable[str] | None = None) -> list[Path]:
    """Run nbgrader ``generate_feedback`` for ``students`` (default: every autograded one).

    Uses the course's configuration, which puts `StripHiddenTestsFromFeedback` in the feedback
    preprocessors. Returns the HTML files written, ``feedback/<student>/<assignment>/*.html``.
    """
    api = nbgrader_api(root)
    autograded = root / "autograded"
    if students is None:
        students = sorted(p.parent.name for p in autograded.glob(f"*/{assignment}") if p.is_dir())
    written: list[Path] = []
    for student in students:
        require_success(f"generate_feedback ({student})", api.generate_feedback(assignment, student, force=True))
        written.extend(sorted((root / "feedback" / student / assignment).glob("*.html")))
    return written


class RedactSourceSecretsFromOutputs(StripHiddenTestsFromFeedback):
    """Outputs never quote the source notebook's solutions or hidden tests, whatever printed them.

    A cell that reads the instructor's notebook and prints it (possible only where kernels are
    not isolated) carries solution text that no marker in the student's notebook points to. This
    step, after `StripHiddenTestsFromFeedback`, reads ``source/<assignment>/<notebook>.ipynb``
    itself and replaces every output line quoting a line of a solution region (a whole solution
    cell when it has no region), a manually graded answer's reference text or a hidden-test region
    with the placeholder, unless the student's notebook shows that line itself.
    """

    begin_solution_delimeter = Unicode(
        "BEGIN SOLUTION", help="Marker line opening a solution region (as ClearSolutions)."
    ).tag(config=True)

    end_solution_delimeter = Unicode(
        "END SOLUTION", help="Marker line closing a solution region (as ClearSolutions)."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        visible = {normalise_line(line) for cell in nb.cells for line in cell.source.split("\n")}
        secret = {normalise_line(line) for line in self._source_secrets(resources)} - visible
        self._quoted = [line for line in secret if len(line) >= self.min_quoted_chars]
        return NbGraderPreprocessor.preprocess(self, nb, resources)

    def _source_secrets(self, resources: ResourcesDict) -> list[str]:
        """Lines of solutions and hidden tests in the source notebook of this feedback."""
        from nbformat import read
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.utils import is_solution

        info = resources.get("nbgrader", {})
        if not info.get("assignment") or not info.get("notebook"):
            return []
        coursedir = CourseDirectory(config=self.config)
        path = (
            Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
            / f"{info['notebook']}.ipynb"
        )
        if not path.is_file():
            return []
        lines: list[str] = []
        for cell in read(path, as_version=4).cells:
            _, hidden = split_hidden_region(cell.source, self.begin_test_delimeter, self.end_test_delimeter, "")
            lines += hidden
            if is_solution(cell):
                _, solution = split_hidden_region(
                    cell.source, self.begin_solution_delimeter, self.end_solution_delimeter, ""
                )
                lines += solution or cell.source.split("\n")
        return lines
