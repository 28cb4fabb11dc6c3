"""``release``: lint, generate with nbgrader, compare with the committed copy; byte-reproducible."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_tools.course import copy_course
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.feedback import normalise_line, split_hidden_region
from course_tools.release import LintFailed, release

COURSE = Path(__file__).resolve().parents[1]
RELEASED = Path("release") / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
SOURCE = Path("source") / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"


def course_tools(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course_tools", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the course's source, released once."""
    root = copy_course(COURSE, tmp_path_factory.mktemp("course"), ("nbgrader_config.py", "source"))
    first = release(root)
    assert first.updated and first.differences == [f"{NOTEBOOK_ID}.ipynb: generated but not committed"]
    return root


def test_release_holds_the_student_notebook_only(course):
    files = sorted(p.name for p in (course / "release" / ASSIGNMENT_ID).iterdir())
    assert files == [f"{NOTEBOOK_ID}.ipynb"], "the jupytext twin (with solutions) must not be released"


def test_release_is_byte_reproducible(course):
    assert release(course, check=True).differences == []


def _region_lines(nb, begin: str, end: str, meta_flag: str) -> set[str]:
    lines = set()
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get(meta_flag):
            lines |= {normalise_line(line) for line in split_hidden_region(cell.source, begin, end, "")[1]}
    return lines


def test_release_has_no_solution_or_hidden_test_text(course):
    source = nbformat.read(course / SOURCE, as_version=4)
    released = nbformat.read(course / RELEASED, as_version=4)
    released_text = {normalise_line(line) for cell in released.cells for line in cell.source.splitlines()}
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert not any(marker in line for line in released_text), marker
    outside = {normalise_line(line) for cell in source.cells for line in
               split_hidden_region(split_hidden_region(cell.source, "BEGIN SOLUTION", "END SOLUTION", "")[0],
                                   "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "")[0].splitlines()}
    secret = (_region_lines(source, "BEGIN SOLUTION", "END SOLUTION", "solution")
              | _region_lines(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "grade")) - outside - {""}
    assert secret, "the source notebook has no solution or hidden test regions"
    leaked = sorted(secret & released_text)
    assert not leaked, leaked[:5]


def test_check_names_the_drifted_cell_and_release_restores_it(course):
    path = course / RELEASED
    original = path.read_bytes()
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    grade_id = nb.cells[index].metadata.nbgrader.grade_id
    nb.cells[index].source += "\nprint('edited by hand')"
    nbformat.write(nb, path)

    result = course_tools("--course", str(course), "release", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"cells[{index}] ({grade_id}): source changed" in result.stdout
    assert "release --check" in result.stdout

    assert release(course).updated
    assert path.read_bytes() == original
    assert course_tools("--course", str(course), "release", "--check").returncode == 0


def test_lint_problems_stop_the_release_and_name_the_cell(tmp_path):
    root = copy_course(COURSE, tmp_path, ("nbgrader_config.py", "source"))
    nb = nbformat.read(root / SOURCE, as_version=4)
    grade_cells = [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")
                   and c.cell_type == "code"]
    first, second = grade_cells[:2]
    nb.cells[second].metadata.nbgrader.grade_id = nb.cells[first].metadata.nbgrader.grade_id
    del nb.cells[first].metadata.nbgrader["points"]
    nbformat.write(nb, root / SOURCE)

    with pytest.raises(LintFailed) as failure:
        release(root)
    messages = [str(problem) for problem in failure.value.problems]
    assert any(f"cells[{first}]" in m and "positive points" in m for m in messages), messages
    assert any(f"cells[{second}]" in m and f"already used by cells[{first}]" in m for m in messages), messages
    assert not (root / "release").exists()

    result = course_tools("--course", str(root), "lint")
    assert result.returncode == 1 and "lint: 2 problem(s)" in result.stdout


def test_commands_refuse_a_folder_that_is_not_a_course(tmp_path):
    result = course_tools("--course", str(tmp_path), "release", "--check")
    assert result.returncode == 1 and "is not a course root" in result.stderr


def test_committed_release_is_what_the_source_generates():
    result = course_tools("--course", str(COURSE), "release", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_carries_no_jupytext_pairing(course):
    assert "jupytext" in nbformat.read(course / SOURCE, as_version=4).metadata, "the source is paired (the test's premise)"
    assert "jupytext" not in nbformat.read(course / RELEASED, as_version=4).metadata, (
        "the student notebook must not be paired: JupyterLab would write a capstone.py beside it on save")
