"""Each hub user's server: ``python -m course_tools.hub.launch [singleuser args]``, as that user.

JupyterHub's spawner starts this (already as the user, in the users' environment); it sets what
differs by role and replaces itself with ``jupyterhub-singleuser``:

- grader (instructor, teaching assistant): working folder and server root = the shared course, so
  Formgrader finds it and reads its ``nbgrader_config.py``; umask 007, so the other grader can
  write the gradebook and folders this one creates (the course folder keeps the graders' group);
  ``JUPYTER_CONFIG_PATH`` adds the graders' config, which lets JupyterLab show Formgrader in a frame.
- student: the home folder; ``JUPYTER_CONFIG_DIR`` = the students' config (course, exchange,
  instructor extensions off, `course_tools.lab.write_student_config`); umask 077, so nothing a
  student writes at home is readable by others (nbgrader sets the modes of submissions itself).

Both: PATH starts with the users' environment (terminals find ``python``, ``nbgrader`` and the
``alembic`` nbgrader runs), and nothing of the hub's own environment (run by root) is passed on.
"""

from __future__ import annotations

import os
import pwd
import sys
from pathlib import Path

from course_tools.hub.layout import load_layout
from course_tools.lab import KERNEL_WEBSOCKET_LEGACY

BASE_VARIABLE = "TINYTORCH_HUB_BASE"


def main() -> None:
    layout = load_layout(Path(os.environ[BASE_VARIABLE]))
    user = pwd.getpwuid(os.getuid())
    arguments = list(sys.argv[1:])
    for variable in ("VIRTUAL_ENV", "PYTHONPATH"):
        os.environ.pop(variable, None)
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"])
    if user.pw_name in layout["graders"]:
        os.umask(0o007)
        course = str(layout["course"])
        os.chdir(course)
        os.environ["JUPYTER_CONFIG_PATH"] = str(layout["grader_config"])
        arguments.append(f"--ServerApp.root_dir={course}")
    else:
        os.umask(0o077)
        os.chdir(user.pw_dir)
        os.environ["JUPYTER_CONFIG_DIR"] = str(layout["student_config"])
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub.singleuser", *arguments, *KERNEL_WEBSOCKET_LEGACY])


if __name__ == "__main__":
    main()
