"""A step's points, stated once: the ``points`` of its grade cells in the notebook's metadata.

The instructor edits them in the jupytext script (``source/<assignment>/<notebook>.py``); every
other statement of them is written from that metadata by ``make sync`` (`write_statements`, before
the ``.ipynb`` is generated) and compared with it by ``tests/test_course_facts.py``
(`stale_statements`):

- the step's markdown heading in the notebook, "(N points)" (the heading before its solution cell);
- `course_tools.facts.GRADED_STEPS` (steps in notebook order, each the sum of its grade cells'
  points; partial credit splits a step's points over 2-3 cells) and `MANUAL_STEPS`;
- the points column of the step table in ``docs/contract.md`` and its totals line.

``python -m course_tools.points [--check] [--course DIR]`` writes them (``--check``: only lists
the stale ones, exit 1).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jupytext

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID, step_of_grade_cell

# A markdown heading that states points: "### Step 1 — `latency_stats` (3 points)".
HEADING = re.compile(r"^(?P<head>#{1,6} .*\()(?P<points>\d+(?:\.\d+)?) points?(?P<tail>\b.*)$")
# A row of the contract's step table: "| 1 | `latency_stats` | 3 | signature | contract |".
CONTRACT_ROW = re.compile(r"^(?P<head>\| [^|]* \| `(?P<step>\w+)`[^|]* \| )(?P<points>[^|]*?)(?P<tail> \|.*)$")
CONTRACT_TOTALS = re.compile(r"^(?P<auto_head>Automatic points: )[\d.]+(?P<manual_head>; with the \w+: )[\d.]+\.$")
FACTS_GRADED = re.compile(r"^GRADED_STEPS: dict\[str, int\] = \{\n.*?^\}$", re.MULTILINE | re.DOTALL)
FACTS_MANUAL = re.compile(r"^MANUAL_STEPS: dict\[str, int\] = \{.*?\}$", re.MULTILINE | re.DOTALL)


class PointsError(ValueError):
    """The notebook or a file that states the points cannot be matched up (says where)."""


@dataclass(frozen=True)
class StepPoints:
    """The points the notebook's metadata gives: auto-graded steps in notebook order, answer cells
    graded by hand, and for each of them the notebook's heading line that states its points."""

    graded: dict[str, int]
    manual: dict[str, int]
    headings: dict[str, str]

    def all_steps(self) -> dict[str, int]:
        return {**self.graded, **self.manual}


def _whole(points: float, where: str) -> int:
    if not float(points).is_integer():
        raise PointsError(f"{where}: {points:g} points; the course states whole points per step")
    return int(points)


def read_points(script: Path) -> StepPoints:
    """The points of every step of the jupytext ``script``, summed over its grade cells.

    Raises `PointsError` naming a step without a heading that states its points, or a heading
    with points that no step follows.
    """
    notebook = jupytext.read(script, fmt="py:percent")
    solutions: list[str] = []
    graded: dict[str, float] = {}
    manual: dict[str, int] = {}
    headings: dict[str, str] = {}
    pending: list[str] = []
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if cell.cell_type == "markdown" and not meta.get("solution"):
            pending += [line for line in cell.source.split("\n") if HEADING.match(line)]
        elif meta.get("grade") and not meta.get("solution"):
            step = step_of_grade_cell(grade_id)
            graded[step] = graded.get(step, 0) + meta.get("points", 0)
        if meta.get("solution"):
            if meta.get("grade"):
                manual[grade_id] = _whole(meta.get("points", 0), grade_id)
            else:
                solutions.append(grade_id)
            if len(pending) != 1:
                found = "no heading" if not pending else f"{len(pending)} headings ({pending})"
                raise PointsError(f"{script}: {found} stating points before the solution cell {grade_id!r}")
            headings[grade_id] = pending.pop()
    if pending:
        raise PointsError(f"{script}: {pending[0]!r} states points but no solution cell follows it")
    unknown = sorted(set(graded) - set(solutions))
    if unknown:
        raise PointsError(f"{script}: grade cells of {unknown} belong to no solution cell")
    return StepPoints({step: _whole(graded.get(step, 0), step) for step in solutions}, manual, headings)


def _points_text(points: int) -> str:
    return f"{points} point" if points == 1 else f"{points} points"


def script_with_points(text: str, points: StepPoints) -> str:
    """The jupytext script ``text`` with each step's heading stating its points."""
    written = {}
    for step, heading in points.headings.items():
        match = HEADING.match(heading)
        assert match is not None
        written[f"# {heading}"] = f"# {match['head']}{_points_text(points.all_steps()[step])}{match['tail']}"
    return "\n".join(written.get(line, line) for line in text.split("\n"))


