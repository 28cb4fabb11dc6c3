"""The notebooks in JupyterLab in headless Chromium, as a student and the instructor use them.

- Student (`make lab`): the release notebook, *Restart Kernel and Run All*: the first error is a
  NotImplementedError (scrolled into view: JupyterLab leaves the view at the last cell);
  *Validate* lists the failing steps; the Nbgrader menu has no instructor entries.
- Instructor (`make instructor`): the source notebook runs clean and every figure renders.

Screenshots of every stage: build/browser-screenshots/<test>/ (named in the failure output).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.validator import Validator
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser_support import TOKEN, JupyterServer, browser_page
from course_tools.course import copy_course
from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID

COURSE = Path(__file__).resolve().parents[1]
SHOTS = COURSE / "build" / "browser-screenshots"
ERROR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


@pytest.fixture
def course(tmp_path):
    return copy_course(COURSE, tmp_path / "course")


def open_notebook(page, server: JupyterServer, path: str) -> None:
    page.goto(f"{server.url}/lab/tree/{path}?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    news = page.get_by_role("button", name="No", exact=True)
    if news.count():
        news.first.click()


RUN_STARTED = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
    .some(prompt => /\\[(\\*|\\d+)\\]/.test(prompt.innerText))"""


def restart_and_run_all(page) -> None:
    """The toolbar's "Restart the kernel and run all cells" button, then *Restart* in its dialog,
    once the kernel is ready, as a person would wait for it.

    Once, with the kernel shown idle, the command did nothing: no restart in the server log and
    every prompt still empty five minutes later. A person would click again, and so does this,
    once, when no cell has started a minute later; a run that starts and never finishes still
    fails below."""
    page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=120_000)
    for attempt in (1, 2):
        page.locator("[data-command='notebook:restart-run-all']").click()
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.wait_for_selector(".jp-Dialog", state="detached")
        try:
            page.wait_for_function(RUN_STARTED, timeout=60_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            print("Restart and Run All queued no cell within 60 s; clicking it again", file=sys.stderr)
    # Finished: no cell queued or running ([*]) and either an error stopped the run or the last
    # code cell has its execution count. (The kernel is idle for a moment before the cells start.)
    page.wait_for_function("""selector => {
        const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
            .map(prompt => prompt.innerText.trim());
        if (prompts.length === 0 || prompts.some(prompt => prompt.includes('*'))) return false;
        return document.querySelector(selector) !== null || /\\[\\d+\\]/.test(prompts[prompts.length - 1]);
    }""", arg=ERROR_OUTPUT, timeout=300_000)
    page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=300_000)


def test_student_runs_the_release_sees_the_first_error_and_validate_lists_failing_steps(course, tmp_path):
    failing_cells = failing_cells_by_validator(course / "release" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb")
    server = JupyterServer(course, ["lab", "--workspace", str(tmp_path / "student")], tmp_path / "lab.log", tmp_path / "runtime")
    try:
        with browser_page(SHOTS / "student-release") as (page, stages):
            open_notebook(page, server, f"{ASSIGNMENT_ID}/{NOTEBOOK_ID}.ipynb")
            stages.shot("release-opened")
            page.get_by_text("Nbgrader", exact=True).click()
            entries = page.locator(".lm-Menu-content .lm-Menu-itemLabel").all_inner_texts()
            assert "Assignment List" in entries and not any("Formgrader" in e for e in entries), entries
            page.keyboard.press("Escape")

            restart_and_run_all(page)
            stages.shot("run-all-view-stays-at-the-end")
            first_error = page.locator(ERROR_OUTPUT).first
            first_error.scroll_into_view_if_needed()
            assert "NotImplementedError" in first_error.inner_text()
            assert page.locator(ERROR_OUTPUT).count() == 1, "Run All stops at the first error"
            stages.shot("first-error")

            page.locator(".jp-Toolbar").get_by_text("Validate", exact=True).click()
            dialog = page.locator(".jp-Dialog")
            page.wait_for_function("() => { const d = document.querySelector('.jp-Dialog');"
                                   " return d && /fail|error/i.test(d.innerText); }", timeout=300_000)
            stages.shot("validate")
            text = dialog.inner_text()
            # The dialog lists each failing test cell with its error, as nbgrader's validator finds them.
            listed = text.count("The following cell failed")
            assert listed == failing_cells and listed >= 10, (listed, failing_cells, text[:1000])
            assert "NotImplementedError" in text and "latency_stats(" in text, text[:3000]
    finally:
        server.stop()


def failing_cells_by_validator(notebook: Path) -> int:
    """How many cells nbgrader's validator (what *Validate* runs) reports as failing."""
    return len(Validator().validate(str(notebook)).get("failed", []))


def expected_figures(notebook: Path) -> int:
    """Image outputs the notebook produces when run headless (the browser must show as many)."""
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for output in cell.outputs if "image/png" in output.get("data", {}))


def test_instructor_runs_the_source_notebook_clean_and_every_figure_renders(course, tmp_path):
    source = course / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
    figures = expected_figures(source)
    assert figures >= 1
    server = JupyterServer(course, ["instructor"], tmp_path / "lab.log", tmp_path / "runtime")
    try:
        with browser_page(SHOTS / "instructor-source") as (page, stages):
            open_notebook(page, server, f"source/{ASSIGNMENT_ID}/{NOTEBOOK_ID}.ipynb")
            restart_and_run_all(page)
            stages.shot("source-run-all")
            assert page.locator(ERROR_OUTPUT).count() == 0, page.locator(ERROR_OUTPUT).first.inner_text()
            images = page.locator(".jp-RenderedImage img")
            images.last.scroll_into_view_if_needed()
            assert images.count() == figures
            for index in range(images.count()):
                image = images.nth(index)
                image.scroll_into_view_if_needed()
                assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"figure {index + 1} did not render"
            stages.shot("last-figure")
    finally:
        server.stop()
