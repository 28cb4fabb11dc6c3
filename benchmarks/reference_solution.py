"""Load the reference solution of the capstone notebook as a Python namespace.

The benchmarks measure the harness students build, using the instructor's reference code exactly
as the source notebook holds it: the setup cell and every solution cell are executed, in notebook
order, into a fresh namespace. Grade cells and the given demo cells are not run.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.notebook_source import notebook_from_script

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SCRIPT = ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py"


def load_reference_solution(script: Path = SOURCE_SCRIPT) -> SimpleNamespace:
    """Execute the setup cell and the solution cells of ``script``; return their globals."""
    namespace: dict = {"__name__": "capstone_reference"}
    for cell in notebook_from_script(script).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("grade_id") == "setup" or meta.get("solution")):
            exec(compile(cell.source, f"<{meta.get('grade_id')}>", "exec"), namespace)
    return SimpleNamespace(**namespace)