def facts_with_points(text: str, points: StepPoints) -> str:
    """``course_tools/facts.py``'s ``text`` with `GRADED_STEPS` and `MANUAL_STEPS` from ``points``."""
    graded = "\n".join(f'    "{step}": {value},' for step, value in points.graded.items())
    manual = ", ".join(f'"{step}": {value}' for step, value in points.manual.items())
    for pattern, name in ((FACTS_GRADED, "GRADED_STEPS"), (FACTS_MANUAL, "MANUAL_STEPS")):
        if len(pattern.findall(text)) != 1:
            raise PointsError(f"course_tools/facts.py: expected one `{name}: dict[str, int] = {{...}}`")
    text = FACTS_GRADED.sub(lambda _: f"GRADED_STEPS: dict[str, int] = {{\n{graded}\n}}", text)
    return FACTS_MANUAL.sub(lambda _: f"MANUAL_STEPS: dict[str, int] = {{{manual}}}", text)


def contract_with_points(text: str, points: StepPoints) -> str:
    """``docs/contract.md``'s ``text`` with each step row's points and the totals line from ``points``.

    Raises `PointsError` when the table's step rows are not the notebook's steps in its order.
    """
    steps = points.all_steps()
    lines = text.split("\n")
    rows = [(index, match) for index, line in enumerate(lines) if (match := CONTRACT_ROW.match(line))]
    rows = [(index, match) for index, match in rows if match["step"] in steps]
    if [match["step"] for _, match in rows] != list(steps):
        raise PointsError(
            f"docs/contract.md: the step table lists {[match['step'] for _, match in rows]}, "
            f"the notebook grades {list(steps)}"
        )
    for index, match in rows:
        lines[index] = f"{match['head']}{steps[match['step']]}{match['tail']}"
    totals = [index for index, line in enumerate(lines) if CONTRACT_TOTALS.match(line)]
    if len(totals) != 1:
        raise PointsError("docs/contract.md: expected one line 'Automatic points: N; with the reflection: M.'")
    match = CONTRACT_TOTALS.match(lines[totals[0]])
    assert match is not None
    automatic = sum(points.graded.values())
    lines[totals[0]] = (
        f"{match['auto_head']}{automatic}{match['manual_head']}{automatic + sum(points.manual.values())}."
    )
    return "\n".join(lines)


def _script(root: Path) -> Path:
    return root / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.py"


def _rewritten(root: Path) -> dict[Path, tuple[str, str]]:
    """``{file that states points: (its text, its text with the metadata's points)}``."""
    points = read_points(_script(root))
    rewrites: dict[Path, Callable[[str, StepPoints], str]] = {
        _script(root): script_with_points,
        root / "course_tools" / "facts.py": facts_with_points,
        root / "docs" / "contract.md": contract_with_points,
    }
    texts = {path: path.read_text(encoding="utf-8") for path in rewrites}
    return {path: (texts[path], rewrite(texts[path], points)) for path, rewrite in rewrites.items()}


def stale_statements(root: Path) -> list[str]:
    """One sentence per file of the course at ``root`` whose points differ from the notebook's
    metadata, or why they cannot be compared; ``[]`` when every statement agrees."""
    try:
        rewritten = _rewritten(root)
    except PointsError as error:
        return [str(error)]
    return [
        f"{path.relative_to(root)} states points the notebook's metadata does not give: run `make sync`"
        for path, (text, written) in rewritten.items()
        if text != written
    ]


def write_statements(root: Path) -> list[Path]:
    """Write the metadata's points into every file of the course at ``root`` that states them;
    return the files that changed. Raises `PointsError` when they cannot be matched up."""
    changed = []
    for path, (text, written) in _rewritten(root).items():
        if text != written:
            path.write_text(written, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write (or check) every statement of a step's points.")
    parser.add_argument("--course", type=Path, default=Path("."), help="course root (default: here)")
    parser.add_argument("--check", action="store_true", help="only list the stale files; exit 1 if any")
    args = parser.parse_args(argv)
    root = args.course.resolve()
    if args.check:
        stale = stale_statements(root)
        for sentence in stale:
            print(sentence, file=sys.stderr)
        return 1 if stale else 0
    try:
        changed = write_statements(root)
    except PointsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in changed:
        print(f"wrote the points into {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
