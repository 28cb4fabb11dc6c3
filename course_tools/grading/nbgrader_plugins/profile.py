"""The grading profile: demonstration cells are not executed while autograding.

Most of the capstone's run time is in cells written for the student's eyes (sweeps, plots, the
submission it writes); no grade cell reads what they compute. `SkipDemonstrationCells` runs in
``Autograde.autograde_preprocessors`` before the executor and tags each such cell with nbclient's
``skip-execution`` tag, which the executor (`SandboxedExecute`, or nbgrader's own ``Execute``)
honours: the cell keeps its source and gets a one-line note instead of outputs.

A cell is skipped only when the *instructor* made it a demonstration: it carries the
``demonstration`` tag (course_tools.lint.DEMONSTRATION_TAG) and is locked, neither a grade nor a
solution cell (sanitizing has already restored locked cells from the gradebook; a student's own
cell, or a pasted copy that sanitizing turned into an ordinary cell, is never locked, so it runs).

The rule of docs/contract.md: graded steps may use only their arguments, the setup cell's names
and the functions of the steps. A submission that breaks it (a cell that runs reads a global name
that only a skipped cell defines, found with `symtable` after IPython's input transformations) is
executed in full instead, with a warning in the log: its grade must not depend on the profile.
"""

from __future__ import annotations

import symtable
from collections.abc import Iterator
from typing import Any

from IPython.core.inputtransformer2 import TransformerManager
from nbclient.client import NotebookClient
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from course_tools.lint import DEMONSTRATION_TAG

# nbclient's default ``skip_cells_with_tag``: what any nbclient-based executor skips.
SKIP_EXECUTION_TAG: str = NotebookClient.skip_cells_with_tag.default_value
SKIPPED_NOTE = "[not run while grading: a demonstration cell (docs/contract.md, grading profile)]\n"


class SkipDemonstrationCells(NbGraderPreprocessor):
    """Mark the instructor's demonstration cells so the executor skips them (module docstring).

    ``enabled`` (``c.SkipDemonstrationCells.enabled``) switches the profile; off, every cell runs."""

    tag = Unicode(DEMONSTRATION_TAG, help="The cell tag that marks a demonstration cell in the source notebook.").tag(
        config=True
    )

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        skipped = [index for index, cell in enumerate(nb.cells) if self.is_demonstration(cell)]
        needed = names_read_from_skipped_cells(nb, set(skipped))
        if needed:
            self.log.warning(
                "grading profile off for this notebook: %s; every cell runs",
                "; ".join(f"cell {index} reads {', '.join(sorted(names))}" for index, names in sorted(needed.items())),
            )
            return nb, resources
        for index in skipped:
            cell = nb.cells[index]
            cell.metadata.setdefault("tags", []).append(SKIP_EXECUTION_TAG)
            cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=SKIPPED_NOTE)]
        return nb, resources

    def is_demonstration(self, cell: NotebookNode) -> bool:
        return (
            cell.cell_type == "code"
            and self.tag in cell.metadata.get("tags", [])
            and utils.is_locked(cell)
            and not utils.is_grade(cell)
            and not utils.is_solution(cell)
        )


def names_read_from_skipped_cells(nb: NotebookNode, skipped: set[int]) -> dict[int, set[str]]:
    """``{cell index: names}``: global names a cell that runs reads and only skipped cells define."""
    defined_by_skipped: set[str] = set()
    defined_by_run: set[str] = set()
    reads: dict[int, set[str]] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        table = _symbols(cell.source)
        if table is None:
            continue  # a cell that does not compile defines and reads nothing when run
        defined = set(_defined_globals(table))
        if index in skipped:
            defined_by_skipped |= defined
        else:
            defined_by_run |= defined
            reads[index] = set(_read_globals(table))
    only_skipped = defined_by_skipped - defined_by_run
    return {index: names & only_skipped for index, names in reads.items() if names & only_skipped}


def _symbols(source: str) -> symtable.SymbolTable | None:
    # Source that is already Python is what IPython runs (its transforms only rewrite magics,
    # shell escapes, help and prompts, none of which is valid Python); tokenizing every cell for
    # them would cost more than the rest of the check, so only the other cells are transformed.
    try:
        return symtable.symtable(source, "<cell>", "exec")
    except (SyntaxError, ValueError):
        pass
    try:
        return symtable.symtable(TransformerManager().transform_cell(source), "<cell>", "exec")
    except (SyntaxError, ValueError):
        return None


def _tables(table: symtable.SymbolTable) -> Iterator[symtable.SymbolTable]:
    yield table
    for child in table.get_children():
        yield from _tables(child)


def _defined_globals(top: symtable.SymbolTable) -> Iterator[str]:
    for table in _tables(top):
        at_module = table.get_type() == "module"
        for symbol in table.get_symbols():
            binds = symbol.is_assigned() or symbol.is_imported()
            if binds and (at_module or symbol.is_declared_global()):
                yield symbol.get_name()


def _read_globals(top: symtable.SymbolTable) -> Iterator[str]:
    for table in _tables(top):
        at_module = table.get_type() == "module"
        for symbol in table.get_symbols():
            if symbol.is_referenced() and (at_module or symbol.is_global()):
                yield symbol.get_name()
