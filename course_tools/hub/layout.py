"""The hub's folders on disk and their owners and modes, set up by `prepare` (idempotent).

| path | owner:group mode | holds |
| --- | --- | --- |
| ``<base>/state`` | root 0700 | JupyterHub's database, cookie secret, the demo password |
| ``<base>/course`` | instructor:graders 2770 (files 0660) | the course root: config, ``source/``, ``release/``, gradebook, submissions |
| ``<base>/student-config`` | root 0755 | the students' Jupyter config: course, exchange, no instructor extensions |
| ``<base>/grader-config`` | root 0755 | the graders' extra Jupyter config: JupyterLab may frame Formgrader |
| ``<base>/layout.json`` | root 0644 | these paths, read by each user's server launcher (`course_tools.hub.launch`) |
| exchange (``/srv/nbgrader/exchange``) | root 1777 | nbgrader's exchange; nbgrader sets the modes of what it creates inside |

The course is copied from the checkout the first time only: later runs keep its gradebook and
submissions. The graders' group is the course's group and their primary group (setgid folders
keep it on everything created inside), and both graders' servers run with umask 007, so either
grader can write what the other created (the SQLite gradebook and its journal included).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_tools.course import CONFIG_FILE, CourseError, copy_course, nbgrader_config
from course_tools.hub.accounts import ACCOUNTS, INSTRUCTOR, graders_gid, uid
from course_tools.lab import write_student_config

DEFAULT_BASE = Path("/srv/tinytorch-hub")
DEFAULT_EXCHANGE = Path("/srv/nbgrader/exchange")
LAYOUT_FILE = "layout.json"
GRADER_CSP = "frame-ancestors 'self'"

HUB_CONFIG_SECTION = """
# ---------------------------------------------------------------------------------------------
# Added by `make hub` (course_tools.hub.layout): this course on a JupyterHub
# ---------------------------------------------------------------------------------------------

# The exchange every hub user reaches, instead of exchange/ inside this (graders-only) folder.
c.Exchange.root = {exchange!r}

# Two graders share this course: nbgrader makes what it writes here and in the exchange writable by
# the group (the graders' group, which owns this folder), and lets the group list the inbound folder.
c.CourseDirectory.groupshared = True
"""


@dataclass(frozen=True)
class HubLayout:
    """Where one hub keeps its course, exchange, state and the users' environment."""

    base: Path = DEFAULT_BASE
    exchange: Path = DEFAULT_EXCHANGE

    @property
    def state(self) -> Path:
        return self.base / "state"

    @property
    def course(self) -> Path:
        return self.base / "course"

    @property
    def student_config(self) -> Path:
        return self.base / "student-config"

    @property
    def grader_config(self) -> Path:
        return self.base / "grader-config"

    @property
    def password_file(self) -> Path:
        return self.state / "user-password"

    def password(self) -> str:
        """The shared password of the demo authenticator (generated on the first run, kept)."""
        if not self.password_file.is_file():
            self.password_file.write_text(secrets.token_urlsafe(12))
            self.password_file.chmod(0o600)
        return self.password_file.read_text().strip()

    def prepare(self, checkout: Path, user_python: Path) -> None:
        """Create or repair every folder of the table above (root only; accounts must exist)."""
        for folder, mode in (
            (self.base, 0o755),
            (self.state, 0o700),
            (self.student_config, 0o755),
            (self.grader_config, 0o755),
        ):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(mode)
        if not self.exchange.is_dir():
            self.exchange.mkdir(parents=True)
        # Everyone creates their course folder and submissions here; the sticky bit stops a
        # student from renaming or deleting another user's folder (nbgrader checks only 0777).
        self.exchange.chmod(0o1777)
        for shared in (self.base, self.exchange):
            require_traversable(shared)
        self._prepare_course(checkout)
        config = nbgrader_config(self.course)
        write_student_config(self.student_config, config.CourseDirectory.course_id, self.exchange)
        # Jupyter moves a user's old ~/.ipython settings into their config folder once and marks
        # it done there; this folder is shared and read-only, so it is marked done from the start.
        (self.student_config / "migrated").write_text("")
        # JupyterHub's servers forbid being framed by anything (frame-ancestors 'none'), and
        # JupyterLab shows Formgrader in a frame: the graders' servers allow their own pages again.
        (self.grader_config / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"tornado_settings": {"headers": {"Content-Security-Policy": GRADER_CSP}}}})
        )
        (self.base / LAYOUT_FILE).write_text(
            json.dumps(
                {
                    "course": str(self.course),
                    "student_config": str(self.student_config),
                    "grader_config": str(self.grader_config),
                    "graders": [a.name for a in ACCOUNTS if a.grader],
                    "user_python": str(user_python),
                },
                indent=1,
            )
        )

    def _prepare_course(self, checkout: Path) -> None:
        if not (self.course / CONFIG_FILE).is_file():
            with tempfile.TemporaryDirectory() as scratch:
                staged = copy_course(checkout, Path(scratch) / "course")
                with open(staged / CONFIG_FILE, "a", encoding="utf-8") as config:
                    config.write(HUB_CONFIG_SECTION.format(exchange=str(self.exchange)))
                register_in(staged)
                shutil.copytree(staged, self.course, dirs_exist_ok=True)
        owner, group = uid(INSTRUCTOR), graders_gid()
        for folder, _, files in os.walk(self.course):
            os.chown(folder, owner, group)
            os.chmod(folder, 0o2770)
            for name in files:
                path = os.path.join(folder, name)
                os.chown(path, owner, group)
                os.chmod(path, 0o660)


def require_traversable(folder: Path) -> None:
    """Raise `CourseError` when another user cannot reach ``folder`` (a parent lacks o+x)."""
    for parent in folder.parents:
        if not parent.stat().st_mode & 0o001:
            raise CourseError(
                f"{folder} is not reachable by the hub's users: {parent} is not traversable by others "
                f"(chmod o+x {parent}, or choose a folder under /srv)"
            )


def register_in(course: Path) -> None:
    """Register the assignment in ``course``'s new gradebook (Formgrader lists it from there)."""
    from course_tools.release import register_assignment

    with tempfile.TemporaryDirectory() as workdir:
        register_assignment(course, Path(workdir))


def load_layout(base: Path) -> dict[str, Any]:
    """What `prepare` wrote for the servers' launcher: course, student and grader config, graders, user_python."""
    layout: dict[str, Any] = json.loads((base / LAYOUT_FILE).read_text())
    return layout
