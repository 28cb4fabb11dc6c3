"""Build submissions from the release: the reference solution, the untouched release, variants.

A submission is the student notebook (``release/<assignment>/<notebook>.ipynb``) with the source
of some solution cells replaced, exactly what a student's edits produce. The reference solution
replaces every solution cell with the source notebook's version of it, marker lines removed.

A variant file is one student's version of one step: ``<step>__<kind>.py`` (a whole solution
cell) or ``<step>__<kind>.mutation`` (the reference solution with a bug written as line edits,
`apply_mutation`); `variant_source` reads either. The demo's wrong steps are such files
(``course_tools/demo/wrong_steps/``), and so are the tests' (``tests/pipeline_variants/``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.lint import Markers


def _grade_id(cell: NotebookNode) -> str:
    grade_id: str = cell.metadata.get("nbgrader", {}).get("grade_id", "")
    return grade_id


def _is_solution(cell: NotebookNode) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def solution_sources(source_nb: NotebookNode, markers: Markers = Markers()) -> dict[str, str]:
    """``{grade_id: source}`` of every solution cell of the instructor notebook, marker lines removed.

    Code cells keep everything but the ``BEGIN/END SOLUTION`` lines; markdown answer cells (the
    reflection) are taken whole, as the model answer.
    """
    solutions = {}
    for cell in source_nb.cells:
        if not _is_solution(cell):
            continue
        lines = cell.source.split("\n")
        if cell.cell_type == "code":
            lines = [line for line in lines if markers.begin_solution not in line and markers.end_solution not in line]
        solutions[_grade_id(cell)] = "\n".join(lines)
    return solutions


def with_solutions(release_nb: NotebookNode, replacements: Mapping[str, str]) -> NotebookNode:
    """A copy of ``release_nb`` whose solution cells named in ``replacements`` get that source.

    Raises ``KeyError`` naming every replacement that matches no solution cell.
    """
    submission = copy.deepcopy(release_nb)
    found = set()
    for cell in submission.cells:
        grade_id = _grade_id(cell)
        if _is_solution(cell) and grade_id in replacements:
            cell.source = replacements[grade_id]
            found.add(grade_id)
    unknown = sorted(set(replacements) - found)
    if unknown:
        raise KeyError(f"no solution cell with grade_id {', '.join(map(repr, unknown))} in the release")
    return submission


def _literal(text: str) -> Callable[[re.Match[str]], str]:
    """A ``re.sub`` replacement that inserts ``text`` as is (no backslash escapes processed)."""
    return lambda _: text


def with_settings(nb: NotebookNode, values: Mapping[str, str]) -> NotebookNode:
    """A copy of ``nb`` where each ``NAME = ...`` line of an editable, ungraded code cell (the cells
    students are told to edit, e.g. ``SUBMITTER``) becomes ``NAME = <values[NAME]>``.

    ``values`` holds Python source (``'"ada"'``). Raises ``KeyError`` naming every setting that
    no editable cell assigns.
    """
    edited = copy.deepcopy(nb)
    found = set()
    for cell in edited.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("locked") or meta.get("solution") or meta.get("grade"):
            continue
        for name, source in values.items():
            pattern = re.compile(rf"^{re.escape(name)}\s*=.*$", re.MULTILINE)
            if pattern.search(cell.source):
                cell.source = pattern.sub(_literal(f"{name} = {source}"), cell.source)
                found.add(name)
    unknown = sorted(set(values) - found)
    if unknown:
        raise KeyError(f"no editable cell assigns {', '.join(unknown)}")
    return edited


def release_stubs(release_nb: NotebookNode) -> dict[str, str]:
    """``{grade_id: source}`` of every solution cell as released (the untouched stubs)."""
    return {_grade_id(cell): cell.source for cell in release_nb.cells if _is_solution(cell)}


class SubmissionBuilder:
    """Submissions for one course: the release and the source notebook, read once."""

    def __init__(
        self, root: Path, assignment: str = ASSIGNMENT_ID, notebook: str = NOTEBOOK_ID, release_dir: Path | None = None
    ) -> None:
        """``release_dir``: where the student notebook is (default ``root/release/<assignment>``)."""
        self.root = root
        self.assignment = assignment
        self.notebook = notebook
        release_dir = root / "release" / assignment if release_dir is None else release_dir
        self.release_nb = nbformat.read(release_dir / f"{notebook}.ipynb", as_version=4)
        self.source_nb = nbformat.read(root / "source" / assignment / f"{notebook}.ipynb", as_version=4)
        self.reference = solution_sources(self.source_nb)
        self.stubs = release_stubs(self.release_nb)

    def untouched(self) -> NotebookNode:
        """The release exactly as students receive it."""
        return copy.deepcopy(self.release_nb)

    def reference_solution(self) -> NotebookNode:
        """Every solution cell filled with the instructor's solution (reflection answered)."""
        return with_solutions(self.release_nb, self.reference)

    def variant(self, replacements: Mapping[str, str]) -> NotebookNode:
        """The reference solution with the given solution cells replaced (stubs or other code)."""
        return with_solutions(self.release_nb, {**self.reference, **replacements})

    def write(self, student: str, nb: NotebookNode) -> Path:
        """Save ``nb`` as ``submitted/<student>/<assignment>/<notebook>.ipynb``; return the path."""
        folder = self.root / "submitted" / student / self.assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.notebook}.ipynb"
        nbformat.write(nb, path)
        return path


def variant_source(path: Path, reference: Mapping[str, str]) -> tuple[str, str]:
    """``(step, source)`` of the variant file at ``path``: its text for ``.py``, the step's
    ``reference`` solution with its line edits applied for ``.mutation``.

    Raises ``FileNotFoundError`` naming a missing file, ``ValueError`` a mutation that does not apply.
    """
    step = path.stem.split("__")[0]
    text = path.read_text(encoding="utf-8")
    return step, apply_mutation(reference[step], text) if path.suffix == ".mutation" else text


def apply_mutation(source: str, mutation: str) -> str:
    """``source`` with the line edits of ``mutation`` applied: a wrong variant stated as its bug.

    A mutation is text of ``# comment`` lines and hunks: one ``- old line`` (matched ignoring
    indentation, exactly once in ``source``) followed by zero or more ``+ new line`` lines that
    replace it, each given the old line's indentation plus any spaces after ``+ ``. The result
    must compile: a wrong variant states a bug in code that runs, not a syntax error. Raises
    ``ValueError`` naming an old line found zero or several times, a line of another form, or
    where the result does not compile.
    """
    lines = source.split("\n")
    hunks: list[tuple[str, list[str]]] = []
    for text in mutation.splitlines():
        if not text.strip() or text.startswith("#"):
            continue
        if text.startswith("- "):
            hunks.append((text[2:].strip(), []))
        elif text.startswith("+ ") and hunks:
            hunks[-1][1].append(text[2:])
        else:
            raise ValueError(f"mutation line must start with '# ', '- ' or '+ ' (after a '- '): {text!r}")
    for old, new in hunks:
        found = [index for index, line in enumerate(lines) if line.strip() == old]
        if len(found) != 1:
            raise ValueError(f"mutation: {old!r} occurs {len(found)} times in the reference, expected once")
        index = found[0]
        indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
        lines[index : index + 1] = [indent + added for added in new]
    mutated = "\n".join(lines)
    try:
        compile(mutated, "<mutated solution>", "exec")
    except SyntaxError as error:
        raise ValueError(
            f"mutation: the result does not compile: {error.msg} at line {error.lineno}: {error.text!r}"
        ) from None
    return mutated
