"""The hostile and broken submissions, each with the outcome the grader must give it.

Every case is a submission of the toy assignment (toy_course.py): the release answered with the
reference solutions except where the case says otherwise, plus the hostile or broken part.
``expected_points`` holds the points of each grade cell; ``expected_status`` the status in the
grade report. ``tamper`` marks cases whose trick would earn points it does not deserve without
the tamper guard (the tests prove that too, so the corpus cannot go toothless).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import toy_course as toy

FULL = dict(toy.STEP_POINTS)


def points_without(*lost: str) -> dict[str, float]:
    """Full points except 0 for the grade cells in ``lost``."""
    return {name: 0.0 if name in lost else value for name, value in FULL.items()}


@dataclass(frozen=True)
class BuildContext:
    """What a case may need to know: the course root, a TCP port the test listens on."""

    root: Path
    listener_port: int


@dataclass(frozen=True)
class Case:
    student: str
    description: str
    build: Callable[[BuildContext], nbformat.NotebookNode | bytes]
    expected_points: dict[str, float]
    expected_status: str
    tamper: bool = False


def _answers(**answers: str) -> Callable[[BuildContext], nbformat.NotebookNode]:
    return lambda ctx: toy.with_solutions(ctx.root, answers)


def _edited(change: Callable[[nbformat.NotebookNode], None],
            **answers: str) -> Callable[[BuildContext], nbformat.NotebookNode]:
    def build(ctx: BuildContext) -> nbformat.NotebookNode:
        notebook = toy.with_solutions(ctx.root, answers)
        change(notebook)
        return notebook
    return build


def _duplicate(notebook: nbformat.NotebookNode) -> None:
    for grade_id in ("test_norm", "square"):
        index = toy.cell_index(notebook, grade_id)
        notebook.cells.insert(index + 1, copy.deepcopy(notebook.cells[index]))
        notebook.cells[index + 1]["id"] = f"copy-of-{grade_id}".replace("_", "-")


def _delete(grade_id: str) -> Callable[[nbformat.NotebookNode], None]:
    def change(notebook: nbformat.NotebookNode) -> None:
        del notebook.cells[toy.cell_index(notebook, grade_id)]
    return change


def _set_source(grade_id: str, source: str) -> Callable[[nbformat.NotebookNode], None]:
    def change(notebook: nbformat.NotebookNode) -> None:
        notebook.cells[toy.cell_index(notebook, grade_id)].source = source
    return change


def _forge_points(notebook: nbformat.NotebookNode) -> None:
    """Claim 50 points for a test and add a made-up grade cell worth 100 that always passes."""
    notebook.cells[toy.cell_index(notebook, "test_square")].metadata["nbgrader"]["points"] = 50
    notebook.cells.append(nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "grade_id": "bonus", "locked": True, "points": 100, "schema_version": 3,
        "solution": False, "task": False}}))


def _kernelspec(spec: dict | None) -> Callable[[nbformat.NotebookNode], None]:
    def change(notebook: nbformat.NotebookNode) -> None:
        if spec is None:
            notebook.metadata.pop("kernelspec", None)
        else:
            notebook.metadata["kernelspec"] = spec
    return change


def _truncated_reference(ctx: BuildContext) -> bytes:
    whole = nbformat.writes(toy.with_solutions(ctx.root)).encode("utf-8")
    return whole[: len(whole) // 2]


def _snoop(ctx: BuildContext) -> nbformat.NotebookNode:
    """Try to read the gradebook, the source and another submission, delete the gradebook and
    reach a local service; square is right only if all of that failed."""
    root = ctx.root
    files = [str(root / "gradebook.db"), str(root / "source" / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb"),
             str(root / "submitted" / "reference" / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb"),
             str(root / "nbgrader_config.py")]
    folders = [str(root / "submitted"), str(root / "autograded"), str(root / "source")]
    code = f"""import os, socket
leaked = []
for path in {files!r}:
    try:
        with open(path, "rb") as handle:
            handle.read(1)
        leaked.append("read " + path)
    except OSError:
        pass
for path in {folders!r}:
    try:
        if os.listdir(path):
            leaked.append("listed " + path)
    except OSError:
        pass
try:
    os.remove({files[0]!r})
    leaked.append("deleted the gradebook")
except OSError:
    pass
try:
    socket.create_connection(("127.0.0.1", {ctx.listener_port}), timeout=2).close()
    leaked.append("reached a local service")
except OSError:
    pass
print(leaked)

def square(x):
    return 0 if leaked else x * x
