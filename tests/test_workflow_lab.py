"""`make lab` and `make instructor` as servers (no browser): which nbgrader tools each offers,
Formgrader finding the course, arguments passed through to jupyter lab, and Ctrl-C shutting
Jupyter down cleanly (exit 0, no traceback, no stale runtime files)."""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import urllib.request
from pathlib import Path

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from browser_support import TOKEN, JupyterServer
from course_tools.course import copy_course
from course_tools.facts import ASSIGNMENT_ID
from course_tools.exchange import Instructor
from course_tools.lab import INSTRUCTOR_LAB_PLUGINS
from course_tools.release import register_assignment

COURSE = Path(__file__).resolve().parents[1]


@pytest.fixture
def course(tmp_path):
    root = copy_course(COURSE, tmp_path / "course")
    with tempfile.TemporaryDirectory() as workdir:
        register_assignment(root, Path(workdir))
    Instructor(root).release()
    return root


def page_config(html: str) -> dict:
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert found, html[:500]
    return json.loads(found.group(1))


def kernel_websocket_protocol(server: JupyterServer) -> str | None:
    """The subprotocol the server picks for a kernel websocket when the client offers the newest one,
    as JupyterLab does (None: the legacy JSON protocol)."""
    started = urllib.request.Request(f"{server.url}/api/kernels?token={TOKEN}", data=b"{}", method="POST")
    with urllib.request.urlopen(started, timeout=60) as reply:
        kernel = json.load(reply)["id"]

    async def handshake() -> str | None:
        url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels?token={TOKEN}"
        connection = await websocket_connect(HTTPRequest(url), subprotocols=["v1.kernel.websocket.jupyter.org"])
        selected = connection.selected_subprotocol
        connection.close()
        return selected

    try:
        return asyncio.run(handshake())
    finally:
        stopped = urllib.request.Request(f"{server.url}/api/kernels/{kernel}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(stopped, timeout=60).close()


def assert_clean_shutdown(server: JupyterServer) -> None:
    status = server.interrupt()
    log = server.log.read_text()
    assert status == 0, log[-2000:]
    assert "Traceback" not in log and "KeyboardInterrupt" not in log, log[-2000:]
    assert "Shutting down" in log, log[-2000:]
    assert not list(server.runtime.glob("jpserver-*")), "stale runtime files left behind"


def test_student_lab_has_the_assignments_tab_but_no_instructor_tools(course, tmp_path):
    workspace = tmp_path / "student"
    server = JupyterServer(course, ["lab", "--workspace", str(workspace)], tmp_path / "lab.log", tmp_path / "runtime")
    try:
        status, html = server.get("/lab")
        assert status == 200
        disabled = page_config(html)["disabledExtensions"]
        assert all(plugin in disabled for plugin in INSTRUCTOR_LAB_PLUGINS), disabled
        assert server.get("/formgrader")[0] == 404, "Formgrader must not be served to students"
        # The Assignments tab works against the course's exchange; the copied release counts as fetched.
        status, listing = server.get("/assignments?course_id=tinytorch-capstone")
        assert status == 200, listing[:500]
        assert [(a["assignment_id"], a["status"]) for a in json.loads(listing)["value"]] == [(ASSIGNMENT_ID, "fetched")]
        assert (workspace / ASSIGNMENT_ID / "capstone.ipynb").is_file(), "the release copied into the student's folder"
        assert f"--port={server.port}" in " ".join(server.process.args), "arguments reach jupyter lab"
        assert f"127.0.0.1:{server.port}" in server.log.read_text()
    finally:
        if server.process.poll() is None:
            assert_clean_shutdown(server)


def test_kernel_websockets_use_the_legacy_protocol(course, tmp_path):
    # Its own server: the kernel it starts may print its shutdown noise into the log, which the
    # clean-shutdown checks of the other tests read.
    server = JupyterServer(course, ["lab", "--workspace", str(tmp_path / "student")], tmp_path / "lab.log",
                           tmp_path / "runtime")
    try:
        assert kernel_websocket_protocol(server) is None, "kernel websockets must use the legacy protocol (course_tools/lab.py)"
    finally:
        server.stop()


def test_instructor_lab_serves_formgrader_on_the_course(course, tmp_path):
    server = JupyterServer(course, ["instructor"], tmp_path / "lab.log", tmp_path / "runtime")
    try:
        status, html = server.get("/formgrader/manage_assignments")
        assert status == 200 and "Manage Assignments" in html, html[:1000]
        status, assignments = server.get("/formgrader/api/assignments")
        assert status == 200 and [a["name"] for a in json.loads(assignments)] == [ASSIGNMENT_ID], assignments[:500]
        # Its "Current configuration" panel cannot show Jupyter's config (not JSON): hidden.
        assert "Current configuration" not in html
        log = server.log.read_text()
        assert "not a subdirectory of the notebook server root" not in log and "not serializable" not in log
    finally:
        if server.process.poll() is None:
            assert_clean_shutdown(server)
