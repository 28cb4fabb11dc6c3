"""``make hub`` (``python -m course_tools hub``): the course's JupyterHub on this machine.

As root it creates what is missing (accounts, users' environment, course, exchange; reused on
later runs), prints how to log in and runs JupyterHub in the foreground. Ctrl-C stops the hub,
which stops every user's server and the proxy; any process of a course account still alive
after that is named and killed, so nothing is left behind. As another user it refuses, saying
what it needs (`course_tools.hub.accounts.require_root`).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import psutil

from course_tools.course import CourseError
from course_tools.hub.accounts import ACCOUNTS, ensure_accounts, require_root, uid
from course_tools.hub.layout import HubLayout
from course_tools.hub.user_env import DEFAULT_USER_ENV, ensure_user_env
from course_tools.lab import run_until_stopped

CONFIG = Path(__file__).with_name("jupyterhub_config.py")


def proxy_command(checkout: Path) -> Path:
    """configurable-http-proxy as `make hub-proxy` installs it; `CourseError` when it is missing."""
    command = checkout / "build" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not command.exists():
        raise CourseError(
            f"configurable-http-proxy is missing at {command}: run `make hub-proxy` (npm install; needs Node.js)"
        )
    return command


def prepare_hub(checkout: Path, layout: HubLayout, user_env: Path = DEFAULT_USER_ENV) -> dict[str, str]:
    """Everything the hub needs, created or reused; the environment to start JupyterHub with."""
    require_root("`make hub`")
    proxy = proxy_command(checkout)
    ensure_accounts()
    user_python = ensure_user_env(checkout, user_env)
    layout.prepare(checkout, user_python)
    layout.password()
    return {
        **os.environ,
        "TINYTORCH_HUB_BASE": str(layout.base),
        "TINYTORCH_HUB_PROXY": str(proxy),
        "TINYTORCH_HUB_USERS": ",".join(a.name for a in ACCOUNTS),
    }


def hub_command() -> list[str]:
    return [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)]


def leftover_processes() -> list[psutil.Process]:
    """Processes still running as a course account."""
    uids = {uid(account) for account in ACCOUNTS}
    found = []
    for process in psutil.process_iter(["uids"]):
        try:
            if process.info["uids"] and process.info["uids"].real in uids:
                found.append(process)
        except psutil.Error:
            continue
    return found


def kill_leftovers(wait_s: float = 10.0) -> list[str]:
    """Kill every process of a course account (after `wait_s` for them to exit); describe them."""
    deadline = time.monotonic() + wait_s
    while leftover_processes() and time.monotonic() < deadline:
        time.sleep(0.5)
    described = []
    for process in leftover_processes():
        try:
            described.append(f"{process.pid} {process.username()}: {' '.join(process.cmdline())[:120]}")
            process.send_signal(signal.SIGKILL)
        except psutil.Error:
            continue
    return described


def run_hub(checkout: Path, layout: HubLayout, port: int, user_env: Path = DEFAULT_USER_ENV) -> int:
    """``make hub`` (module docstring); the hub's exit status."""
    env = prepare_hub(checkout, layout, user_env)
    env["TINYTORCH_HUB_PORT"] = str(port)
    print(
        f"course hub: http://127.0.0.1:{port}/  accounts: {', '.join(a.name for a in ACCOUNTS)}\n"
        f"  password (every account): {layout.password()}  (kept in {layout.password_file})\n"
        f"  course: {layout.course}  exchange: {layout.exchange}\n"
        "  Ctrl-C stops the hub and every user's server",
        flush=True,
    )
    status = run_until_stopped(hub_command(), layout.state, env, "JupyterHub", "every user's server, the proxy")
    for leftover in kill_leftovers():
        print(f"killed a process the hub left running: {leftover}", flush=True)
    return status
