"""Ending every process a submission started, whatever it did to hide them."""

from __future__ import annotations

import os
import signal
import time

import psutil


def kill_process_group(pgid: int) -> None:
    """SIGKILL the process group ``pgid``; a group that no longer exists is fine."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_uid_processes(uid: int, *, attempts: int = 5) -> None:
    """SIGKILL every process whose real or effective uid is ``uid``.

    The sandbox gives each kernel a uid of its own, so this ends processes that left the kernel's
    process group and session (``setsid``, double fork) as well. Repeated a few times because a
    process may fork while the first sweep runs (``max_processes`` bounds how many it can make).
    """
    for _ in range(attempts):
        found = False
        for proc in psutil.process_iter(["uids"]):
            uids = proc.info.get("uids")
            if uids is None or uid not in (uids.real, uids.effective):
                continue
            found = True
            try:
                proc.kill()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        if not found:
            return
        time.sleep(0.05)


def kill_descendants(pid: int) -> None:
    """SIGKILL ``pid`` and every process below it (for kernels that keep the grader's uid)."""
    try:
        root = psutil.Process(pid)
        family = root.children(recursive=True) + [root]
    except psutil.NoSuchProcess:
        return
    for proc in family:
        try:
            proc.kill()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