"""
    return toy.with_solutions(root, {"square": code})


def _vandal(root: Path) -> nbformat.NotebookNode:
    """Delete the class's data wherever it can be found; square is right only if none of it worked."""
    code = f"""import os, shutil
damage = []
places = [{str(root)!r}] + [os.path.abspath(os.path.join(os.getcwd(), *[".."] * n)) for n in range(1, 6)]
for course in places:
    for name in ("gradebook.db", "submitted", "autograded"):
        path = os.path.join(course, name)
        try:
            if os.path.isdir(path):
                for entry in os.listdir(path):
                    shutil.rmtree(os.path.join(path, entry))
                    damage.append("emptied " + path)
            elif os.path.isfile(path):
                os.remove(path)
                damage.append("deleted " + path)
        except OSError:
            pass
print(damage)

def square(x):
    return 0 if damage else x * x
"""
    return toy.with_solutions(root, {"square": code})


def _print_source(root: Path) -> nbformat.NotebookNode:
    """Print the instructor's notebook, whole, if it can be read; square itself is right."""
    code = f"""try:
    print(open({str(root / "source" / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.ipynb")!r}).read())
except OSError as error:
    print("no source:", error)

"""
    release = toy.with_solutions(root)
    code += release.cells[toy.cell_index(release, "square")].source
    return toy.with_solutions(root, {"square": code})


WRONG_NORM = "def norm(v):\n    return float(sum(v))\n"
WRONG_MEAN = "def mean_of(xs):\n    return 0.0\n"
# Right on the visible checks and on [-1, 1]; only np.testing's check of [0.5, 1.5, 4.0] sees it.
MEDIAN_NOT_MEAN = "import statistics\n\ndef mean_of(xs):\n    return float(statistics.median(xs))\n"
# A square that is always wrong, and hooks that hide the failing test from nbgrader.
SWALLOW_EXCEPTIONS = """def square(x):
    return 0

ip = get_ipython()
ip.set_custom_exc((AssertionError,), lambda shell, etype, value, tb, tb_offset=None: None)
ip.events.register("post_run_cell", lambda result: setattr(result, "error_in_exec", None))
"""
# Right except for the zero vector: only the hidden math.isclose check sees it.
NORM_ZERO_IS_ONE = "def norm(v):\n    return math.sqrt(sum(t * t for t in v)) or 1.0\n\n"
# Right for integers, 0 for 1.5: only the hidden close_enough check sees it.
SQUARE_INTS_ONLY = "def square(x):\n    return x * x if float(x).is_integer() else 0.0\n"

