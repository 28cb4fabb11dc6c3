"""How wide the student's 95% speedup interval is at the notebook's defaults, and how it shrinks
with rounds.

The reference ``compare_latency`` (which attaches the reference ``speedup_interval``) compares the
baseline with the model of the notebook's own recipe (``MY_RECIPE`` of its settings cell), on the
single test sample the submission cell uses, at 11, 21, 41 (the default) and 81 rounds, every other
argument at its default. Each repeat measures every round count once, in a rotated order, so that a
slow phase of the machine does not always fall on the same count; the figures are medians over the
repeats. The percentile bootstrap's width should shrink roughly as 1 / sqrt(rounds).
"""

from __future__ import annotations

import inspect
import statistics
from types import SimpleNamespace

from benchmarks.harness import Figure
from benchmarks.reference_solution import settings_cell
from tinytorch import Recipe, SimpleMLP, load_model, optimize_model

ROUNDS = (11, 21, 41, 81)


def notebook_recipe() -> Recipe:
    """``MY_RECIPE`` as the notebook's settings cell sets it."""
    namespace: dict = {"Recipe": Recipe}
    exec(compile(settings_cell().source, "<settings>", "exec"), namespace)
    recipe: Recipe = namespace["MY_RECIPE"]
    return recipe


def measure(ref: SimpleNamespace, repeats: int = 3) -> dict:
    """``{"recipe", "default_rounds", "by_rounds": {rounds: [comparison of each repeat]}}``."""
    recipe = notebook_recipe()
    baseline = load_model("baseline")
    assert isinstance(baseline, SimpleMLP)
    model = optimize_model(baseline, recipe, ref.X_train, ref.y_train).model
    x = ref.X_test[:1]
    by_rounds: dict[int, list[dict]] = {rounds: [] for rounds in ROUNDS}
    for repeat in range(repeats):
        shift = repeat % len(ROUNDS)
        for rounds in ROUNDS[shift:] + ROUNDS[:shift]:
            by_rounds[rounds].append(ref.compare_latency(baseline, model, x, rounds=rounds))
    default_rounds = inspect.signature(ref.compare_latency).parameters["rounds"].default
    return {"recipe": recipe, "default_rounds": default_rounds, "by_rounds": by_rounds}


def relative_width(comparison: dict) -> float:
    """The interval's width as a fraction of the speedup it brackets."""
    return (comparison["interval"]["high"] - comparison["interval"]["low"]) / comparison["speedup"]


def widths(ref: SimpleNamespace, repeats: int = 3) -> list[Figure]:
    result = measure(ref, repeats)
    recipe, default = result["recipe"], result["default_rounds"]
    median_width = {
        rounds: statistics.median(map(relative_width, found)) for rounds, found in result["by_rounds"].items()
    }
    at_default = result["by_rounds"][default]
    claims = ", ".join(
        f"{c['speedup']:.2f}x [{c['interval']['low']:.2f}, {c['interval']['high']:.2f}]" for c in at_default
    )
    expected_shrink = (ROUNDS[-1] / ROUNDS[0]) ** 0.5
    shrink = median_width[ROUNDS[0]] / median_width[ROUNDS[-1]]
    return [
        Figure(
            "interval",
            f"the notebook's recipe (keep {recipe.keep_ratio:g}, {recipe.fine_tune_epochs} epochs, {recipe.precision}) "
            f"vs the baseline at the defaults ({default} rounds): speedup [95% interval], {repeats} repeats",
            f"{claims}; width {median_width[default]:.1%} of the speedup (median)",
            "reported",
            None,
        ),
        Figure(
            "interval",
            f"relative width of the 95% interval by rounds (median of {repeats} rotating repeats)",
            ", ".join(f"{rounds}: {median_width[rounds]:.1%}" for rounds in ROUNDS)
            + f"; {ROUNDS[0]} -> {ROUNDS[-1]} rounds {shrink:.1f}x narrower (1/sqrt(rounds): {expected_shrink:.1f}x)",
            f"narrower at {ROUNDS[-1]} than at {ROUNDS[0]} rounds",
            median_width[ROUNDS[-1]] < median_width[ROUNDS[0]],
        ),
    ]
