"""The course on its JupyterHub, clicked through in headless Chromium by four people at once.

`make hub`'s hub (`python -m course_tools hub`, root, local accounts, shared exchange) on a free
loopback port. Two students log in at the same time, fetch from the *Assignments* tab, run the
notebook's first cell in a kernel that runs as them, and submit. A student's kernel tries to reach
the instructor's server and files and is refused. The instructor collects in Formgrader and grades
with the hardened grader as their own account (bubblewrap as an ordinary user); the teaching
assistant grades one student's reflection in Formgrader; the instructor regenerates and releases
the feedback in Formgrader; each student fetches their own and sees the reflection graded or
awaiting grading. Ctrl-C then stops the hub and every server, and a second start reuses it all.

Screenshots and the time of each stage: build/hub-screenshots/ (named in the failure output).
"""

from __future__ import annotations

import json
import os
import pwd
import time
from pathlib import Path
from urllib.parse import quote

import nbformat
import psutil
import pytest

from browser_support import CHROMIUM, CHROMIUM_FLAGS, dismiss_news, nbgrader_menu, require_browser
from course_tools.course import open_gradebook
from course_tools.facts import ASSIGNMENT_ID, AUTOGRADED_POINTS, COURSE_ID, NOTEBOOK_ID
from course_tools.hub.accounts import INSTRUCTOR, STUDENTS, TEACHING_ASSISTANT
from course_tools.samples import SubmissionBuilder
from hub_support import (COURSE, RunningHub, checked_run_as, course_processes, execute_in_kernel, hub_layout,
                         prepare, remove_layout)

SHOTS = COURSE / "build" / "hub-screenshots"
ADA, GRACE = STUDENTS[0], STUDENTS[1]
REFLECTION_POINTS = 3


class StageLog:
    """A screenshot per stage, numbered, and how long each stage took (timings.json)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.count, self.timings = folder, 0, []
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        self.started = time.monotonic()

    def shot(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"))
        now = time.monotonic()
        self.timings.append({"stage": name, "seconds": round(now - self.started, 1)})
        self.started = now
        (self.folder / "timings.json").write_text(json.dumps(self.timings, indent=1))


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    layout = hub_layout()
    log = tmp_path_factory.mktemp("hub") / "hub.log"
    running = None
    try:
        prepare(layout)
        running = RunningHub(layout, log)
        yield running
    finally:
        if running is not None:
            running.stop()
        remove_layout(layout)


def log_in(browser, hub: RunningHub, user: str):
    """A browser context of its own (own cookies) with ``user`` logging in; the page (not waited on)."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.layout.password())
    page.click("#login_submit")
    return page


def wait_for_lab(page) -> None:
    page.wait_for_selector(".jp-DirListing", timeout=180_000)
    dismiss_news(page)


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.5)


def api_token(page, hub: RunningHub, user: str) -> str:
    """A short-lived API token of ``user``, asked for with the browser's hub login (as /hub/token does)."""
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_xsrf" and c["path"].startswith("/hub"))
    reply = page.request.post(f"{hub.url}/hub/api/users/{user}/tokens", headers={"X-XSRFToken": xsrf},
                              data={"note": "hub test", "expires_in": 900})
    assert reply.ok, reply.text()
    return reply.json()["token"]


def server_of(user: str) -> psutil.Process:
    uid = pwd.getpwnam(user).pw_uid
    return next(p for p in psutil.process_iter(["uids", "cmdline"])
                if p.info["uids"].real == uid and "jupyterhub.singleuser" in " ".join(p.info["cmdline"] or []))


def kernels_of(user: str) -> list[psutil.Process]:
    uid = pwd.getpwnam(user).pw_uid
    return [p for p in psutil.process_iter(["uids", "cmdline"])
            if p.info["uids"].real == uid and "ipykernel" in " ".join(p.info["cmdline"] or [])]


def formgrader(page):
    nbgrader_menu(page, "Formgrader")
    frame = page.frame_locator("iframe")
    frame.get_by_text("Manage Assignments").first.wait_for()
    return frame


def formgrader_action(frame, cell: str) -> None:
    """Click the Manage Assignments icon in column ``cell`` and wait for nbgrader's success dialog."""
    frame.locator(f"td.{cell} a").first.click()
    frame.locator("#success-modal, #error-modal").first.wait_for(timeout=120_000)
    assert frame.locator("#error-modal").count() == 0, frame.locator("#error-modal").inner_text()
    frame.locator("#success-modal button", has_text="OK").click()
    frame.locator("#success-modal").wait_for(state="detached")


