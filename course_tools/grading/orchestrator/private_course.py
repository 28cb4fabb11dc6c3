"""Each autograde runs in a private copy of the course; only the orchestrator writes the real one.

Defence in depth behind the kernel's isolation: if a kernel ever reaches its autograde process's
files, all it finds is a throw-away course holding one student's submission, the data files of
the assignment and a copy of the gradebook. The orchestrator then

- `stage_run`: before any student code runs, snapshots the real gradebook (SQLite backup) and
  every submission into a grader-only folder (``0700``), one private course per student; links in
  a submission are left out (nbgrader's autograde copies the files they point to, as the grader,
  into the autograded folder the kernel works in);
- `import_result`: copies each finished submission's grades (nbgrader's automatic fields: what
  ``autograde`` itself writes), its ``autograded/`` folder and log into the real course;
- `verify_and_repair`: after every import and at the end, checks the real gradebook (readable,
  intact, assignment present, every imported score still there) and the imported ``autograded/``
  folders and submissions; whatever was lost is restored from the snapshot and the private results
  (kept until the run ends) are imported again, and the run reports whom it had to repair.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import sqlite3
import tempfile
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.utils import find_all_files
from sqlalchemy.exc import SAWarning

from course_tools.course import CONFIG_FILE

from .config import CourseSettings


@dataclass
class RunStaging:
    """The grader-only folder of one run: gradebook snapshot, private courses, what was imported."""

    folder: Path
    snapshot: Path
    courses: dict[str, CourseSettings] = field(default_factory=dict)
    imported: dict[str, CourseSettings] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)


def sqlite_path(db_url: str) -> Path | None:
    """The file of an ``sqlite:///`` URL (query string dropped); None for other databases."""
    if not db_url.startswith("sqlite:///"):
        return None
    return Path(db_url[len("sqlite:///") :].split("?", 1)[0])


def stage_run(settings: CourseSettings, assignment: str, students: list[str]) -> RunStaging:
    """Snapshot the gradebook and make each student's private course (``courses``, by student)."""
    real_db = sqlite_path(settings.db_url)
    if real_db is None:
        raise ValueError(f"private grading copies need an SQLite gradebook, not {settings.db_url}")
    odd = [s for s in students if s in ("", ".", "..") or s != Path(s).name]
    if odd:
        raise ValueError(f"student ids must be plain folder names, got {odd}")
    folder = Path(tempfile.mkdtemp(prefix="grading-run-"))
    staging = RunStaging(folder, folder / "gradebook-snapshot.db")
    _backup(real_db, staging.snapshot)
    source = settings.root / settings.source_dir / assignment
    data_files = (
        [Path(f) for f in find_all_files(str(source), list(settings.ignore) + ["*.ipynb"])] if source.is_dir() else []
    )
    for student in students:
        root = folder / student / "course"
        (root / settings.source_dir).mkdir(parents=True)
        shutil.copyfile(settings.root / CONFIG_FILE, root / CONFIG_FILE)
        shutil.copyfile(staging.snapshot, root / "gradebook.db")
        submitted = settings.submission_dir(student, assignment)
        if submitted.is_dir():
            shutil.copytree(
                submitted, root / settings.submitted_dir / student / assignment, symlinks=True, ignore=_links
            )
        for data in data_files:
            target = root / settings.source_dir / assignment / data.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(data, target)
        staging.courses[student] = replace(settings, root=root, db_url=f"sqlite:///{root / 'gradebook.db'}?timeout=60")
    return staging


def _links(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if os.path.islink(os.path.join(folder, name))]


def private_options(private: CourseSettings) -> tuple[str, ...]:
    """nbgrader options that pin an autograde to its private course, whatever the config file says."""
    return (f"--CourseDirectory.root={private.root}", f"--CourseDirectory.db_url={private.db_url}")


def import_result(
    settings: CourseSettings, staging: RunStaging, private: CourseSettings, assignment: str, student: str
) -> None:
    """Copy one finished submission from its private course into the real one (module docstring)."""
    staging.scores[student] = _copy_grades(private, settings, assignment, student)
    staging.imported[student] = private
    _copy_autograded(private, settings, assignment, student)


