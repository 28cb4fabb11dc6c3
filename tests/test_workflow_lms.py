"""``nbgrader zip_collect`` of a Canvas-style download with the course's config: what cannot be
mapped to a student stops the run naming the file, and nothing in ``submitted/`` is overwritten."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from course_tools.course import CourseError, copy_course
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.exchange import run_nbgrader

COURSE = Path(__file__).resolve().parents[1]


@pytest.fixture
def course(tmp_path):
    return copy_course(COURSE, tmp_path / "course")


def download(course: Path, files: dict[str, str]) -> None:
    """Replace the LMS download by a zip holding ``files`` ({name in zip: text})."""
    folder = course / "downloaded" / ASSIGNMENT_ID
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "archive").mkdir(parents=True)
    with zipfile.ZipFile(folder / "archive" / "submissions.zip", "w") as bundle:
        for name, text in files.items():
            bundle.writestr(name, text)


def notebook_text(marker: str) -> str:
    nb = nbformat.read(COURSE / "release" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb", as_version=4)
    nb.cells[0].source += f"\n\n{marker}"
    return nbformat.writes(nb)


def test_canvas_names_map_to_students(course):
    download(course, {"lovelaceada_40123_778101_capstone.ipynb": notebook_text("ada"),
                      "hopper_LATE_40124_778102_capstone-2.ipynb": notebook_text("grace")})
    run_nbgrader(["zip_collect", ASSIGNMENT_ID], course)
    for student, marker in (("lovelaceada", "ada"), ("hopper", "grace")):
        path = course / "submitted" / student / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
        assert path.read_text(encoding="utf-8").count(marker) >= 1, student


@pytest.mark.parametrize("name", ["capstone.ipynb", "lovelaceada_capstone.ipynb", "lovelaceada_40123_778101_notes.ipynb",
                                  "lovelaceada_40123_778101_capstone.py"])
def test_a_file_that_maps_to_no_student_stops_the_run_naming_it(course, name):
    download(course, {"hopper_40124_778102_capstone.ipynb": notebook_text("grace"), name: notebook_text("x")})
    with pytest.raises(CourseError, match=rf"cannot map \S*{name.replace('.', '[.]')} to a student"):
        run_nbgrader(["zip_collect", ASSIGNMENT_ID], course)
    assert not (course / "submitted").exists() or not any((course / "submitted").iterdir()), "nothing copied"


def test_a_second_download_never_overwrites_a_collected_submission(course):
    download(course, {"hopper_40124_778102_capstone.ipynb": notebook_text("first upload")})
    run_nbgrader(["zip_collect", ASSIGNMENT_ID], course)
    collected = course / "submitted" / "hopper" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
    before = collected.read_bytes()
    download(course, {"hopper_40124_778109_capstone.ipynb": notebook_text("second upload")})
    with pytest.raises(CourseError, match=r"(?s)Directory not empty: .*submitted/hopper/20_capstone.*--force"):
        run_nbgrader(["zip_collect", ASSIGNMENT_ID], course)
    assert collected.read_bytes() == before
