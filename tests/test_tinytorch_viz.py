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


def comparison(speedup: float, spread: float = 0.1, rounds: int = 9) -> dict:
    """A compare_latency-shaped result whose ratios spread evenly around ``speedup``, with an
    interval of +-5% around it (given, not computed: the plots only draw what they are given)."""
    ratios = list(np.linspace(speedup * (1 - spread), speedup * (1 + spread), rounds))
    interval = {"low": speedup * 0.95, "high": speedup * 1.05, "confidence": 0.95, "resamples": 2000, "seed": 0,
                "method": "percentile_bootstrap_median"}
    return {"speedup": speedup, "ratios": ratios, "p50_a_ms": [0.2] * rounds, "p50_b_ms": [0.2 / r for r in ratios],
            "interval": interval}


def outline(ax, name):
    return next(line for line in ax.get_lines() if line.get_label().startswith(name))


def test_the_baseline_outline_is_drawn_on_top_of_a_model_with_identical_ratios():
    same = {"parameter_count": 10, "model_size_mb": 4.0, "accuracy": 0.99, "latency_ms_p50": 0.2}
    metrics = {"baseline": same, "dense-pruned": dict(same), "smaller": dict(same, model_size_mb=1.0)}
    speedups = {"dense-pruned": comparison(1.0), "smaller": comparison(1.0)}
    ax = viz.plot_tradeoff_triangle(metrics, baseline="baseline", speedups=speedups)
    lines = {line.get_label().split(":")[0].split(" (")[0]: line for line in ax.get_lines() if line.get_label()[0] != "_"}
    assert lines["baseline"].get_zorder() > max(line.get_zorder() for name, line in lines.items() if name != "baseline")
    assert lines["baseline"].get_linestyle() != lines["dense-pruned"].get_linestyle(), "an identical outline hides it"


def test_triangle_shows_an_accuracy_loss_and_states_it_in_the_legend():
    base = {"parameter_count": 10, "model_size_mb": 4.0, "accuracy": 0.99, "latency_ms_p50": 0.2}
    metrics = {"baseline": base, "lossy": dict(base, accuracy=0.98)}
    ax = viz.plot_tradeoff_triangle(metrics, baseline="baseline", speedups={"lossy": comparison(1.0)})
    accuracy_radius = outline(ax, "lossy").get_ydata()[0]
    base_radius = outline(ax, "baseline").get_ydata()[0]
    assert base_radius - accuracy_radius >= 0.9, "a 1-point loss must move the accuracy corner a whole ring in"
    assert "accuracy -1.0 pt" in outline(ax, "lossy").get_label()
    assert "accuracy 0.9900" in outline(ax, "baseline").get_label()


def test_triangle_speed_comes_from_the_interleaved_comparison_not_the_p50_ratio():
    base = {"parameter_count": 10, "model_size_mb": 4.0, "accuracy": 0.99, "latency_ms_p50": 0.2}
    # Measured one after the other the p50s say 1x; the interleaved rounds say 2x.
    metrics = {"baseline": base, "fast": dict(base)}
    ax = viz.plot_tradeoff_triangle(metrics, baseline="baseline", speedups={"fast": comparison(2.0)})
    assert np.isclose(outline(ax, "fast").get_ydata()[1], 4.0), "2x faster is one ring out from the baseline's 3"
    assert "speed 2.00x [1.90, 2.10]" in outline(ax, "fast").get_label(), outline(ax, "fast").get_label()
    whisker = next(line for line in ax.get_lines() if line.get_label().startswith("_") and line.get_linewidth() == 4)
    assert np.allclose(whisker.get_ydata(), [3.0 + np.log2(1.9), 3.0 + np.log2(2.1)]), "the bar spans the interval"
    with pytest.raises(ValueError, match="fast"):
        viz.plot_tradeoff_triangle(metrics, baseline="baseline", speedups={})


def test_metrics_table_adds_the_interleaved_speedup_column():
    m = {"parameter_count": 10, "precision": "fp32", "model_size_mb": 4.0, "accuracy": 0.99, "latency_ms_p50": 0.2,
         "latency_ms_p99": 0.3, "throughput_samples_per_sec": 5000.0}
    table = viz.metrics_table({"baseline": m, "fast": m}, speedups={"fast": comparison(2.5)})
    header, _, base_row, fast_row = table.splitlines()
    assert "speed vs base" in header and base_row.endswith("-") and fast_row.endswith("2.50x [2.38, 2.62]"), table