def verify_and_repair(settings: CourseSettings, staging: RunStaging, assignment: str, *, files: bool) -> list[str]:
    """Check the real gradebook (and with ``files`` the autograded folders and submissions, slower);
    restore what was lost. Returns the students whose results had to be restored, sorted."""
    repaired = set()
    if not _gradebook_healthy(settings, staging, assignment):
        real_db = sqlite_path(settings.db_url)
        assert real_db is not None, "staging is only done for SQLite gradebooks"
        if real_db.exists():
            real_db.rename(real_db.with_name(f"{real_db.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"))
        _backup(staging.snapshot, real_db)
        for student, private in staging.imported.items():
            _copy_grades(private, settings, assignment, student)
            repaired.add(student)
    if not files:
        return sorted(repaired)
    for student, private in staging.imported.items():
        ours = private.autograded_path(student, assignment)
        theirs = settings.autograded_path(student, assignment)
        if ours.is_dir() and _differs(ours, theirs):
            _copy_autograded(private, settings, assignment, student)
            repaired.add(student)
    for student, private in staging.courses.items():
        original = private.submission_dir(student, assignment)
        if original.is_dir() and _differs(original, settings.submission_dir(student, assignment)):
            shutil.copytree(original, settings.submission_dir(student, assignment), symlinks=True, dirs_exist_ok=True)
            repaired.add(student)
    return sorted(repaired)


def close(staging: RunStaging) -> None:
    shutil.rmtree(staging.folder, ignore_errors=True)


def _backup(source: Path, destination: Path) -> None:
    """A consistent copy of an SQLite database, even while another process writes it."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=60) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    os.chmod(destination, 0o600)


def _differs(ours: Path, theirs: Path) -> bool:
    """True when a file under ``ours`` is missing or different under ``theirs``."""
    for path in ours.rglob("*"):
        if path.is_file() and not path.is_symlink():
            other = theirs / path.relative_to(ours)
            if not other.is_file() or not filecmp.cmp(path, other, shallow=False):
                return True
    return False


def _gradebook_healthy(settings: CourseSettings, staging: RunStaging, assignment: str) -> bool:
    real_db = sqlite_path(settings.db_url)
    try:
        with sqlite3.connect(f"file:{real_db}?mode=ro", uri=True, timeout=60) as connection:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return False
        connection.close()
        with Gradebook(settings.db_url, settings.course_id) as gradebook:
            # One query for every score (not one per student): this check runs after each
            # submission, so per-student queries made a large class quadratic in round trips.
            held = {
                submission.student_id: float(submission.score or 0.0)
                for submission in gradebook.find_assignment(assignment).submissions
            }
            return all(held.get(student) == score for student, score in staging.scores.items())
    except Exception:  # missing file, not a database, no tables, no assignment or submission: "lost"
        return False


def _copy_grades(private: CourseSettings, settings: CourseSettings, assignment: str, student: str) -> float:
    """The automatic fields nbgrader's autograde writes, from the private gradebook to the real one.

    Returns the submission's score as the real gradebook now holds it."""
    with (
        warnings.catch_warnings(),
        Gradebook(private.db_url, private.course_id) as source,
        Gradebook(settings.db_url, settings.course_id) as target,
    ):
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's submission creation trips SQLAlchemy 2
        submission = source.find_submission(assignment, student)
        target.update_or_create_student(student)
        copied = target.update_or_create_submission(assignment, student, timestamp=submission.timestamp)
        copied.extension = submission.extension
        for notebook in submission.notebooks:
            into = target.find_submission_notebook(notebook.name, assignment, student)
            into.flagged = notebook.flagged
            into.late_submission_penalty = notebook.late_submission_penalty
            grades = {grade.name: grade for grade in into.grades}
            for grade in notebook.grades:
                grades[grade.name].auto_score = grade.auto_score
                grades[grade.name].needs_manual_grade = grade.needs_manual_grade
            comments = {comment.name: comment for comment in into.comments}
            for comment in notebook.comments:
                comments[comment.name].auto_comment = comment.auto_comment
        target.db.commit()
        return float(copied.score or 0.0)


def _copy_autograded(private: CourseSettings, settings: CourseSettings, assignment: str, student: str) -> None:
    """Replace the student's autograded folder and log with the private run's (or remove them)."""
    for name in (assignment, f"{assignment}.grading.log"):
        ours, theirs = private.autograded_path(student, "") / name, settings.autograded_path(student, "") / name
        if theirs.is_dir() and not theirs.is_symlink():
            shutil.rmtree(theirs)
        elif theirs.exists() or theirs.is_symlink():
            theirs.unlink()
        if ours.is_dir():
            shutil.copytree(ours, theirs, symlinks=True)
        elif ours.is_file():
            theirs.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ours, theirs)
