"""Shared pieces of the browser tests: a Jupyter server started like `make lab` / `make instructor`,
and Chromium from the OS packages driven by Playwright, with a screenshot of every stage.

Nothing is skipped: a missing Chromium or Playwright fails the test, saying what to install.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN = "browser-test-token"
# JupyterLab user settings of the test servers (a temporary folder, never ~/.jupyter): every cell
# stays in the page (no windowing, so off-screen outputs can be counted) and no news prompt.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


def require_browser():
    """Playwright's sync API; fails (never skips) naming what is missing."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM=...)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: make venv (requirements.txt lists playwright)")
    return sync_playwright


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class JupyterServer:
    """``python -m course_tools <command>`` (lab or instructor) on loopback, as `make` starts it."""

    def __init__(self, course: Path, command: list[str], log: Path, runtime: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.runtime = runtime
        settings = runtime / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values))
        # Runtime files, lab settings and nbgrader's submission cache (under the data dir) all
        # stay in the test's folder.
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTERLAB_SETTINGS_DIR": str(settings),
               "JUPYTER_DATA_DIR": str(runtime / "data"),
               "JUPYTERLAB_WORKSPACES_DIR": str(runtime / "lab-workspaces")}
        args = [sys.executable, "-m", "course_tools", "--course", str(course), *command, "--no-browser",
                "--ip=127.0.0.1", f"--port={self.port}", f"--IdentityProvider.token={TOKEN}",
                "--ServerApp.disable_check_xsrf=False"]
        self.handle = open(log, "w")
        # Its own session: the test sends the process group Ctrl-C (SIGINT) as a terminal would.
        self.process = subprocess.Popen(args, stdout=self.handle, stderr=subprocess.STDOUT, env=env,
                                         start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Jupyter exited early:\n{log.read_text()}")
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={TOKEN}", timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"Jupyter did not answer within 90 s:\n{log.read_text()}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}{'&' if '?' in path else '?'}token={TOKEN}", timeout=30) as reply:
                return reply.status, reply.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def interrupt(self, timeout: float = 60) -> int:
        """Ctrl-C as from the terminal (SIGINT to the process group); the exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout)
        finally:
            self.handle.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.interrupt()


def dismiss_news(page) -> None:
    """Answer JupyterLab's news prompt, when it shows, with No."""
    news = page.get_by_role("button", name="No", exact=True)
    if news.count():
        news.first.click()


def nbgrader_menu(page, entry: str) -> None:
    """Open ``entry`` of JupyterLab's Nbgrader menu."""
    page.get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu-content").get_by_text(entry, exact=True).click()


class Stages:
    """Screenshots of each stage under one folder, named when a test fails."""

    def __init__(self, page, folder: Path) -> None:
        self.page, self.folder, self.count = page, folder, 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.timings: list[tuple[str, float]] = []
        self.started = time.monotonic()

    def shot(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=False)
        now = time.monotonic()
        self.timings.append((name, now - self.started))
        self.started = now
        (self.folder / "timings.json").write_text(json.dumps(self.timings, indent=1))


@contextmanager
def browser_page(folder: Path):
    """A Chromium page (1400x900) whose screenshots go to ``folder``; the folder is named on failure."""
    sync_playwright = require_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(60_000)
        stages = Stages(page, folder)
        try:
            yield page, stages
        except BaseException:
            try:
                stages.shot("failure")
            finally:
                print(f"\nscreenshots of every stage: {folder}", file=sys.stderr)
            raise
        finally:
            browser.close()
