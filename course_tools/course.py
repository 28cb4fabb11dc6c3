"""The course on disk: its nbgrader configuration and nbgrader's API over it (its fixed names: `course_tools.facts`).

Every instructor command works on a *course root*: the folder holding ``nbgrader_config.py``,
``source/``, ``release/``, ``submitted/``, ``autograded/``, ``feedback/`` and ``gradebook.db``.
nbgrader itself only reads ``nbgrader_config.py`` from the current directory; these helpers load
it from the course root explicitly, so the commands work from any directory and on temporary
copies of the course (the tests grade in such copies).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"


class CourseError(RuntimeError):
    """A command cannot run on this course (missing file, failed nbgrader step); says why."""


def course_root(path: str | os.PathLike[str] | None = None) -> Path:
    """The absolute course root: ``path`` (default: the current directory).

    Raises `CourseError` when the folder has no ``nbgrader_config.py``.
    """
    root = Path(path if path is not None else os.getcwd()).resolve()
    if not (root / CONFIG_FILE).is_file():
        raise CourseError(f"{root} is not a course root: it has no {CONFIG_FILE}")
    return root


def copy_course(root: Path, destination: Path, parts: tuple[str, ...] = (CONFIG_FILE, "source", "release")) -> Path:
    """Copy the instructor's files of a course (``parts`` that exist) into ``destination``.

    Gradebook, submissions and results are not copied: the copy is a fresh course to run the
    pipeline in without touching the original (the tests and experiments do this).
    """
    destination.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = root / part
        if source.is_dir():
            shutil.copytree(
                source, destination / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
            )
        elif source.is_file():
            shutil.copy2(source, destination / part)
    return destination


def ensure_tools_on_path() -> None:
    """Put this interpreter's ``bin`` first on PATH when ``alembic`` is not reachable.

    nbgrader runs the ``alembic`` executable when it creates a gradebook; in a venv that was not
    activated (``.venv/bin/python -m course_tools``) it would not be found.
    """
    if shutil.which("alembic") is None:
        bin_dir = str(Path(sys.executable).parent)
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def nbgrader_config(root: Path) -> Config:
    """The course's ``nbgrader_config.py`` loaded as a traitlets `Config`, rooted at ``root``."""
    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def nbgrader_api(root: Path, config: Config | None = None) -> NbGraderAPI:
    """nbgrader's high-level API on the course at ``root`` (``config``: default, the course's)."""
    ensure_tools_on_path()
    return NbGraderAPI(config=nbgrader_config(root) if config is None else config)


def require_success(step: str, result: dict) -> None:
    """Raise `CourseError` with nbgrader's error and log when an `NbGraderAPI` call failed."""
    if not result.get("success"):
        detail = result.get("error") or result.get("log") or "no details"
        raise CourseError(f"nbgrader {step} failed:\n{detail}")


def course_directory(root: Path, config: Config | None = None) -> CourseDirectory:
    """nbgrader's view of the course's folders, gradebook URL and course id."""
    return CourseDirectory(config=nbgrader_config(root) if config is None else config)


def open_gradebook(root: Path, config: Config | None = None) -> Gradebook:
    """The course's gradebook (a context manager), using the configured ``db_url`` and course id."""
    ensure_tools_on_path()
    coursedir = course_directory(root, config)
    return Gradebook(coursedir.db_url, coursedir.course_id)
