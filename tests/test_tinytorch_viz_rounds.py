"""tinytorch.viz_rounds: the figures of rounds draw the data they are given and refuse bad input."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from tinytorch import viz_rounds


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_relative_range_is_max_minus_min_over_median() -> None:
    assert math.isclose(viz_rounds.relative_range([1.0, 1.2, 1.1]), 0.2 / 1.1)
    assert viz_rounds.relative_range([2.0]) == 0.0


def test_machine_states_plots_each_round_and_the_median() -> None:
    times, p50s = [0.0, 0.1, 0.2, 0.3, 0.4], [0.06, 0.06, 0.08, 0.08, 0.061]
    ax = viz_rounds.plot_machine_states(times, p50s, label="baseline")
    data_line, median_line = ax.get_lines()[:2]
    assert np.allclose(data_line.get_xdata(), times) and np.allclose(data_line.get_ydata(), p50s)
    assert np.allclose(median_line.get_ydata(), 0.061)
    assert "ms" in ax.get_ylabel() and "(s)" in ax.get_xlabel()
    assert "33%" in ax.get_title(), ax.get_title()


def test_interleaved_shows_shared_states_and_same_versus_cross_round_ratios() -> None:
    state = np.array([1.0, 1.0, 1.3, 1.3, 1.0])
    comparison = {"p50_a_ms": list(0.2 * state), "p50_b_ms": list(0.05 * state), "ratios": [4.0] * 5, "speedup": 4.0}
    left, right = viz_rounds.plot_interleaved(comparison, names=("baseline", "pruned"))
    a_line, b_line = left.get_lines()[:2]
    assert np.allclose(a_line.get_ydata(), state) and np.allclose(b_line.get_ydata(), state)
    assert "baseline" in a_line.get_label() and "pruned" in b_line.get_label()
    assert [tick.get_text() for tick in right.get_xticklabels()] == ["same round", "different rounds"]
    assert any(np.allclose(line.get_ydata(), 4.0) for line in right.get_lines())
    assert "same round 0%" in right.get_title() and "different 53%" in right.get_title()  # (5.2 - 4 / 1.3) / 4


def test_interleaved_titles_legends_and_axis_labels_do_not_overlap() -> None:
    rng = np.random.default_rng(3)
    p50_a, p50_b = rng.uniform(0.15, 0.2, 21), rng.uniform(0.05, 0.08, 21)
    comparison = {"p50_a_ms": p50_a, "p50_b_ms": p50_b, "ratios": p50_a / p50_b, "speedup": float(np.median(p50_a / p50_b))}
    left, right = viz_rounds.plot_interleaved(comparison, names=("baseline", "pruned-int8"))
    figure = left.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = {
        "left title": left.title.get_window_extent(renderer),
        "right title": right.title.get_window_extent(renderer),
        "left y label": left.yaxis.label.get_window_extent(renderer),
        "right y label": right.yaxis.label.get_window_extent(renderer),
        "left legend": left.get_legend().get_window_extent(renderer),
        "right legend": right.get_legend().get_window_extent(renderer),
        "left panel": left.get_window_extent(renderer),
        "right panel": right.get_window_extent(renderer),
    }
    names = list(boxes)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            if {first, second} in ({"left title", "left panel"}, {"right title", "right panel"}):
                continue
            assert not boxes[first].overlaps(boxes[second]), f"{first} overlaps {second}"
    figure_box = figure.bbox
    for name, box in boxes.items():
        assert box.x0 >= figure_box.x0 - 1 and box.x1 <= figure_box.x1 + 1, f"{name} leaves the figure"


def test_cross_round_ratios_leave_out_the_same_round() -> None:
    ratios = viz_rounds.cross_round_ratios([1.0, 2.0], [1.0, 4.0])
    assert sorted(ratios.tolist()) == [0.25, 2.0]


@pytest.mark.parametrize(
    "bad",
    [[], [0.1, 0.0], [0.1, float("nan")], [[0.1, 0.2]]],
)
def test_bad_latencies_are_refused_with_their_name(bad) -> None:
    with pytest.raises(ValueError, match="round_p50s_ms"):
        viz_rounds.plot_machine_states(list(range(len(bad))), bad)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        viz_rounds.plot_machine_states([0.0, 1.0], [0.1])
    with pytest.raises(ValueError, match="differ in length"):
        viz_rounds.plot_interleaved({"p50_a_ms": [0.1, 0.2], "p50_b_ms": [0.1], "ratios": [1.0, 2.0]})


def test_student_facing_module_imports_no_instructor_tooling() -> None:
    source = viz_rounds.__file__
    with open(source, encoding="utf-8") as handle:
        assert "course_tools" not in handle.read()
