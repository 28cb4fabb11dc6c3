"""Shared pieces of the hub tests: the hub prepared and started as `make hub` does, commands run
as the course's Unix accounts, and code run in a user's kernel through the hub.

The hub tests need root (they create the course's accounts, as `make hub` does): as another
user they fail saying so, never skip. Each test module gets its own base folder and exchange;
the users' environment in /opt/tinytorch-hub is shared and reused (`course_tools.hub.user_env`).
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from browser_support import free_port
from course_tools.hub.accounts import ACCOUNTS, Account
from course_tools.hub.layout import HubLayout
from course_tools.hub.run import kill_leftovers, leftover_processes, prepare_hub
from course_tools.hub.user_env import DEFAULT_USER_ENV

COURSE = Path(__file__).resolve().parents[1]


def require_root() -> None:
    if os.geteuid() != 0:
        pytest.fail("the hub tests create the course's Unix accounts and start servers as them: run them as root")


def hub_layout() -> HubLayout:
    """A fresh base folder (every user may traverse it) with its own exchange inside."""
    base = Path(tempfile.mkdtemp(prefix="tinytorch-hub-test-"))
    base.chmod(0o755)
    return HubLayout(base, base / "exchange")


def remove_layout(layout: HubLayout) -> None:
    shutil.rmtree(layout.base, ignore_errors=True)


def user_python() -> str:
    return str(DEFAULT_USER_ENV / "bin" / "python")


def run_as(account: Account, layout: HubLayout, code: str, cwd: Path | None = None, timeout: float = 600,
           student_config: bool = False) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` as ``account`` in the users' environment (umask as its server's)."""
    grader = account.grader
    cwd = cwd or (layout.course if grader else Path("/home") / account.name)
    env = {"PATH": f"{Path(user_python()).parent}:/usr/local/bin:/usr/bin:/bin", "HOME": f"/home/{account.name}",
           "LANG": "C.UTF-8"}
    if student_config:
        env["JUPYTER_CONFIG_DIR"] = str(layout.student_config)
    umask = "007" if grader else "077"
    command = ["runuser", "-u", account.name, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()),
               "sh", "-c", f'umask {umask} && cd "$0" && exec "$1" -c "$2"', str(cwd), user_python(), code]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def checked_run_as(account: Account, layout: HubLayout, code: str, **kwargs) -> str:
    result = run_as(account, layout, code, **kwargs)
    assert result.returncode == 0, f"as {account.name}: {code}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def prepare(layout: HubLayout) -> dict[str, str]:
    """`make hub`'s set-up in ``layout``, the course accounts' homes emptied first.

    The accounts are kept between runs (as `make hub` keeps them), so a home would still hold the
    notebook fetched in an earlier test, and nbgrader would not fetch it again.
    """
    require_root()
    for account in ACCOUNTS:
        try:
            home = Path(pwd.getpwnam(account.name).pw_dir)
        except KeyError:
            continue
        for entry in home.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    return prepare_hub(COURSE, layout)


class RunningHub:
    """`python -m course_tools hub` on a free loopback port, in its own session (Ctrl-C = SIGINT to it)."""

    def __init__(self, layout: HubLayout, log: Path) -> None:
        self.layout = layout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.handle = open(log, "a")
        command = [sys.executable, "-m", "course_tools", "--course", str(COURSE), "hub", "--base", str(layout.base),
                   "--exchange", str(layout.exchange), "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited early:\n{log.read_text()}")
            try:
                urllib.request.urlopen(f"{self.url}/hub/api", timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the hub did not answer within 120 s:\n{log.read_text()}")

    def interrupt(self, timeout: float = 90) -> int:
        """Ctrl-C as from the terminal; the exit status (the hub killed if it does not stop in time)."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            raise
        finally:
            self.handle.close()

    def stop(self) -> None:
        """Tear down whatever is left, also after a failure: the hub and its proxy, then the accounts' processes."""
        started = []
        if self.process.poll() is None:
            started = psutil.Process(self.process.pid).children(recursive=True)
            try:
                self.interrupt()
            except (subprocess.TimeoutExpired, ProcessLookupError):
                pass
        for process in started:
            try:
                process.kill()
            except psutil.Error:
                pass
        kill_leftovers(wait_s=5)


def course_processes() -> list[str]:
    return [f"{p.pid} {p.info['uids'].real}" for p in leftover_processes()]


def execute_in_kernel(hub_url: str, user: str, token: str, code: str, timeout: float = 120) -> str:
    """Start a kernel on ``user``'s server through the hub, run ``code``, return its stdout; stop the kernel."""
    import asyncio

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {token}"}
    api = f"{hub_url}/user/{user}/api/kernels"
    request = urllib.request.Request(api, data=b"{}", headers={**headers, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as reply:
        kernel_id = json.load(reply)["id"]

    async def run() -> str:
        url = api.replace("http://", "ws://") + f"/{kernel_id}/channels"
        connection = await websocket_connect(HTTPRequest(url, headers=headers, connect_timeout=30))
        msg_id = uuid.uuid4().hex
        connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": user, "session": uuid.uuid4().hex,
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        output, errors = [], []
        while True:
            message = await asyncio.wait_for(connection.read_message(), timeout)
            if message is None:
                raise RuntimeError("the kernel's websocket closed")
            reply = json.loads(message)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = reply["header"]["msg_type"]
            if kind == "stream":
                output.append(reply["content"]["text"])
            elif kind == "error":
                errors.append("\n".join(reply["content"]["traceback"]))
            elif kind == "status" and reply["content"]["execution_state"] == "idle":
                connection.close()
                if errors:
                    raise RuntimeError(f"the code failed in {user}'s kernel:\n{''.join(errors)}")
                return "".join(output)

    try:
        # A thread of its own: Playwright's sync API already runs an event loop in this one.
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(lambda: asyncio.run(run())).result()
    finally:
        delete = urllib.request.Request(f"{api}/{kernel_id}", headers=headers, method="DELETE")
        try:
            urllib.request.urlopen(delete, timeout=30)
        except urllib.error.URLError:
            pass
