"""What a student learns before submitting: the release's visible checks, run on every variant.

Each variant of `pipeline_variants/` (and the reference) becomes a submission built from the
release notebook, with no hidden tests, and runs as a student runs it top to bottom: the setup
cell, then every solution cell (the variant's code for its step, the reference elsewhere) and
every grade cell as released, in notebook order, a failing cell not stopping the next. The given
demonstration cells (plots, benchmarks of every model) are skipped: no grade cell uses what they
define, and they would only make the run slower. All in one subprocess, without nbgrader: the
reference runs top to bottom, and each variant is a fork of that run at its own step's solution
cell (the cells above it are the reference's, so running them again would give the same state).

Asserted: no correct variant (nor the reference) fails any visible check; at least
`MIN_CAUGHT_FRACTION` of the wrong variants fail a visible check of their own step (the measured
fraction is printed); every failed check explains itself with a sentence, never an empty message
or a bare repr.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_pipeline_grading import CORRECT, WRONG

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID

COURSE = Path(__file__).resolve().parents[1]
RELEASE = COURSE / "release" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
SOURCE = COURSE / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
MIN_CAUGHT_FRACTION = 0.75

RUNNER = textwrap.dedent('''
    import contextlib, io, json, os, sys, traceback
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    from course_tools.samples import solution_sources

    release = nbformat.read(sys.argv[1], as_version=4)
    reference = solution_sources(nbformat.read(sys.argv[2], as_version=4))
    cases = json.loads(sys.stdin.read())
    cells = []
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if cell.cell_type == "code" and (grade_id == "setup" or meta.get("solution") or meta.get("grade")):
            cells.append((grade_id, bool(meta.get("solution")), bool(meta.get("grade")), cell.source))

    def run(grade_id, is_grade, source, namespace, failures):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, grade_id, "exec"), namespace)
        except BaseException as error:  # a student sees any exception as a failed cell
            if is_grade:
                failures[grade_id] = [type(error).__name__, str(error)]
            else:
                failures[grade_id] = ["in a solution cell: " + type(error).__name__, str(error)]
        finally:
            plt.close("all")

    def variant_from_here(name, index, code, namespace, failures):
        # A forked child holds the reference run's state up to this solution cell: exactly what
        # running the cells above again would give, without running them again.
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            # The child must never return into the parent's loop, whatever happens in it.
            try:
                os.close(read_end)
                own = dict(failures)
                for position, (grade_id, is_solution, is_grade, source) in enumerate(cells[index:]):
                    if is_solution:
                        source = code if position == 0 else reference[grade_id]
                    run(grade_id, is_grade, source, namespace, own)
                with os.fdopen(write_end, "w") as out:
                    out.write(json.dumps(own))
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end) as result:
            text = result.read()
        _, status = os.waitpid(child, 0)
        assert status == 0 and text, f"{name}: its forked run ended without a result (wait status {status})"
        return json.loads(text)

    # The reference runs top to bottom as a student runs it; every variant of a step branches off
    # at that step's solution cell, so each case sees every cell, in notebook order.
    results, namespace, failures = {}, {"__name__": "__main__"}, {}
    for index, (grade_id, is_solution, is_grade, source) in enumerate(cells):
        if is_solution:
            for name, step, code in cases:
                if step == grade_id:
                    results[name] = variant_from_here(name, index, code, namespace, failures)
            source = reference[grade_id]
        run(grade_id, is_grade, source, namespace, failures)
    results["reference"] = failures
    missing = sorted(name for name, _, _ in cases if name not in results)
    assert not missing, f"variants of steps the release has no solution cell for: {missing}"
    print(json.dumps(results))
''')


@pytest.fixture(scope="module")
def visible() -> dict[str, dict[str, list[str]]]:
    """``{case: {grade id of a failed cell: [exception type, message]}}``; cases: ``reference`` and
    every variant with code."""
    payload = [(v.name, v.step, v.code) for v in WRONG + CORRECT if v.code is not None]
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(RELEASE), str(SOURCE)],
        input=json.dumps(payload), capture_output=True, text=True, timeout=900, cwd=COURSE)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def own_step(grade_id: str, step: str) -> bool:
    return grade_id == f"test_{step}" or grade_id.startswith(f"test_{step}__")


def test_the_reference_passes_every_visible_check(visible):
    assert visible["reference"] == {}, visible["reference"]


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.name)
def test_a_correct_variant_passes_every_visible_check(visible, variant):
    assert visible[variant.name] == {}, visible[variant.name]


def test_most_wrong_variants_fail_a_visible_check_of_their_own_step(visible):
    wrong = [v for v in WRONG if v.code is not None]
    caught = [v for v in wrong if any(own_step(cell, v.step) for cell in visible[v.name])]
    missed = sorted(v.name for v in wrong if v not in caught)
    fraction = len(caught) / len(wrong)
    print(f"\nvisible checks catch {len(caught)}/{len(wrong)} wrong variants ({fraction:.0%}) in their own step; "
          f"missed: {missed}")
    assert fraction >= MIN_CAUGHT_FRACTION, f"only {fraction:.0%} caught; missed: {missed}"


def _is_a_sentence(message: str) -> bool:
    """Words a student can read, not an empty message or the repr of a value."""
    try:
        ast.literal_eval(message.strip())
        return False
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        pass
    return sum(word.strip(".,:;!?()'\"").isalpha() for word in message.split()) >= 4


def test_every_failed_visible_check_explains_itself(visible):
    unclear = {
        (case, cell): message
        for case, failures in visible.items()
        for cell, (kind, message) in failures.items()
        if kind == "AssertionError" and not _is_a_sentence(message)
    }
    assert not unclear, unclear
    assert any(kind == "AssertionError" for failures in visible.values() for kind, _ in failures.values()), (
        "no visible check failed at all: this test checked nothing")
