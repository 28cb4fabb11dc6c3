"""Build the student release with nbgrader and keep the committed copy honest.

``release`` lints the source notebooks, runs nbgrader's ``generate_assignment`` (through its API,
with the course's ``nbgrader_config.py``) on a copy of ``source/<assignment>`` in a temporary
course, and compares the result with ``release/<assignment>`` file by file and byte by byte.
``check=True`` only reports; otherwise the committed copy is replaced when it differs and the
course's gradebook learns the assignment (as ``nbgrader generate_assignment`` would).

Generating in a temporary course keeps ``release/`` untouched unless it must change, and the
build is byte-reproducible: nbgrader's checksums are deterministic, the notebook format writes
sorted keys, and the linter refuses cells without a fixed cell id.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course_tools.course import (
    CONFIG_FILE,
    CourseError,
    copy_course,
    course_directory,
    nbgrader_api,
    nbgrader_config,
    require_success,
)
from course_tools.facts import ASSIGNMENT_ID
from course_tools.lint import LintProblem, Markers, lint_file


class LintFailed(CourseError):
    """The source notebooks have metadata problems; ``problems`` lists them."""

    def __init__(self, problems: list[LintProblem]) -> None:
        self.problems = problems
        super().__init__("the source notebooks have problems:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass
class ReleaseOutcome:
    """What `release` found: the committed folder and how it differed from the fresh build."""

    release_dir: Path
    differences: list[str] = field(default_factory=list)
    updated: bool = False


def source_notebooks(root: Path, assignment: str = ASSIGNMENT_ID) -> list[Path]:
    """The notebooks of ``source/<assignment>``; `CourseError` when there are none."""
    folder = root / "source" / assignment
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise CourseError(f"no source notebook: {folder}/*.ipynb matches nothing")
    return notebooks


def lint_source(root: Path, assignment: str = ASSIGNMENT_ID) -> list[LintProblem]:
    """Lint every source notebook of ``assignment`` with the markers configured for nbgrader."""
    config = nbgrader_config(root)
    markers = Markers(
        begin_solution=config.ClearSolutions.get("begin_solution_delimeter", Markers.begin_solution),
        end_solution=config.ClearSolutions.get("end_solution_delimeter", Markers.end_solution),
        begin_hidden_tests=config.ClearHiddenTests.get("begin_test_delimeter", Markers.begin_hidden_tests),
        end_hidden_tests=config.ClearHiddenTests.get("end_test_delimeter", Markers.end_hidden_tests),
    )
    problems: list[LintProblem] = []
    for notebook in source_notebooks(root, assignment):
        problems.extend(lint_file(notebook, markers, label=str(notebook.relative_to(root))))
    return problems


def generate_release(root: Path, assignment: str, workdir: Path, db_url: str | None = None) -> Path:
    """Run nbgrader ``generate_assignment`` on a copy of ``root``'s source inside ``workdir``.

    ``db_url`` is the gradebook that learns the assignment (default: a new one in ``workdir``).
    Returns ``workdir/release/<assignment>``.
    """
    copy_course(root, workdir, (CONFIG_FILE, f"source/{assignment}"))
    config = nbgrader_config(workdir)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    api = nbgrader_api(workdir, config)
    require_success("generate_assignment", api.generate_assignment(assignment, force=True, create=True))
    generated = workdir / "release" / assignment
    # Rewritten by nbformat itself, so the committed bytes are nbformat's canonical layout
    # (sorted keys, final newline) whichever nbconvert writer nbgrader used. The jupytext pairing
    # of the source stays behind: in a student's JupyterLab it would write a .py twin on save.
    for notebook in generated.glob("*.ipynb"):
        student_nb = nbformat.read(notebook, as_version=4)
        student_nb.metadata.pop("jupytext", None)
        nbformat.write(student_nb, notebook)
    return generated


def _notebook_differences(generated: Path, committed: Path) -> list[str]:
    new = nbformat.read(generated, as_version=4)
    old = nbformat.read(committed, as_version=4)
    if len(new.cells) != len(old.cells):
        return [f"{len(old.cells)} cells committed, {len(new.cells)} generated"]
    found = []
    for index, (a, b) in enumerate(zip(new.cells, old.cells)):
        if a != b:
            grade_id = a.metadata.get("nbgrader", {}).get("grade_id")
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            found.append(f"cells[{index}]{f' ({grade_id})' if grade_id else ''}: {', '.join(keys)} changed")
    return found or ["notebook metadata or formatting differs"]


def compare_trees(generated: Path, committed: Path) -> list[str]:
    """Human-readable differences between two release folders (``[]``: byte-identical)."""
    new = {p.relative_to(generated) for p in generated.rglob("*") if p.is_file()}
    old = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()} if committed.is_dir() else set()
    differences = [f"{path}: generated but not committed" for path in sorted(new - old)]
    differences += [f"{path}: committed but no longer generated" for path in sorted(old - new)]
    for path in sorted(new & old):
        if (generated / path).read_bytes() != (committed / path).read_bytes():
            detail = ""
            if path.suffix == ".ipynb":
                detail = " (" + "; ".join(_notebook_differences(generated / path, committed / path)[:5]) + ")"
            differences.append(f"{path}: differs from the committed copy{detail}")
    return differences


def release(root: Path, assignment: str = ASSIGNMENT_ID, *, check: bool = False) -> ReleaseOutcome:
    """Lint, generate and compare the release of ``assignment`` (see the module docstring).

    Raises `LintFailed` (nothing generated) when the source has metadata problems and
    `CourseError` when nbgrader fails.
    """
    problems = lint_source(root, assignment)
    if problems:
        raise LintFailed(problems)
    committed = root / "release" / assignment
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        generated = generate_release(root, assignment, Path(tmp), None if check else course_directory(root).db_url)
        outcome = ReleaseOutcome(committed, compare_trees(generated, committed))
        if outcome.differences and not check:
            if committed.exists():
                shutil.rmtree(committed)
            shutil.copytree(generated, committed, copy_function=shutil.copyfile)
            outcome.updated = True
    return outcome


def register_assignment(root: Path, workdir: Path, assignment: str = ASSIGNMENT_ID) -> tuple[Path, list[str]]:
    """Make the course's gradebook know ``assignment`` as the current source defines it.

    Autograde restores grade cells and compares checksums from the gradebook, so it must hold
    the current source. The release is generated inside ``workdir`` (``release/`` is not
    touched). Returns that generated release folder and how the committed release differs from
    it (``[]`` when it matches), so the caller can warn that students got another notebook.
    Raises `LintFailed` when the source has metadata problems (nothing is registered then).
    """
    problems = lint_source(root, assignment)
    if problems:
        raise LintFailed(problems)
    generated = generate_release(root, assignment, workdir, course_directory(root).db_url)
    return generated, compare_trees(generated, root / "release" / assignment)
