"""nbgrader's exchange, driven with nbgrader's own commands, for the instructor and for students.

The exchange is a folder (``Exchange.root`` in ``nbgrader_config.py``: ``exchange/`` in the
course by default, a shared path such as ``/srv/nbgrader/exchange`` on a JupyterHub) where the
instructor's ``release_assignment`` leaves the notebook, students' ``fetch_assignment`` /
``submit`` pick it up and hand it in, ``collect`` copies submissions into ``submitted/`` (with
nbgrader's ``timestamp.txt``, which autograde uses for late submissions), and
``release_feedback`` / ``fetch_feedback`` return the feedback HTML.

Students run nbgrader in their own folder (their notebook server's root) with no course config
of their own: `Student` passes the course id, exchange root and student id on the command line.
(Without ``--student`` nbgrader names the submission after the OS user, as for each Hub user;
the sample students of the demo and tests all run as one OS user, so each also gets its own
``Exchange.cache``, where nbgrader records a student's submissions to match feedback to them.)
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from course_tools.course import CourseError, ensure_tools_on_path, nbgrader_config
from course_tools.facts import ASSIGNMENT_ID


def exchange_root(root: Path) -> Path:
    """The exchange folder the course at ``root`` is configured with."""
    configured = nbgrader_config(root).Exchange.get("root")
    if not configured:
        raise CourseError(f"{root}/nbgrader_config.py sets no c.Exchange.root")
    return Path(configured)


def ensure_exchange(path: Path) -> Path:
    """Create the exchange folder when missing, writable by every user (sticky, like /tmp)."""
    if not path.is_dir():
        path.mkdir(parents=True)
        path.chmod(0o1777)
    return path


def run_nbgrader(args: list[str], cwd: Path) -> str:
    """Run ``nbgrader <args>`` in ``cwd``; return its log. `CourseError` with the log when it fails."""
    ensure_tools_on_path()
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    log = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise CourseError(f"`nbgrader {' '.join(args)}` failed in {cwd}:\n{log}")
    return log


class Instructor:
    """The instructor's side: nbgrader commands run from the course root (which reads its config)."""

    def __init__(self, root: Path, exchange: Path | None = None) -> None:
        """``exchange``: override the configured ``Exchange.root`` (tests use a temporary one)."""
        self.root = root
        self.exchange = ensure_exchange(exchange_root(root) if exchange is None else exchange)

    def nbgrader(self, command: str, *args: str) -> str:
        return run_nbgrader([command, *args, f"--Exchange.root={self.exchange}"], self.root)

    def release(self, assignment: str = ASSIGNMENT_ID) -> str:
        """Put ``release/<assignment>`` in the exchange (replacing an earlier release of it)."""
        return self.nbgrader("release_assignment", assignment, "--force")

    def collect(self, assignment: str = ASSIGNMENT_ID) -> str:
        """Copy every student's newest submission into ``submitted/``, with its timestamp."""
        return self.nbgrader("collect", assignment, "--update")

    def release_feedback(self, assignment: str = ASSIGNMENT_ID, student: str | None = None) -> str:
        """Put ``feedback/<student>/<assignment>`` in the exchange for each student (or one) to fetch.

        Only for submissions that came through the exchange: nbgrader stops on a feedback folder
        without the ``timestamp.txt`` that ``collect`` writes (e.g. a notebook copied into
        ``submitted/`` by hand); those students get their HTML from ``feedback/`` another way.
        """
        return self.nbgrader("release_feedback", assignment, *([f"--student={student}"] if student else []))


@dataclass
class Student:
    """One student's side: a home folder (their notebook server root) and a user name."""

    student_id: str
    home: Path
    course_id: str
    exchange: Path

    def nbgrader(self, command: str, *args: str) -> str:
        self.home.mkdir(parents=True, exist_ok=True)
        return run_nbgrader(
            [
                command,
                *args,
                f"--course={self.course_id}",
                f"--student={self.student_id}",
                f"--Exchange.root={self.exchange}",
                f"--Exchange.cache={self.home / '.nbgrader-cache'}",
            ],
            self.home,
        )

    def fetch(self, assignment: str = ASSIGNMENT_ID) -> Path:
        """``fetch_assignment``: the released folder appears as ``home/<assignment>``."""
        self.nbgrader("fetch_assignment", assignment)
        return self.home / assignment

    def submit(self, assignment: str = ASSIGNMENT_ID) -> str:
        """``submit`` ``home/<assignment>`` to the exchange (nbgrader stamps the time)."""
        return self.nbgrader("submit", assignment)

    def fetch_feedback(self, assignment: str = ASSIGNMENT_ID) -> list[Path]:
        """``fetch_feedback``: the feedback HTML files now in ``home/<assignment>/feedback/``."""
        self.nbgrader("fetch_feedback", assignment)
        return sorted((self.home / assignment / "feedback").glob("*/*.html"))
