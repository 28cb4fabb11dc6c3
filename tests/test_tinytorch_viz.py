"""The notebook's given plots stay truthful and readable when the machine is busy."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from tinytorch import viz  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def busy_machine_runs(seed: int = 0) -> dict[str, np.ndarray]:
    """Five repeats of ~0.17 ms calls, each with a few calls delayed by 10-20 ms."""
    rng = np.random.default_rng(seed)
    runs = {}
    for index in range(5):
        samples = rng.normal(0.17, 0.003, 100)
        samples[rng.choice(100, 3, replace=False)] = rng.uniform(10, 20, 3)
        runs[f"run {index + 1}"] = samples
    return runs


def test_repeated_runs_use_a_log_axis_and_state_the_spread_of_medians_and_slowest_calls():
    runs = busy_machine_runs()
    ax = viz.plot_repeated_runs(runs)
    assert ax.get_yscale() == "log", "outliers 100x the median squash a linear axis"
    medians = [float(np.median(s)) for s in runs.values()]
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert f"{min(medians):.4g}" in legend and f"{max(medians):.4g}" in legend, legend
    assert f"{max(max(s) for s in runs.values()):.3g}" in legend, legend


def test_the_baseline_outline_is_drawn_on_top_of_a_model_with_identical_ratios():
    same = {"parameter_count": 10, "model_size_mb": 4.0, "accuracy": 0.99, "latency_ms_p50": 0.2}
    metrics = {"baseline": same, "dense-pruned": dict(same), "smaller": dict(same, model_size_mb=1.0)}
    ax = viz.plot_tradeoff_triangle(metrics, baseline="baseline")
    lines = {line.get_label().split(":")[0].split(" (")[0]: line for line in ax.get_lines()}
    assert lines["baseline"].get_zorder() > max(line.get_zorder() for name, line in lines.items() if name != "baseline")
    assert lines["baseline"].get_linestyle() != lines["dense-pruned"].get_linestyle(), "an identical outline hides it"


def test_batch_sweep_title_states_the_measurement_and_marks_where_throughput_peaks():
    sweep = [(1, 0.2, 5000.0), (8, 0.5, 16000.0), (32, 1.0, 32000.0), (128, 10.0, 12800.0), (512, 40.0, 12800.0)]
    ax = viz.plot_batch_sweep(sweep)
    title = ax.get_title().lower()
    assert "against batch size" in title and "raises" not in title, title
    assert [int(t) for t in ax.get_xticks()] == [1, 8, 32, 128, 512]
    labels = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "32,000 samples/s at batch 32" in labels, labels