# Run in a student's kernel: every way to reach the instructor's server process, files and hub user.
REACH_THE_GRADER = """
import json, os, urllib.request, urllib.error
pid, server, home, course, hub_api = {target}
def attempt(action):
    try:
        action()
        return "allowed"
    except PermissionError:
        return "denied"
    except urllib.error.HTTPError as error:
        return f"HTTP {{error.code}}"
    except OSError as error:
        return type(error).__name__
def read(path):
    with open(path, "rb") as handle:
        handle.read(1)
token = {{"Authorization": "token " + os.environ.get("JUPYTERHUB_API_TOKEN", "")}}
print(json.dumps({{
    "uid": os.getuid(),
    "signal the instructor's server": attempt(lambda: os.kill(pid, 0)),
    "read its environment (API token)": attempt(lambda: read(f"/proc/{{pid}}/environ")),
    "list the instructor's home": attempt(lambda: os.listdir(home)),
    "list the course": attempt(lambda: os.listdir(course)),
    "call the instructor's server": attempt(lambda: urllib.request.urlopen(server + "/api/contents", timeout=20)),
    "read the instructor from the hub": attempt(lambda: urllib.request.urlopen(
        urllib.request.Request(hub_api + "/users/{instructor}", headers=token), timeout=20)),
    "signal its own kernel": attempt(lambda: os.kill(os.getpid(), 0)),
    "read its own environment": attempt(lambda: read("/proc/self/environ")),
}}))
"""


