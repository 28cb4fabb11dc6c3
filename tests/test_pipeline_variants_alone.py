"""Each wrong variant, alone, is caught by a grade cell of its own step (hidden tests included).

`test_pipeline_grading` grades wrong variants of different steps packed into one submission; a
variant could then score 0 because of a neighbour's side effect rather than its own bug. This
check runs every variant on its own, without nbgrader (in one subprocess: the setup cell, every
solution cell with only that step replaced, then each of that step's full grade cells), so a hidden test
that misses a variant cannot hide behind the packing. The reference must pass every grade cell
the same way, or the check itself is not trustworthy.

"Caught" is the rule `test_pipeline_visible_checks` applies, made strict: a grade cell *of the
variant's own step* raises one of `CAUGHT_BY`. Anything else does not count: a variant whose
cells do not compile or whose definitions fail to run (a ``NameError`` in set-up), a grade cell
that crashes with another exception (a typo's ``NameError`` when the step runs, or a
``ZeroDivisionError`` that no check turned into a sentence saying what to fix), or a failure in
another step's cell. Such a variant is a broken test input, and the test fails naming it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_pipeline_grading import CORRECT, SOURCE, STEPS, WRONG

from course_tools.samples import solution_sources

# The exceptions by which a grade cell catches a wrong step: a failed check (AssertionError) and the
# ValueError the contract names for bad input. A step that crashes on valid input (latency_stats
# dividing by a zero mean) is caught only if its grade cell turns the crash into an AssertionError
# that says what to fix; a bare crash tells the student nothing.
CAUGHT_BY = ("AssertionError", "ValueError")

RUNNER = textwrap.dedent('''
    import contextlib, io, json, sys, tracemalloc
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    from course_tools.facts import step_of_grade_cell
    from course_tools.samples import solution_sources

    source = nbformat.read(sys.argv[1], as_version=4)
    cases = json.loads(sys.stdin.read())
    reference = solution_sources(source)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in source.cells}
    steps = [c.metadata["nbgrader"]["grade_id"] for c in source.cells
             if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    grade_cells = {step: [c.metadata["nbgrader"]["grade_id"] for c in source.cells
                          if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
                          and step_of_grade_cell(c.metadata["nbgrader"]["grade_id"]) == step]
                   for step in steps}
    results = {}
    for name, step, code in cases:
        namespace = {"__name__": "__main__"}
        result = {"set_up": None, "failures": {}}
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(cells["setup"], "setup", "exec"), namespace)
                for other in steps:
                    body = code if other == step else reference[other]
                    exec(compile(body, other, "exec"), namespace)
                for grade_id in grade_cells[step]:
                    try:
                        exec(compile(cells[grade_id], grade_id, "exec"), namespace)
                    except BaseException as error:  # recorded with its type: the test says which count
                        result["failures"][grade_id] = [type(error).__name__, str(error)[:200]]
        except BaseException as error:  # the setup or a solution cell: the variant never reached its grade cells
            result["set_up"] = f"{type(error).__name__}: {error}"[:300]
        finally:
            if tracemalloc.is_tracing():
                tracemalloc.stop()
            plt.close("all")
        results[name] = result
    print(json.dumps(results))
''')

COURSE = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def alone() -> dict[str, dict]:
    """``{case: {"set_up": None or the error before any grade cell ran, "failures": {grade id:
    [exception type, message]}}}``; cases are ``reference:<step>`` and every variant with code."""
    solutions = solution_sources(SOURCE)
    payload = [(f"reference:{step}", step, solutions[step]) for step in STEPS]
    payload += [(v.name, v.step, v.code) for v in WRONG + CORRECT if v.code is not None]
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(COURSE / "source" / "20_capstone" / "capstone.ipynb")],
        input=json.dumps(payload), capture_output=True, text=True, timeout=600, cwd=COURSE)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_reference_passes_every_grade_cell_this_way(alone):
    failing = {name: outcome for name, outcome in alone.items()
               if name.startswith("reference:") and (outcome["set_up"] or outcome["failures"])}
    assert not failing, failing


@pytest.mark.parametrize("variant", [v for v in WRONG if v.code is not None], ids=lambda v: v.name)
def test_a_wrong_variant_is_caught_by_a_grade_cell_of_its_own_step(alone, variant):
    outcome = alone[variant.name]
    assert outcome["set_up"] is None, (
        f"{variant.name} never reached its grade cells ({outcome['set_up']}): a broken variant, not a caught one")
    caught = {cell: failure for cell, failure in outcome["failures"].items() if failure[0] in CAUGHT_BY}
    assert caught, (f"{variant.name} is not caught by a grade cell of {variant.step} "
                    f"(failures: {outcome['failures'] or 'none'}): the hidden tests miss it, or it crashes them")


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.name)
def test_a_correct_variant_passes_its_grade_cell_on_its_own(alone, variant):
    assert alone[variant.name] == {"set_up": None, "failures": {}}, alone[variant.name]


# Partial credit: a slip in one part of a contract fails only the grade cells of that part.
ONLY_THESE_CELLS_FAIL = {
    "latency_stats__wrong_sample_std": {"test_latency_stats__centre"},
    # std with ddof=1 but cv from the population std: cv disagrees with the std it reports.
    "latency_stats__wrong_cv_from_reference_std": {"test_latency_stats__centre", "test_latency_stats__tail"},
    "measure_latency__wrong_times_warmup": {"test_measure_latency__units"},
    "measure_latency__wrong_seconds": {"test_measure_latency__units"},
    # Its extra samples fail the shape check; its timed warm-ups fail the units check on every
    # run (they return at once there), not by a margin that load could cross.
    "measure_latency__wrong_warmup_kept": {"test_measure_latency", "test_measure_latency__units"},
    "plot_latency_distribution__wrong_linear_bins": {"test_plot_latency_distribution__labels"},
    "benchmark_report__wrong_throughput_on_all_of_x": {"test_benchmark_report__metrics"},
    "benchmark_report__wrong_median_throughput": {"test_benchmark_report__metrics"},
    "latency_stats__wrong_cv_zero_division": {"test_latency_stats__tail"},
    "benchmark_report__wrong_memory_on_all_of_x": {"test_benchmark_report__metrics"},
    "evaluate_recipe__wrong_chosen_on_test": {"test_evaluate_recipe__measures"},
    # The interval's value (the median, resampled with replacement, at the confidence asked) apart
    # from its reproducibility and refusals.
    "speedup_interval__wrong_interval_of_mean": {"test_speedup_interval"},
    "speedup_interval__wrong_alpha_not_halved": {"test_speedup_interval"},
    "speedup_interval__wrong_ignores_confidence": {"test_speedup_interval"},
    "speedup_interval__wrong_no_seed": {"test_speedup_interval__seed_and_errors"},
    "speedup_interval__wrong_fixed_seed": {"test_speedup_interval__seed_and_errors"},
    "speedup_interval__wrong_accepts_few_rounds": {"test_speedup_interval__seed_and_errors"},
    "compare_latency__wrong_interval_of_one_side": {"test_compare_latency__order_and_spread"},
}


@pytest.mark.parametrize("variant", sorted(ONLY_THESE_CELLS_FAIL))
def test_a_slip_in_one_part_costs_only_that_parts_cells(alone, variant):
    outcome = alone[variant]
    assert outcome["set_up"] is None, outcome["set_up"]
    assert set(outcome["failures"]) == ONLY_THESE_CELLS_FAIL[variant], outcome["failures"]