def test_reality_card_states_a_spread_of_the_p50_not_a_cv_set_by_outliers():
    rng = np.random.default_rng(1)
    latencies = rng.normal(0.2, 0.004, 350)
    latencies[:4] = 30.0  # four calls that waited for the CPU
    metrics = {"batch_size": 1, "precision": "int8", "latency_ms_p50": 0.2, "latency_ms_std": float(latencies.std()),
               "latency_ms_mean": float(latencies.mean()), "latency_p50_spread": 0.05,
               "latency_ms_round_p50s": [0.2] * 7}
    report = {"model_name": "m", "metrics": metrics,
              "system_info": {"platform": "Linux", "machine": "x86_64", "cpu_count": 2, "load_average": 1.0}}
    card = viz.engineering_reality_card(report, latencies)
    variance = next(line for line in card.splitlines() if "Variance" in line)
    assert "cv" not in variance and "round p50s spread 5.0% (7 rounds)" in variance, variance
    iqr_share = float(variance.split("= ")[1].split("%")[0])
    assert 1 < iqr_share < 5, f"the bulk of the calls lies within a few % of the median: {variance}"
    assert "Speedup" not in card, "without a comparison the card states no speedup"
    card = viz.engineering_reality_card(report, latencies, comparison(2.0))
    speed = next(line for line in card.splitlines() if "Speedup" in line)
    assert "2.00x [1.90, 2.10] (95% interval of the median of 9 same-round ratios)" in speed, speed


def test_batch_sweep_title_states_the_measurement_and_marks_where_throughput_peaks():
    sweep = [(1, 0.2, 5000.0), (8, 0.5, 16000.0), (32, 1.0, 32000.0), (128, 10.0, 12800.0), (512, 40.0, 12800.0)]
    ax = viz.plot_batch_sweep(sweep)
    title = ax.get_title().lower()
    assert "against batch size" in title and "raises" not in title, title
    assert [int(t) for t in ax.get_xticks()] == [1, 8, 32, 128, 512]
    labels = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "32,000 samples/s at batch 32" in labels, labels


@pytest.mark.parametrize("batch_1_ms", [0.05, 0.2, 0.7, 3.0])
def test_batch_sweep_labels_a_tick_near_every_point_on_both_axes(batch_1_ms):
    sweep = [(b, batch_1_ms * b**0.8, b / (batch_1_ms * b**0.8) * 1000) for b in (1, 8, 32, 128, 512)]
    ax = viz.plot_batch_sweep(sweep)
    ax.figure.canvas.draw()
    right = next(other for other in ax.figure.axes if other is not ax)
    for axis, values in ((ax, [row[1] for row in sweep]), (right, [row[2] for row in sweep])):
        low, high = axis.get_ylim()
        labelled = [float(t.get_position()[1]) for t in axis.get_yticklabels() if t.get_text() and low <= t.get_position()[1] <= high]
        assert len(labelled) >= 2, labelled
        for value in values:
            nearest = min(labelled, key=lambda tick: abs(np.log(tick / value)))
            assert 1 / 1.6 <= nearest / value <= 1.6, f"{value} has no labelled tick near it: {labelled}"


def test_batch_sweep_legend_covers_no_point():
    sweep = [(1, 0.2, 5000.0), (8, 0.8, 10000.0), (32, 6.0, 5300.0), (128, 11.0, 11750.0), (512, 85.0, 6000.0)]
    ax = viz.plot_batch_sweep(sweep)
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    for axis in ax.figure.axes:
        for line in axis.get_lines():
            for x, y in line.get_xydata():
                px, py = axis.transData.transform((x, y))
                assert not legend.contains(px, py), f"the legend covers the point ({x}, {y}) of {line.get_label()}"


def test_repeated_runs_label_a_tick_near_the_medians():
    runs = busy_machine_runs()
    ax = viz.plot_repeated_runs(runs)
    ax.figure.canvas.draw()
    low, high = ax.get_ylim()
    labelled = [t.get_position()[1] for t in ax.get_yticklabels() if t.get_text() and low <= t.get_position()[1] <= high]
    median = float(np.median(np.concatenate(list(runs.values()))))
    assert any(1 / 1.6 <= tick / median <= 1.6 for tick in labelled), (median, labelled)