def test_two_students_submit_the_ta_and_instructor_grade_and_each_student_gets_their_feedback(hub):
    sync_playwright = require_browser()
    layout, stages = hub.layout, StageLog(SHOTS)
    exchange_course = layout.exchange / COURSE_ID
    checked_run_as(INSTRUCTOR, layout, "from pathlib import Path\nfrom course_tools.exchange import Instructor\n"
                   "Instructor(Path.cwd()).release()")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            # Both students log in before either server is up: the hub spawns them side by side.
            students = {account.name: log_in(browser, hub, account.name) for account in (ADA, GRACE)}
            for name, page in students.items():
                wait_for_lab(page)
                stages.shot(page, f"{name}-logged-in")
            for page in students.values():
                nbgrader_menu(page, "Assignment List")
                page.get_by_role("button", name="Fetch").click()
            for name, page in students.items():
                notebook = Path("/home") / name / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
                wait_for(notebook.is_file, f"{name}'s Fetch put the notebook in their home")
                assert notebook.stat().st_uid == pwd.getpwnam(name).pw_uid
                stages.shot(page, f"{name}-fetched")
                # Their work: the reference solution, as if typed in (saved as them, private).
                nbformat.write(SubmissionBuilder(COURSE, release_dir=notebook.parent).reference_solution(), notebook)
                os.chown(notebook, pwd.getpwnam(name).pw_uid, -1)
                page.goto(f"{hub.url}/user/{name}/lab/tree/{ASSIGNMENT_ID}/{NOTEBOOK_ID}.ipynb")
            for page in students.values():
                page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=180_000)
                page.locator(".jp-CodeCell .jp-InputArea-editor").first.click()
                page.keyboard.press("Shift+Enter")
            for name, page in students.items():
                page.locator(".jp-CodeCell .jp-InputPrompt", has_text="[1]").first.wait_for()
                assert kernels_of(name), f"{name}'s kernel does not run as {name}"
                stages.shot(page, f"{name}-ran-the-first-cell")
            for page in students.values():
                nbgrader_menu(page, "Assignment List")
                page.get_by_role("button", name="Submit").first.click()
            for name, page in students.items():
                page.wait_for_function("() => document.body.innerText.includes('Submitted assignments') && "
                                       "/\\d{4}-\\d{2}-\\d{2}/.test(document.body.innerText)", timeout=120_000)
                stages.shot(page, f"{name}-submitted")
            inbound = sorted(p.name.split("+")[0] for p in (exchange_course / "inbound").iterdir())
            assert inbound == [ADA.name, GRACE.name]
            # Students' servers do not load the instructor extensions (Formgrader answers 404 there).
            assert students[ADA.name].request.get(f"{hub.url}/user/{ADA.name}/formgrader").status == 404

            # Both graders log in now; the assistant's server starts while the instructor works.
            instructor = log_in(browser, hub, INSTRUCTOR.name)
            assistant = log_in(browser, hub, TEACHING_ASSISTANT.name)
            wait_for_lab(instructor)
            server = server_of(INSTRUCTOR.name)
            port = next(c.laddr.port for c in server.net_connections("inet") if c.status == psutil.CONN_LISTEN)
            target = (server.pid, f"http://127.0.0.1:{port}/user/{INSTRUCTOR.name}", f"/home/{INSTRUCTOR.name}",
                      str(layout.course), f"{hub.url}/hub/api")
            reached = json.loads(execute_in_kernel(hub.url, ADA.name, api_token(students[ADA.name], hub, ADA.name),
                                                   REACH_THE_GRADER.format(target=target, instructor=INSTRUCTOR.name)))
            refused = {"HTTP 401", "HTTP 403", "HTTP 404"}
            assert reached.pop("call the instructor's server") in refused, reached
            assert reached.pop("read the instructor from the hub") in refused, reached
            assert reached == {
                "uid": pwd.getpwnam(ADA.name).pw_uid,
                "signal the instructor's server": "denied", "read its environment (API token)": "denied",
                "list the instructor's home": "denied", "list the course": "denied",
                "signal its own kernel": "allowed", "read its own environment": "allowed",
            }, reached

            assert instructor.request.get(f"{hub.url}/user/{INSTRUCTOR.name}/formgrader").status == 200
            manage = formgrader(instructor)
            stages.shot(instructor, "instructor-formgrader")
            formgrader_action(manage, "collect")
            stages.shot(instructor, "instructor-collected")
            # Grading as the instructor's account, as from a terminal of their server (umask 007).
            checked_run_as(INSTRUCTOR, layout, "import sys\nfrom course_tools.cli import main\n"
                           "sys.exit(main(['grade', '--jobs', '2']))", timeout=900)
            with open_gradebook(layout.course) as gradebook:
                scores = {s.student.id: s.score for s in gradebook.assignment_submissions(ASSIGNMENT_ID)}
            assert scores == {ADA.name: AUTOGRADED_POINTS, GRACE.name: AUTOGRADED_POINTS}
            manage.get_by_role("link", name="Manage Assignments").click()
            manage.locator("td.num-submissions", has_text="2").wait_for()
            stages.shot(instructor, "instructor-graded")

            assistant.bring_to_front()
            wait_for_lab(assistant)
            frame = formgrader(assistant)
            frame.get_by_role("link", name="Manual Grading").click()
            # Exact names: "capstone" is also part of "20_capstone", the link of the page before.
            frame.get_by_role("link", name=ASSIGNMENT_ID, exact=True).click()
            frame.get_by_role("link", name=NOTEBOOK_ID, exact=True).click()
            frame.locator("table a", has_text="Submission #1").wait_for()
            assert frame.locator("table a", has_text="Submission #").count() == 2
            stages.shot(assistant, "ta-sees-two-submissions")
            frame.locator("table a", has_text="Submission #1").click()
            score = frame.locator("input.score.needs_manual_grade#reflection")
            score.fill(str(REFLECTION_POINTS))
            score.press("Tab")

            def reflection_scores() -> dict[str, float | None]:
                with open_gradebook(layout.course) as gradebook:
                    return {s: gradebook.find_grade("reflection", NOTEBOOK_ID, ASSIGNMENT_ID, s).manual_score
                            for s in (ADA.name, GRACE.name)}

            wait_for(lambda: any(v is not None for v in reflection_scores().values()), "the TA's grade saved", 60)
            stages.shot(assistant, "ta-graded-a-reflection")
            graded = next(s for s, v in reflection_scores().items() if v == REFLECTION_POINTS)
            awaiting = next(s for s in (ADA.name, GRACE.name) if s != graded)

            checked_run_as(INSTRUCTOR, layout, "import sys\nfrom course_tools.cli import main\n"
                           "sys.exit(main(['feedback']))", timeout=300)
            instructor.bring_to_front()
            manage.get_by_role("link", name="Manage Assignments").click()
            formgrader_action(manage, "release-feedback")
            stages.shot(instructor, "instructor-released-feedback")

            for name, page in students.items():
                nbgrader_menu(page, "Assignment List")
                page.get_by_role("button", name="Fetch Feedback").click()
                feedback = Path("/home") / name / ASSIGNMENT_ID / "feedback"
                wait_for(lambda folder=feedback: any(folder.glob("*/*.html")), f"{name}'s feedback fetched")
                html = next(feedback.glob("*/*.html"))
                page.goto(f"{hub.url}/user/{name}/files/{quote(str(html.relative_to(Path('/home') / name)))}")
                text = html.read_text(encoding="utf-8")
                if name == awaiting:
                    page.get_by_text("Awaiting your instructor's grading").first.scroll_into_view_if_needed()
                    assert 'href="#reflection">Written response</a> (Score:' not in text
                else:
                    page.locator('a[href="#reflection"]').first.click()
                    assert "Awaiting your instructor's grading" not in text
                    assert f'href="#reflection">Written response</a> (Score: {REFLECTION_POINTS:.1f} /' in text
                stages.shot(page, f"{name}-feedback-{'awaiting' if name == awaiting else 'graded'}")
        except BaseException:
            for number, page in enumerate(p for context in browser.contexts for p in context.pages):
                page.screenshot(path=str(SHOTS / f"failure-{number}.png"))
            print(f"\nscreenshots of every stage and of the failure: {SHOTS}")
            raise
        finally:
            browser.close()


def test_ctrl_c_stops_the_hub_and_every_server_and_a_restart_reuses_the_accounts(hub, tmp_path):
    accounts = {a.name: pwd.getpwnam(a.name).pw_uid for a in (INSTRUCTOR, TEACHING_ASSISTANT, *STUDENTS)}
    assert course_processes(), "the servers of the workflow test should still be running"
    assert hub.interrupt() == 0, hub.log.read_text()[-3000:]
    assert course_processes() == [], "servers left running after Ctrl-C"
    again = RunningHub(hub.layout, tmp_path / "again.log")
    try:
        assert {a: pwd.getpwnam(a).pw_uid for a in accounts} == accounts
        with open_gradebook(hub.layout.course) as gradebook:
            assert len(gradebook.assignment_submissions(ASSIGNMENT_ID)) == 2, "the course was not kept"
    finally:
        assert again.interrupt() == 0
