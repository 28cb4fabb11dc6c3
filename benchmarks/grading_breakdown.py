"""Where one graded submission's seconds go: kernel start, each kind of cell, the tamper guard.

`sandboxed_breakdown` executes a graded notebook the way the grading profile does
(`SkipDemonstrationCells`, then `SandboxedExecute` with the course's configuration: private
sandbox, bubblewrap, limits, guard), in this process so each part can be timed;
`plain_breakdown` executes a notebook with plain nbclient, as the floor does. Both return a
`Breakdown`. Grading itself is never changed: the timers are subclasses used only here.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode
from traitlets.config import Config

# What `Breakdown.parts` holds, in the order a run pays them.
PARTS = ("kernel start", "setup cell", "solution cells", "grade cells", "other cells", "tamper guard requests")


def cell_kind(cell: NotebookNode) -> str:
    """Which part of `PARTS` executing ``cell`` belongs to."""
    nbgrader = cell.metadata.get("nbgrader", {})
    if nbgrader.get("grade_id") == "setup":
        return "setup cell"
    if nbgrader.get("grade"):
        return "grade cells"
    if nbgrader.get("solution"):
        return "solution cells"
    return "other cells"


@dataclass
class Breakdown:
    """Seconds of one execution: ``total``, per part of `PARTS`, and per grade cell (by grade id)."""

    total: float = 0.0
    parts: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PARTS, 0.0))
    grade_cells: dict[str, float] = field(default_factory=dict)

    def add_cell(self, cell: NotebookNode, seconds: float) -> None:
        kind = cell_kind(cell)
        self.parts[kind] += seconds
        if kind == "grade cells":
            self.grade_cells[cell.metadata["nbgrader"]["grade_id"]] = seconds


def _cleared(notebook_path: Path) -> NotebookNode:
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


class _TimedNotebookClient(NotebookClient):
    breakdown: Breakdown

    async def async_execute_cell(self, cell: NotebookNode, cell_index: int, *args: Any, **kwargs: Any) -> NotebookNode:
        started = time.perf_counter()
        try:
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        finally:
            if cell.cell_type == "code" and cell.source.strip():
                self.breakdown.add_cell(cell, time.perf_counter() - started)


def plain_breakdown(notebook_path: Path, timeout: int = 600) -> Breakdown:
    """Execute ``notebook_path`` (outputs cleared) with plain nbclient in a fresh ``python3`` kernel
    in its folder; kernel start is everything but the cells (start, shutdown included)."""
    client = _TimedNotebookClient(
        _cleared(notebook_path),
        kernel_name="python3",
        timeout=timeout,
        allow_errors=True,
        resources={"metadata": {"path": str(notebook_path.parent)}},
    )
    client.breakdown = breakdown = Breakdown()
    started = time.perf_counter()
    client.execute()
    breakdown.total = time.perf_counter() - started
    breakdown.parts["kernel start"] = breakdown.total - sum(breakdown.parts.values())
    return breakdown


class _TimedGuard:
    """The running kernel's `GuardClient`, its requests timed into ``breakdown``."""

    def __init__(self, guard: Any, breakdown: Breakdown) -> None:
        self.guard, self.breakdown = guard, breakdown

    @property
    def channel(self) -> Any:
        return self.guard.channel

    async def request(self, action: str) -> dict[str, Any] | None:
        started = time.perf_counter()
        try:
            answer: dict[str, Any] | None = await self.guard.request(action)
            return answer
        finally:
            self.breakdown.parts["tamper guard requests"] += time.perf_counter() - started


def _timed_sandboxed_execute(config: Config, breakdown: Breakdown) -> Any:
    # Imported here: nbgrader's preprocessors take seconds to import, and only this needs them.
    from course_tools.grading.nbgrader_plugins.execute import SandboxedExecute

    class TimedSandboxedExecute(SandboxedExecute):
        async def start_kernel(self) -> None:
            started = time.perf_counter()
            try:
                await super().start_kernel()
            finally:
                breakdown.parts["kernel start"] += time.perf_counter() - started

        def guard(self) -> Any:
            return _TimedGuard(super().guard(), breakdown)

        async def async_execute_cell(
            self, cell: NotebookNode, cell_index: int, *args: Any, **kwargs: Any
        ) -> NotebookNode:
            started = time.perf_counter()
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            finally:
                breakdown.add_cell(cell, time.perf_counter() - started)

    return TimedSandboxedExecute(config=config)


@contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def sandboxed_breakdown(course: Path, notebook_path: Path) -> Breakdown:
    """Execute the graded ``notebook_path`` (outputs cleared) as the course's grading profile does:
    `SkipDemonstrationCells`, then `SandboxedExecute`, both with ``course``'s nbgrader configuration,
    from the course root (where nbgrader runs them). ``kernel start`` includes the sandbox, bwrap,
    the kernel, its import check and the tamper guard's installation (which imports the guarded
    modules); the total also includes removing the sandbox."""
    from course_tools.course import nbgrader_config
    from course_tools.grading.nbgrader_plugins.profile import SkipDemonstrationCells

    config = nbgrader_config(course)
    breakdown = Breakdown()
    resources = {"metadata": {"path": str(notebook_path.parent), "name": notebook_path.stem}}
    with _working_directory(course):
        notebook, resources = SkipDemonstrationCells(config=config).preprocess(_cleared(notebook_path), resources)
        execute = _timed_sandboxed_execute(config, breakdown)
        started = time.perf_counter()
        execute.preprocess(notebook, resources)
        breakdown.total = time.perf_counter() - started
    return breakdown
