"""Run one ``nbgrader autograde`` in a process of its own, stopped at a deadline.

Importing nbgrader costs about two CPU seconds (nbformat -> jsonschema -> rfc3987_syntax builds
a grammar at import), more than grading a small notebook. So the process is forked from a
*warm* fork server that imported nbgrader once (multiprocessing's ``forkserver`` with preloaded
modules): each submission still gets a fresh process of its own, which a crash or a kill ends
without touching the orchestrator, but skips the imports. Where children cannot be forked (a
daemonic worker process, e.g. some Dask worker setups) it falls back to a cold
``python -m nbgrader autograde`` subprocess, which behaves the same, only slower.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from multiprocessing.context import ForkServerContext
from pathlib import Path

from ..nbgrader_plugins.incidents import REPORT_ENV
from ..sandbox.processes import kill_process_group

_PRELOAD = [
    "nbgrader.apps.autogradeapp",
    "nbgrader.preprocessors",
    "nbconvert.preprocessors",
    "course_tools.grading.nbgrader_plugins.execute",
    "course_tools.grading.nbgrader_plugins.metadata_check",
    "course_tools.grading.nbgrader_plugins.profile",
    "course_tools.grading.nbgrader_plugins.sanitize",
    "course_tools.grading.orchestrator.config",
]
_PR_SET_PDEATHSIG = 1
# The cold child sets the same death signal first thing, before any slow import (its parent's
# pid is argv[1], in case the parent died before the signal was set).
_COLD_BOOTSTRAP = (
    "import ctypes, os, runpy, signal, sys\n"
    f"ctypes.CDLL(None).prctl({_PR_SET_PDEATHSIG}, signal.SIGKILL)\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit('the grading worker ended before nbgrader started')\n"
    "sys.argv = ['nbgrader', *sys.argv[2:]]\n"
    "runpy.run_module('nbgrader', run_name='__main__')\n"
)
_context_lock = threading.Lock()
_context: ForkServerContext | None = None


def autograde_argv(assignment: str, student: str, notebook: str | None, options: tuple[str, ...] = ()) -> list[str]:
    """Arguments of ``nbgrader autograde`` for one student (and optionally one notebook).

    ``options``: further ``--Class.setting=value`` arguments (e.g. the accepted unsafe mode)."""
    argv = [assignment, f"--student={student}", "--force", *options]
    return argv + ([f"--notebook={notebook}"] if notebook is not None else [])


def run_autograde(
    course_root: Path, argv: list[str], report: Path, log: Path, timeout_s: float, *, warm: bool = True
) -> int | None:
    """Run ``nbgrader autograde ARGV`` from ``course_root``; its exit status, None on timeout.

    Its output goes to ``log``; ``report`` is the incident file (incidents.REPORT_ENV). On
    timeout the process group is killed (kernels run in their own sessions: see orchestrate).
    ``warm=False`` forces the cold subprocess.
    """
    if warm and not multiprocessing.current_process().daemon:
        return _run_warm(course_root, argv, report, log, timeout_s)
    return _run_cold(course_root, argv, report, log, timeout_s)


def _environment_updates(report: Path) -> dict[str, str]:
    # nbgrader shells out to alembic, which lives beside this interpreter.
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    return {REPORT_ENV: str(report), "PATH": path}


def _warm_context() -> ForkServerContext:
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _context = context
        return _context


def die_with_parent() -> None:
    """Have Linux SIGKILL this process when its parent dies (PR_SET_PDEATHSIG).

    A Dask worker killed mid-run must not leave its autograde writing the private course while
    the rescheduled job grades the same submission again elsewhere (bwrap already dies with it).
    """
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _child(course_root: str, argv: list[str], report: str, log: str) -> None:
    """Body of a warm child: become a session leader, log to ``log``, run nbgrader's app."""
    die_with_parent()
    os.setsid()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.chdir(course_root)
    os.environ.update(_environment_updates(Path(report)))
    from nbgrader.apps.autogradeapp import AutogradeApp

    AutogradeApp.launch_instance(argv=argv)


def _run_warm(course_root: Path, argv: list[str], report: Path, log: Path, timeout_s: float) -> int | None:
    process = _warm_context().Process(target=_child, args=(str(course_root), argv, str(report), str(log)))
    process.start()
    process.join(timeout_s)
    if process.exitcode is None:
        if process.pid is not None:  # always set once started; the child leads its own group
            kill_process_group(process.pid)
        process.kill()
        process.join()
        return None
    return process.exitcode


def _run_cold(course_root: Path, argv: list[str], report: Path, log: Path, timeout_s: float) -> int | None:
    env = {**os.environ, **_environment_updates(report)}
    with open(log, "ab") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-c", _COLD_BOOTSTRAP, str(os.getpid()), "autograde", *argv],
            cwd=course_root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            return process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            kill_process_group(process.pid)
            process.wait()
            return None
