"""The course's local Unix accounts on the hub machine: who they are and how they are created.

Graders (the instructor and a teaching assistant) share the group `GRADERS_GROUP`, which owns the
course folder; it is their primary group, so what their servers create in the course or the
exchange is the graders' and nobody else's. Students each have a private group of their own.
Accounts are created once; running again finds them and changes nothing but the home folders'
mode (0700: another user reads nothing there).
"""

from __future__ import annotations

import grp
import os
import pwd
import subprocess
from dataclasses import dataclass
from pathlib import Path

from course_tools.course import CourseError

GRADERS_GROUP = "tinytorch-graders"


@dataclass(frozen=True)
class Account:
    """One hub user: the Unix name (also the nbgrader student id of a student) and the role."""

    name: str
    grader: bool


INSTRUCTOR = Account("tt-instructor", grader=True)
TEACHING_ASSISTANT = Account("tt-ta", grader=True)
STUDENTS = (Account("tt-ada", grader=False), Account("tt-grace", grader=False), Account("tt-alan", grader=False))
ACCOUNTS = (INSTRUCTOR, TEACHING_ASSISTANT, *STUDENTS)


def require_root(purpose: str) -> None:
    """Raise `CourseError` saying what root is needed for, unless this process is root."""
    if os.geteuid() != 0:
        raise CourseError(
            f"{purpose} needs root: it creates the course's Unix accounts ({', '.join(a.name for a in ACCOUNTS)}), "
            "the shared folders under /srv and /opt, and JupyterHub's LocalProcessSpawner starts each user's "
            "server as that user. Run it as root (e.g. `sudo make hub`) on a machine where that is acceptable."
        )


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(f"`{' '.join(command)}` failed: {(result.stdout + result.stderr).strip()}")


def ensure_accounts(accounts: tuple[Account, ...] = ACCOUNTS) -> None:
    """Create the graders' group and every missing account (home 0700, bash, no password)."""
    try:
        grp.getgrnam(GRADERS_GROUP)
    except KeyError:
        _run(["groupadd", "--system", GRADERS_GROUP])
    for account in accounts:
        try:
            entry = pwd.getpwnam(account.name)
        except KeyError:
            group = ["--gid", GRADERS_GROUP] if account.grader else ["--user-group"]
            _run(["useradd", "--create-home", "--shell", "/bin/bash", *group, account.name])
            entry = pwd.getpwnam(account.name)
        Path(entry.pw_dir).chmod(0o700)


def uid(account: Account) -> int:
    return pwd.getpwnam(account.name).pw_uid


def graders_gid() -> int:
    return grp.getgrnam(GRADERS_GROUP).gr_gid