CASES: list[Case] = [
    Case("reference", "the reference solutions", _answers(), FULL, "graded"),
    Case("untouched", "the release as students get it", lambda ctx: toy.release_notebook(ctx.root),
         points_without(*FULL), "graded"),
    Case("wrong_norm", "an honest mistake in one step", _answers(norm=WRONG_NORM),
         points_without("test_norm"), "graded"),
    # --- runaway code -------------------------------------------------------------------------
    Case("infinite_loop", "a busy loop in a solution cell (interrupted at the cell timeout)",
         _answers(norm="while True:\n    pass\n"), points_without("test_norm"), "cell-timeout"),
    Case("ignores_interrupt", "a loop that swallows KeyboardInterrupt (kernel restarted)",
         _answers(norm="while True:\n    try:\n        while True:\n            pass\n"
                       "    except KeyboardInterrupt:\n        pass\n"),
         points_without("test_norm"), "cell-timeout"),
    Case("os_exit", "os._exit in a solution cell", _answers(norm="import os\nos._exit(3)\n"),
         points_without("test_norm"), "kernel-died"),
    Case("segfault", "a segmentation fault through ctypes",
         _answers(norm="import ctypes\nctypes.string_at(0)\n"), points_without("test_norm"), "kernel-died"),
    Case("exit_call", "exit() at the end of a solution cell (the kernel quits after the cell)",
         _answers(norm=toy.SOLUTIONS["norm"] + "exit()\n"), points_without("test_norm"), "kernel-died"),
    Case("sys_exit", "sys.exit() in a solution cell (IPython turns it into an error)",
         _answers(norm="import sys\nsys.exit(1)\n"), points_without("test_norm"), "graded"),
    Case("memory_bomb", "allocating until the memory limit",
         _answers(norm="hoard = []\nwhile True:\n    hoard.append(bytearray(50 * 1024 * 1024))\n"),
         points_without("test_norm"), "memory-limit"),
    Case("huge_output", "a correct square that prints 20 MB every call",
         _answers(square="def square(x):\n    print('spam ' * 4_000_000)\n    return x * x\n"),
         FULL, "output-truncated"),
    Case("fork_bomb", "spawning processes until the limit, leaving them running",
         _answers(norm="import subprocess\nkids = []\nwhile True:\n"
                       "    kids.append(subprocess.Popen(['sleep', '3601'], start_new_session=True))\n"),
         points_without("test_norm"), "graded"),
    Case("snoop", "reading the gradebook, the source and another submission, deleting the "
         "gradebook, reaching a local service", _snoop, FULL, "graded"),
    Case("vandal", "deleting the gradebook, every other student's submission and autograded/ (by the "
         "course's path and in every ancestor of the working folder)", lambda ctx: _vandal(ctx.root),
         FULL, "graded"),
    Case("print_source", "printing the source notebook (solutions and hidden tests) into its outputs",
         lambda ctx: _print_source(ctx.root), FULL, "graded"),
    # --- broken files ---------------------------------------------------------------------------
    Case("invalid_json", "a notebook file that is not JSON", lambda ctx: b"\x89PNG not a notebook",
         points_without(*FULL), "invalid-notebook"),
    Case("truncated", "the reference notebook cut in the middle of the file",
         _truncated_reference,
         points_without(*FULL), "invalid-notebook"),
    Case("not_a_notebook", "valid JSON that is not a notebook",
         lambda ctx: json.dumps({"cells": "none"}).encode(), points_without(*FULL), "invalid-notebook"),
    Case("missing_kernelspec", "no kernelspec in the metadata", _edited(_kernelspec(None)),
         FULL, "notebook-repaired"),
    Case("foreign_kernelspec", "an R kernelspec",
         _edited(_kernelspec({"name": "ir", "display_name": "R", "language": "R"})),
         FULL, "notebook-repaired"),
    # --- damaged structure ----------------------------------------------------------------------
    Case("duplicated_cells", "a grade cell and a solution cell copy-pasted (norm wrong)",
         _edited(_duplicate, norm=WRONG_NORM), points_without("test_norm"), "notebook-repaired"),
    Case("deleted_grade_cell", "the grade cell of a wrong step deleted",
         _edited(_delete("test_mean_of"), mean_of=WRONG_MEAN), points_without("test_mean_of"),
         "notebook-repaired"),
    Case("edited_test_cell", "the test of a wrong step replaced by `pass`",
         _edited(_set_source("test_norm", "pass\n"), norm=WRONG_NORM), points_without("test_norm"),
         "notebook-repaired"),
    Case("edited_setup_cell", "the locked helper cell edited so close_enough always agrees",
         _edited(_set_source("setup", "import math\nimport numpy as np\n\ndef close_enough(a, b, tol=0):\n"
                                      "    return True\n"), square=SQUARE_INTS_ONLY),
         points_without("test_square"), "notebook-repaired"),
    Case("forged_points", "points of a test raised and a made-up grade cell worth 100 added",
         _edited(_forge_points), FULL, "notebook-repaired"),
    # --- tampering with what tests rely on ------------------------------------------------------
    Case("patch_numpy", "np.testing.assert_allclose replaced by a no-op",
         _answers(mean_of=MEDIAN_NOT_MEAN + "np.testing.assert_allclose = lambda *args, **kwargs: None\n"),
         points_without("test_mean_of"), "tamper-reverted", tamper=True),
    Case("patch_math", "math.isclose replaced to always agree",
         _answers(norm=NORM_ZERO_IS_ONE + "math.isclose = lambda *args, **kwargs: True\n"),
         points_without("test_norm"), "tamper-reverted", tamper=True),
    Case("patch_builtins", "builtins.abs replaced so every difference looks like 0",
         _answers(square="import builtins\n" + SQUARE_INTS_ONLY + "builtins.abs = lambda value: 0\n"),
         points_without("test_square"), "tamper-reverted", tamper=True),
    Case("redefine_helper", "the helper the tests call redefined to always agree",
         _answers(square=SQUARE_INTS_ONLY + "def close_enough(a, b, tol=0):\n    return True\n"),
         points_without("test_square"), "tamper-reverted", tamper=True),
    Case("swallow_exceptions", "set_custom_exc swallowing AssertionError plus a post_run_cell hook "
         "that erases the error from the result",
         _answers(square=SWALLOW_EXCEPTIONS),
         points_without("test_square"), "tamper-reverted", tamper=True),
    Case("ast_transformer", "an AST transformer that deletes every assert",
         _answers(norm="import ast\n\ndef norm(v):\n    return 0.0\n\n"
                       "class DropAsserts(ast.NodeTransformer):\n"
                       "    def visit_Assert(self, node):\n        return None\n\n"
                       "get_ipython().ast_transformers.append(DropAsserts())\n"),
         points_without("test_norm"), "tamper-reverted", tamper=True),
    Case("input_transformer", "an input transformer that empties every later cell",
         _answers(mean_of=WRONG_MEAN + "get_ipython().input_transformers_post.append(lambda lines: [])\n"),
         points_without("test_mean_of"), "tamper-reverted", tamper=True),
]

CASES_BY_STUDENT = {case.student: case for case in CASES}
