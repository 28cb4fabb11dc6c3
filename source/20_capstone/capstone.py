# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,language_info,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown]
# # Module 20 — Capstone: Benchmarking & Submission
#
# *TinyTorch Optimization Tier — bringing it all together: your complete ML system.*
#
# **From framework to reproducible science.** You have built tensors, layers, training, quantization
# and pruning. This capstone asks one question: *can you prove your optimized model is better?*
# You will build a small but rigorous benchmarking harness, measure a baseline and an optimized
# model with it, and produce a typed, validated `submission.json` that makes the claim checkable.
#
# How this notebook works:
# - Each step explains why it matters, gives you a function stub whose docstring states the
#   contract (units included), and ends with a test cell. Replace every
#   `raise NotImplementedError()` with your code.
# - Test cells show quick checks; the grader runs more checks of the same contract.
#   A bug in one step costs only that step's points.
# - Run the notebook top to bottom (*Kernel → Restart & Run All*) before you submit.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import json
import math
import os
import platform
import sys
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import matplotlib.pyplot as plt
import numpy as np

import tinytorch
from tinytorch import SCHEMA_VERSION, load_digits, load_model, load_submission_schema
from tinytorch import viz
from tinytorch.runtime import blas_threads, pin_blas_threads

# Batch-1 latency is far steadier with one BLAS thread; the report records this setting.
pin_blas_threads(1)
np.random.seed(0)

X_train, y_train, X_test, y_test = load_digits()
baseline = load_model("baseline")
x_one = X_test[:1]
print(f"test set: {X_test.shape}, BLAS threads: {blas_threads()}")

# %% [markdown]
# ## 1. Claims without context are meaningless
#
# **The marketing claim:** *"Our model is 10× faster!"*
#
# Faster on what? A number is not a result unless it is reproducible. The **engineering reality**
# behind any speed claim has five blanks that must be filled:
#
# | | |
# | --- | --- |
# | Hardware platform | `[_____]` |
# | Batch size | `[_____]` |
# | Precision (FP32/INT8) | `[_____]` |
# | Variance (std dev) | `[_____]` |
# | System load | `[_____]` |
#
# By the end of this notebook your own report fills every blank automatically.

# %% [markdown]
# ## 2. The three pillars of benchmarking
#
# A reliable benchmark stands on three pillars:
#
# - **Repeatability** — fixed seeds, consistent environments, low **variance**. *If I run it twice,
#   I get the same number.* → warm-up, a monotonic clock, distributions (steps 3–5).
# - **Comparability** — apples to apples: standardized **hardware** definitions, explicit software
#   versions. → the system context recorded with every number (step 4).
# - **Completeness** — no cherry-picking: **accuracy** + latency + memory measured together.
#   → `BenchmarkReport` (step 10).

# %% [markdown]
# ## 3. The measurement problem: latency vs. throughput
#
# - **Latency** (real-time, user experience): the time to process **one** request.
# - **Throughput** (batch processing): total samples processed per second,
#   $\text{throughput} = \dfrac{\text{batch size}}{\text{time per batch}}$.
#
# Batching increases **throughput** (efficiency) but degrades **latency** (everyone in the batch
# waits for the whole batch). You will measure both and see the trade-off in a plot (step 6).

# %% [markdown]
# ## 4. System noise and variance
#
# Run the same code twice and you get two different times: caches, CPU frequency, other processes,
# the garbage collector. **Single measurements capture noise. Distributions capture reality.**
#
# So a latency result is a *distribution*, summarised by its centre (`p50`, the median), its tail
# (`p90`, `p95`, `p99` — what the unluckiest users see) and its spread (`std`, and the coefficient of
# variation `cv = std / mean`, a unit-free noise level).
#
# ### Step 1 — `latency_stats` (3 points)
#
# Conventions (the grader uses exactly these): population standard deviation (`ddof=0`), numpy's
# default linear-interpolation percentiles (`np.percentile(samples, q)`).

# %% nbgrader={"grade": false, "grade_id": "latency_stats", "locked": false, "schema_version": 3, "solution": true, "task": false}
def latency_stats(samples_ms) -> dict:
    """Summarise latency samples.

    Args:
        samples_ms: a 1-D sequence of latencies in milliseconds (list or np.ndarray); not modified.

    Returns:
        dict with keys ``n`` (int, number of samples), ``mean``, ``std`` (population, ddof=0),
        ``min``, ``max``, ``p50``, ``p90``, ``p95``, ``p99`` (numpy's default linear percentiles),
        all in ms as floats, and ``cv`` = std / mean (unit-free float).

    Raises:
        ValueError: if there are no samples.
    """
    ### BEGIN SOLUTION
    samples = np.asarray(samples_ms, dtype=np.float64)
    if samples.size == 0:
        raise ValueError("latency_stats needs at least one sample")
    mean = float(samples.mean())
    std = float(samples.std())
    p50, p90, p95, p99 = (float(v) for v in np.percentile(samples, [50, 90, 95, 99]))
    return {
        "n": int(samples.size),
        "mean": mean,
        "std": std,
        "min": float(samples.min()),
        "max": float(samples.max()),
        "p50": p50,
        "p90": p90,
        "p95": p95,
        "p99": p99,
        "cv": std / mean,
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_latency_stats", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
_stats = latency_stats([1.0, 2.0, 3.0, 4.0])
assert _stats["n"] == 4
assert math.isclose(_stats["mean"], 2.5)
assert math.isclose(_stats["p50"], 2.5)
print("latency_stats: quick checks passed", _stats)
### BEGIN HIDDEN TESTS
def _check_latency_stats():
    samples = np.array([3.0, 1.0, 2.0, 10.0, 4.0, 5.0, 1.5, 2.5, 3.5, 50.0, 2.0])
    original = samples.copy()
    stats = latency_stats(samples)
    assert np.array_equal(samples, original), "latency_stats must not modify its input"
    expected_keys = {"n", "mean", "std", "min", "max", "p50", "p90", "p95", "p99", "cv"}
    assert expected_keys <= set(stats), f"missing keys: {expected_keys - set(stats)}"
    assert int(stats["n"]) == samples.size
    expected = {
        "mean": samples.mean(), "std": samples.std(), "min": samples.min(), "max": samples.max(),
        "p50": np.percentile(samples, 50), "p90": np.percentile(samples, 90),
        "p95": np.percentile(samples, 95), "p99": np.percentile(samples, 99),
        "cv": samples.std() / samples.mean(),
    }
    for key, value in expected.items():
        assert math.isclose(float(stats[key]), float(value), rel_tol=1e-9), (key, stats[key], value)
    assert math.isclose(float(latency_stats([0.5, 0.5, 0.5])["std"]), 0.0, abs_tol=1e-12)
    from_list = latency_stats([2.0, 4.0])
    assert math.isclose(float(from_list["std"]), 1.0) and math.isclose(float(from_list["cv"]), 1.0 / 3.0)
    try:
        latency_stats([])
    except ValueError:
        pass
    else:
        raise AssertionError("latency_stats([]) must raise ValueError")


_check_latency_stats()
### END HIDDEN TESTS

# %% [markdown]
# Why distributions? Here is one noisy benchmark: most calls take about 1 ms, a few are hit by
# noise. The mean hides the tail that `p99` exposes.

# %% nbgrader={"grade": false, "grade_id": "noise_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
_rng = np.random.default_rng(20)
_noisy_ms = np.concatenate([_rng.normal(1.0, 0.05, 95), _rng.normal(6.0, 1.0, 5)])
try:
    _noisy = latency_stats(_noisy_ms)
    print(f"mean {_noisy['mean']:.2f} ms | p50 {_noisy['p50']:.2f} ms | p99 {_noisy['p99']:.2f} ms | cv {_noisy['cv']:.0%}")
except NotImplementedError:
    print("implement latency_stats above to see the summary")

# %% [markdown]
# ## 5. Capturing context with `BenchmarkReport`
#
# Comparability needs the **context** of every number. The report captures it *immediately*, when it
# is created — the deck's `BenchmarkReport` starts like this:
#
# ```python
# class BenchmarkReport:
#     def __init__(self, model_name='model'):
#         self.model_name = model_name
#         self.metrics = {}
#         # Capture Context immediately
#         self.system_info = self._get_system_info()
# ```
#
# You will complete the class in step 10. First, the context itself.
#
# ### Step 2 — `get_system_info` (2 points)

# %% nbgrader={"grade": false, "grade_id": "get_system_info", "locked": false, "schema_version": 3, "solution": true, "task": false}
def get_system_info() -> dict:
    """Describe the machine and software a measurement ran on.

    Returns:
        A JSON-serialisable dict with at least:
        ``platform`` = ``platform.platform()``, ``python_version`` = ``sys.version.split()[0]``,
        ``numpy_version`` = ``np.__version__``, ``machine`` = ``platform.machine()``,
        ``processor`` = ``platform.processor()``, ``cpu_count`` = ``os.cpu_count()``,
        ``load_average`` = the 1-minute load average (``os.getloadavg()[0]``), or ``None`` where
        the OS has none. Add more if it matters (e.g. ``blas_threads`` = ``blas_threads()``):
        values must be str, int, float, bool or None.
    """
    ### BEGIN SOLUTION
    try:
        load_average = float(os.getloadavg()[0])
    except (AttributeError, OSError):
        load_average = None
    return {
        "platform": platform.platform(),
        "python_version": sys.version.split()[0],
        "numpy_version": np.__version__,
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "load_average": load_average,
        "blas_threads": blas_threads(),
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_get_system_info", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
_info = get_system_info()
for _key in ("platform", "python_version", "numpy_version"):
    assert _key in _info, f"missing {_key}"
print(json.dumps(_info, indent=2))
### BEGIN HIDDEN TESTS
def _check_get_system_info():
    info = get_system_info()
    assert isinstance(info, dict)
    expected = {
        "platform": platform.platform(), "python_version": sys.version.split()[0],
        "numpy_version": np.__version__, "machine": platform.machine(),
        "processor": platform.processor(), "cpu_count": os.cpu_count(),
    }
    for key, value in expected.items():
        assert key in info, f"missing key {key}"
        assert info[key] == value, (key, info[key], value)
    assert "load_average" in info, "missing key load_average"
    load = info["load_average"]
    if hasattr(os, "getloadavg"):
        assert isinstance(load, (int, float)) and not isinstance(load, bool) and load >= 0, load
    else:
        assert load is None
    for key, value in info.items():
        assert value is None or isinstance(value, (str, int, float, bool)), f"{key}: {type(value)}"
    json.dumps(info, allow_nan=False)


_check_get_system_info()
### END HIDDEN TESTS

# %% [markdown]
# ## 6. Implementing latency measurement
#
# Three rules make a latency measurement honest:
#
# 1. **Warm up** first: the first calls pay for caches, lazy allocation and page faults — not what a
#    user of a running service sees. Run them, don't time them.
# 2. **Time each call alone** with a **monotonic high-resolution clock**: `time.perf_counter()`
#    (or `perf_counter_ns()`). `time.time()` is wall-clock time: it can jump when the system clock
#    is adjusted, and its resolution is coarser.
# 3. **Keep every sample**: return the distribution, summarise it with `latency_stats`.
#
# ### Step 3 — `measure_latency` (4 points)

# %% nbgrader={"grade": false, "grade_id": "measure_latency", "locked": false, "schema_version": 3, "solution": true, "task": false}
def measure_latency(fn, x, warmup: int = 10, runs: int = 100) -> np.ndarray:
    """Time ``fn(x)`` call by call.

    Calls ``fn(x)`` ``warmup`` times without timing them, then ``runs`` more times, timing each
    call on its own with a monotonic high-resolution clock (``time.perf_counter`` or
    ``time.perf_counter_ns``).

    Returns:
        np.ndarray of shape ``(runs,)``: one latency per timed call, in **milliseconds**.
    """
    ### BEGIN SOLUTION
    for _ in range(warmup):
        fn(x)
    samples_ms = np.empty(runs, dtype=np.float64)
    for i in range(runs):
        start = time.perf_counter_ns()
        fn(x)
        samples_ms[i] = (time.perf_counter_ns() - start) / 1e6
    return samples_ms
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_measure_latency", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
_samples = measure_latency(baseline, x_one, warmup=2, runs=5)
assert isinstance(_samples, np.ndarray) and _samples.shape == (5,)
assert np.all(_samples > 0)
print("baseline batch-1 latencies (ms):", np.round(_samples, 3))
### BEGIN HIDDEN TESTS
def _check_measure_latency():
    class SlowWarmupFn:
        """Warm-up calls take 60 ms; timed calls alternate 1 ms and 8 ms."""

        def __init__(self, warmup):
            self.warmup = warmup
            self.calls = 0
            self.inputs = []

        def __call__(self, x):
            self.inputs.append(x)
            self.calls += 1
            if self.calls <= self.warmup:
                time.sleep(0.060)
            else:
                time.sleep(0.001 if self.calls % 2 else 0.008)

    fn = SlowWarmupFn(warmup=5)
    marker = object()
    real_time = time.time
    time.time = lambda: 1_000_000.0
    try:
        samples = measure_latency(fn, marker, warmup=5, runs=20)
    finally:
        time.time = real_time
    assert fn.calls == 25, f"expected 5 warm-up + 20 timed calls, got {fn.calls}"
    assert all(x is marker for x in fn.inputs), "fn must be called with x"
    assert isinstance(samples, np.ndarray), "return an np.ndarray"
    samples = samples.astype(float)
    assert samples.shape == (20,), samples.shape
    assert np.all(np.isfinite(samples)) and np.all(samples > 0.5), f"latencies must be in ms: {samples}"
    assert samples.max() < 50, f"warm-up calls were timed, or units are wrong: max {samples.max()} ms"
    fast, slow = np.sum(samples < 4.5), np.sum(samples > 4.5)
    assert fast >= 5 and slow >= 5, "each call must be timed on its own (no averaging)"

    quick = SlowWarmupFn(warmup=0)
    quick_samples = measure_latency(quick, 1, warmup=0, runs=7)
    assert quick.calls == 7 and np.asarray(quick_samples).shape == (7,)

    counter = {"n": 0}

    def counting(x):
        counter["n"] += 1

    default_samples = measure_latency(counting, 0)
    assert counter["n"] == 110 and len(default_samples) == 100, "defaults are warmup=10, runs=100"


_check_measure_latency()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 4 — `measure_throughput` (3 points)
#
# Throughput counts **samples**, not calls: a batch of 32 processed in 10 ms is 3,200 samples/s.

# %% nbgrader={"grade": false, "grade_id": "measure_throughput", "locked": false, "schema_version": 3, "solution": true, "task": false}
def measure_throughput(fn, x_batch, warmup: int = 3, runs: int = 20) -> float:
    """Samples processed per second by ``fn`` on a batch.

    Calls ``fn(x_batch)`` ``warmup`` times untimed, then ``runs`` times timed with a monotonic
    high-resolution clock. The batch size is ``len(x_batch)`` (its first dimension).

    Returns:
        batch size × runs / total timed seconds, in **samples per second** (float).
    """
    ### BEGIN SOLUTION
    for _ in range(warmup):
        fn(x_batch)
    start = time.perf_counter()
    for _ in range(runs):
        fn(x_batch)
    elapsed_s = time.perf_counter() - start
    return float(len(x_batch) * runs / elapsed_s)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_measure_throughput", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
_tput = measure_throughput(baseline, X_test[:64], warmup=1, runs=3)
assert _tput > 0
print(f"baseline throughput at batch 64: {_tput:,.0f} samples/s")
### BEGIN HIDDEN TESTS
def _check_measure_throughput():
    calls = {"n": 0}

    def five_ms(x):
        calls["n"] += 1
        time.sleep(0.100 if calls["n"] <= 3 else 0.005)

    batch = np.zeros((32, 4))
    value = measure_throughput(five_ms, batch, warmup=3, runs=20)
    assert calls["n"] == 23, f"expected 3 warm-up + 20 timed calls, got {calls['n']}"
    value = float(value)
    assert 2500 <= value <= 6500, f"expected about 32 / 0.005 s = 6400 samples/s, got {value}"

    calls["n"] = 3
    default_value = measure_throughput(five_ms, batch)
    assert calls["n"] == 26, "defaults are warmup=3, runs=20"
    assert 2500 <= float(default_value) <= 6500


_check_measure_throughput()
### END HIDDEN TESTS

# %% [markdown]
# ### See it: batching trades latency for throughput
#
# The same model, timed at growing batch sizes: throughput climbs, and so does the time every
# request in the batch waits.

# %% nbgrader={"grade": false, "grade_id": "batch_sweep", "locked": true, "schema_version": 3, "solution": false, "task": false}
try:
    _sweep = []
    for _batch in (1, 8, 32, 128, 512):
        _xb = X_test[:_batch] if _batch <= len(X_test) else np.resize(X_test, (_batch, X_test.shape[1]))
        _p50 = float(np.median(measure_latency(baseline, _xb, warmup=3, runs=15)))
        _sweep.append((_batch, _p50, _batch / (_p50 / 1000.0)))
    viz.plot_batch_sweep(_sweep)
    plt.show()
except NotImplementedError:
    print("implement measure_latency to see the batch sweep")

# %% [markdown]
# ### See it: the same benchmark, five times
#
# Repeat the *same* measurement and the numbers move. With warm-up and distributions the medians
# agree closely; single calls would not.

# %% nbgrader={"grade": false, "grade_id": "repeat_noise", "locked": true, "schema_version": 3, "solution": false, "task": false}
try:
    _repeats = {f"run {i + 1}": measure_latency(baseline, x_one, warmup=10, runs=100) for i in range(5)}
    viz.plot_repeated_runs(_repeats)
    plt.show()
    _medians = np.array([np.median(s) for s in _repeats.values()])
    print(f"medians of 5 runs: {np.round(_medians, 4)} ms — spread {(_medians.std() / _medians.mean()):.1%} of the mean")
except NotImplementedError:
    print("implement measure_latency to see the repeated runs")

# %% [markdown]
# ### Step 5 — `plot_latency_distribution` (2 points)
#
# A histogram per model, with the median and the tail marked, makes "faster" visible — and shows
# whether the distributions overlap.

# %% nbgrader={"grade": false, "grade_id": "plot_latency_distribution", "locked": false, "schema_version": 3, "solution": true, "task": false}
def plot_latency_distribution(samples_by_model: dict, ax=None):
    """Plot one latency histogram per model.

    Args:
        samples_by_model: ``{model name: 1-D array of latencies in ms}``.
        ax: a matplotlib Axes to draw on; a new figure's Axes when None.

    Draws, for each model: a histogram labelled with the model name, and vertical lines (``ax.axvline``)
    at its p50 and at its p99 (numpy's default percentiles). Labels the x axis with the unit
    ("ms") and the y axis, and adds a legend.

    Returns:
        the Axes drawn on.
    """
    ### BEGIN SOLUTION
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    arrays = {name: np.asarray(samples, dtype=float) for name, samples in samples_by_model.items()}
    everything = np.concatenate(list(arrays.values()))
    # Shared log-spaced bins: models often differ by an order of magnitude.
    bins = np.geomspace(everything.min(), everything.max(), 60) if everything.min() > 0 else 60
    for index, (name, samples) in enumerate(arrays.items()):
        colour = f"C{index}"
        ax.hist(samples, bins=bins, alpha=0.5, color=colour, label=name)
        p50, p99 = np.percentile(samples, [50, 99])
        ax.axvline(p50, color=colour, linestyle="-", label=f"{name} p50 = {p50:.3f} ms")
        ax.axvline(p99, color=colour, linestyle="--", label=f"{name} p99 = {p99:.3f} ms")
    if isinstance(bins, np.ndarray):
        ax.set_xscale("log")
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("number of runs")
    ax.set_title("Batch-1 latency distribution")
    ax.legend(fontsize="small")
    return ax
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_plot_latency_distribution", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
_demo_rng = np.random.default_rng(5)
_ax = plot_latency_distribution({"fast": _demo_rng.gamma(9.0, 0.05, 300), "slow": _demo_rng.gamma(9.0, 0.2, 300)})
plt.show()
assert _ax is not None and _ax.get_legend() is not None
### BEGIN HIDDEN TESTS
def _check_plot_latency_distribution():
    import matplotlib.axes

    rng = np.random.default_rng(0)
    data = {"alpha": rng.gamma(4.0, 0.25, 200), "beta": rng.gamma(9.0, 0.5, 200)}
    fig, given_ax = plt.subplots()
    try:
        returned = plot_latency_distribution(data, ax=given_ax)
        assert returned is given_ax, "draw on the Axes you are given and return it"
        assert len(given_ax.patches) > 0, "no histogram drawn"
        vertical_x = []
        for line in given_ax.lines:
            xs = np.asarray(line.get_xdata(), dtype=float)
            if xs.size and np.allclose(xs, xs[0]):
                vertical_x.append(float(xs[0]))
        for name, samples in data.items():
            for q in (50, 99):
                target = float(np.percentile(samples, q))
                assert any(math.isclose(v, target, rel_tol=1e-6) for v in vertical_x), f"{name} p{q} not marked"
        assert "ms" in given_ax.get_xlabel(), "x axis must name the unit (ms)"
        assert given_ax.get_ylabel().strip(), "y axis needs a label"
        legend = given_ax.get_legend()
        assert legend is not None, "add a legend"
        texts = " ".join(t.get_text() for t in legend.get_texts())
        assert "alpha" in texts and "beta" in texts, texts
    finally:
        plt.close(fig)
    own = plot_latency_distribution({"only": np.linspace(1.0, 2.0, 50)})
    try:
        assert isinstance(own, matplotlib.axes.Axes)
    finally:
        plt.close(own.figure)


_check_plot_latency_distribution()
### END HIDDEN TESTS

# %% [markdown]
# ## 7. Measuring cost: model size
#
# Inside `SimpleMLP`, counting parameters is a loop over `parameters()`:
#
# ```python
# def count_parameters(self):
#     total = 0
#     for param in self.parameters():
#         total += param.data.size
#     return total
# ```
#
# and size follows from the bit width:
#
# $$\text{Model size (MB)} = \frac{\text{parameter count} \times \text{bytes per parameter}}{1024^2}$$
#
# 1,000,000 parameters × FP32 (4 bytes) = 4,000,000 bytes → **3.81 MB**.
#
# ### Step 6 — `count_parameters` (2 points)

# %% nbgrader={"grade": false, "grade_id": "count_parameters", "locked": false, "schema_version": 3, "solution": true, "task": false}
def count_parameters(model) -> int:
    """Total number of parameters: the sum of ``param.data.size`` over ``model.parameters()``."""
    ### BEGIN SOLUTION
    total = 0
    for param in model.parameters():
        total += int(param.data.size)
    return total
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_count_parameters", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
print(f"baseline parameters: {count_parameters(baseline):,}")
assert count_parameters(baseline) > 1_000_000
### BEGIN HIDDEN TESTS
def _check_count_parameters():
    import numbers

    class Param:
        def __init__(self, shape, dtype=np.float32):
            self.data = np.zeros(shape, dtype=dtype)

    class FakeModel:
        def __init__(self, shapes, dtype=np.float32):
            self._params = [Param(s, dtype) for s in shapes]

        def parameters(self):
            return list(self._params)

    for shapes, expected in [([(3, 4), (4,), (4, 2), (2,)], 26), ([(5,)], 5), ([], 0), ([(2, 3, 4)], 24)]:
        result = count_parameters(FakeModel(shapes))
        assert isinstance(result, numbers.Integral), f"return an int, got {type(result)}"
        assert result == expected, (shapes, result, expected)
    assert count_parameters(FakeModel([(10, 10)], dtype=np.int8)) == 100, "count elements, not bytes"


_check_count_parameters()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 7 — `model_size_mb` (2 points)
#
# MB here means 1024² bytes (a mebibyte), as in the deck's example.

# %% nbgrader={"grade": false, "grade_id": "model_size_mb", "locked": false, "schema_version": 3, "solution": true, "task": false}
def model_size_mb(num_params: int, precision: str = "fp32") -> float:
    """Storage size of ``num_params`` parameters at a precision.

    Bytes per parameter: ``"fp32"`` = 4, ``"fp16"`` = 2, ``"int8"`` = 1.

    Returns:
        num_params × bytes per parameter / 1024², in MB (float).

    Raises:
        ValueError: for any other precision.
    """
    ### BEGIN SOLUTION
    bytes_per_param = {"fp32": 4, "fp16": 2, "int8": 1}
    if precision not in bytes_per_param:
        raise ValueError(f"unknown precision {precision!r}; expected one of {sorted(bytes_per_param)}")
    return num_params * bytes_per_param[precision] / 1024**2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_model_size_mb", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
print(f"1,000,000 fp32 parameters = {model_size_mb(1_000_000):.2f} MB")
assert round(model_size_mb(1_000_000, "fp32"), 2) == 3.81
### BEGIN HIDDEN TESTS
def _check_model_size_mb():
    assert math.isclose(model_size_mb(1_000_000), 4_000_000 / 1024**2)
    assert math.isclose(model_size_mb(1_000_000, "fp16"), 2_000_000 / 1024**2)
    assert math.isclose(model_size_mb(1_000_000, "int8"), 1_000_000 / 1024**2)
    assert math.isclose(model_size_mb(1024 * 1024, "int8"), 1.0)
    assert math.isclose(model_size_mb(0), 0.0, abs_tol=0.0)
    assert math.isclose(model_size_mb(3, precision="fp32"), 12 / 1024**2)
    for bad in ("fp64", "int4", "FP33", ""):
        try:
            model_size_mb(10, bad)
        except ValueError:
            continue
        raise AssertionError(f"precision {bad!r} must raise ValueError")


_check_model_size_mb()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 8 — `measure_accuracy` (2 points)
#
# Completeness: a faster model that is wrong more often is not an improvement. Accuracy is a
# fraction in [0, 1] here (0.97, not 97).

# %% nbgrader={"grade": false, "grade_id": "measure_accuracy", "locked": false, "schema_version": 3, "solution": true, "task": false}
def measure_accuracy(model, X, y) -> float:
    """Fraction of samples whose predicted class is right.

    ``model(X)`` returns logits of shape ``(len(X), classes)``; the prediction is their argmax.

    Returns:
        the fraction in [0, 1] of predictions equal to ``y`` (float).
    """
    ### BEGIN SOLUTION
    predictions = np.argmax(np.asarray(model(X)), axis=1)
    return float(np.mean(predictions == np.asarray(y)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_measure_accuracy", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
_acc = measure_accuracy(baseline, X_test, y_test)
print(f"baseline test accuracy: {_acc:.2%}")
assert 0.9 < _acc <= 1.0
### BEGIN HIDDEN TESTS
def _check_measure_accuracy():
    logits = np.array([[0.1, 0.9, 0.0], [2.0, 1.0, 0.5], [0.0, 0.2, 0.3], [5.0, 0.0, 9.0], [0.3, 0.2, 0.1]])

    class FixedLogits:
        def __call__(self, X):
            return logits[: len(X)]

        forward = __call__

    labels = np.array([1, 0, 2, 0, 1])
    result = measure_accuracy(FixedLogits(), np.zeros((5, 2)), labels)
    assert math.isclose(float(result), 0.6), f"expected 3/5 = 0.6, got {result}"
    assert math.isclose(float(measure_accuracy(FixedLogits(), np.zeros((2, 2)), [1, 0])), 1.0)
    assert math.isclose(float(measure_accuracy(FixedLogits(), np.zeros((3, 2)), np.array([0, 1, 0]))), 0.0)


_check_measure_accuracy()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 9 — `measure_peak_memory_mb` (2 points)
#
# `tracemalloc` records every Python (and numpy) allocation; its peak is the memory a call needed
# at its worst moment.

# %% nbgrader={"grade": false, "grade_id": "measure_peak_memory_mb", "locked": false, "schema_version": 3, "solution": true, "task": false}
def measure_peak_memory_mb(fn, x) -> float:
    """Peak memory allocated while running ``fn(x)`` once, measured with ``tracemalloc``.

    Starts tracing before the call and stops it afterwards (leaving ``tracemalloc`` off, as it
    was), calling ``fn(x)`` exactly once.

    Returns:
        the traced peak in MB (1024² bytes), float.
    """
    ### BEGIN SOLUTION
    tracemalloc.start()
    try:
        fn(x)
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak_bytes / 1024**2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_measure_peak_memory_mb", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
_peak = measure_peak_memory_mb(baseline, X_test[:64])
print(f"baseline peak memory, batch 64: {_peak:.3f} MB")
assert _peak > 0
### BEGIN HIDDEN TESTS
def _check_measure_peak_memory_mb():
    calls = {"n": 0}

    def allocate_eight_mb(x):
        calls["n"] += 1
        block = np.ones(x, dtype=np.float64)
        return float(block[0])

    assert not tracemalloc.is_tracing()
    peak = float(measure_peak_memory_mb(allocate_eight_mb, 1024 * 1024))
    assert calls["n"] == 1, f"call fn exactly once, called {calls['n']} times"
    assert 7.95 <= peak <= 8.2, f"expected about 8 MB (1024² bytes each), got {peak}"
    assert not tracemalloc.is_tracing(), "stop tracemalloc when done"
    small = float(measure_peak_memory_mb(allocate_eight_mb, 1024))
    assert 0 <= small < 0.5, small


_check_measure_peak_memory_mb()
### END HIDDEN TESTS

# %% [markdown]
# ## Completeness: the `BenchmarkReport`
#
# ### Step 10 — `BenchmarkReport` (4 points)
#
# One object measures everything about one model, together, and keeps the context. Call your
# functions from steps 1–9. Latency, throughput and peak memory are measured on the first
# `batch_size` rows of `X`; accuracy on all of `X`.

# %% nbgrader={"grade": false, "grade_id": "benchmark_report", "locked": false, "schema_version": 3, "solution": true, "task": false}
class BenchmarkReport:
    """Everything measured about one model, with the context it was measured in.

    Attributes:
        model_name: str.
        metrics: dict, ``{}`` until ``benchmark_model`` fills it.
        system_info: dict captured at creation by ``_get_system_info()`` (which uses ``get_system_info``).
        timestamp: creation time, UTC, ISO 8601 string (``datetime.now(timezone.utc).isoformat()``).
        latencies_ms: the raw latency samples (np.ndarray, ms) once measured, else None.
    """

    def __init__(self, model_name: str = "model"):
        ### BEGIN SOLUTION
        self.model_name = model_name
        self.metrics = {}
        self.latencies_ms = None
        self.system_info = self._get_system_info()
        self.timestamp = datetime.now(timezone.utc).isoformat()
        ### END SOLUTION

    def _get_system_info(self) -> dict:
        ### BEGIN SOLUTION
        return get_system_info()
        ### END SOLUTION

    def benchmark_model(self, model, X, y, batch_size: int = 1, precision: str = "fp32",
                        warmup: int = 10, runs: int = 100) -> dict:
        """Measure ``model`` and fill ``self.metrics``; keep the raw samples in ``self.latencies_ms``.

        ``metrics`` gets exactly these keys (the submission schema allows no others):
        ``parameter_count`` (int), ``model_size_mb`` (MB at ``precision``), ``precision``,
        ``batch_size``, ``accuracy`` (fraction, on all of X, y), ``latency_ms_mean``,
        ``latency_ms_std``, ``latency_ms_p50``, ``latency_ms_p90``, ``latency_ms_p95``,
        ``latency_ms_p99`` (from ``latency_stats`` of the samples, ms), ``throughput_samples_per_sec``,
        ``peak_memory_mb``. Latency (``warmup``/``runs``), throughput and peak memory use
        ``X[:batch_size]``. Values are plain Python int/float/str (JSON-serialisable).

        Returns:
            ``self.metrics``.
        """
        ### BEGIN SOLUTION
        x_batch = X[:batch_size]
        parameter_count = count_parameters(model)
        self.latencies_ms = measure_latency(model, x_batch, warmup=warmup, runs=runs)
        stats = latency_stats(self.latencies_ms)
        self.metrics = {
            "parameter_count": int(parameter_count),
            "model_size_mb": float(model_size_mb(parameter_count, precision)),
            "precision": precision,
            "batch_size": int(batch_size),
            "accuracy": float(measure_accuracy(model, X, y)),
            "latency_ms_mean": float(stats["mean"]),
            "latency_ms_std": float(stats["std"]),
            "latency_ms_p50": float(stats["p50"]),
            "latency_ms_p90": float(stats["p90"]),
            "latency_ms_p95": float(stats["p95"]),
            "latency_ms_p99": float(stats["p99"]),
            "throughput_samples_per_sec": float(measure_throughput(model, x_batch)),
            "peak_memory_mb": float(measure_peak_memory_mb(model, x_batch)),
        }
        return self.metrics
        ### END SOLUTION

    def to_dict(self) -> dict:
        """``{"model_name", "timestamp", "system_info", "metrics"}`` — JSON-serialisable."""
        ### BEGIN SOLUTION
        return {
            "model_name": self.model_name,
            "timestamp": self.timestamp,
            "system_info": dict(self.system_info),
            "metrics": dict(self.metrics),
        }
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_benchmark_report", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
# Quick look only: the grader runs your class with its own stand-ins for steps 1-9, so a bug in one
# of those steps does not cost you this step's points. Section 8 below runs it for real.
for _method in ("_get_system_info", "benchmark_model", "to_dict"):
    assert callable(getattr(BenchmarkReport, _method, None)), f"BenchmarkReport needs {_method}()"
### BEGIN HIDDEN TESTS
def _check_benchmark_report():
    metric_keys = {
        "parameter_count", "model_size_mb", "precision", "batch_size", "accuracy", "latency_ms_mean",
        "latency_ms_std", "latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99",
        "throughput_samples_per_sec", "peak_memory_mb",
    }

    def ref_info():
        return {"platform": "test-platform", "python_version": "3.x", "numpy_version": "n",
                "machine": "m", "processor": "p", "cpu_count": 1, "load_average": 0.5}

    def ref_latency(fn, x, warmup=10, runs=100):
        for _ in range(warmup):
            fn(x)
        out = np.empty(runs)
        for i in range(runs):
            t0 = time.perf_counter()
            fn(x)
            out[i] = (time.perf_counter() - t0) * 1e3
        return out

    def ref_stats(samples_ms):
        s = np.asarray(samples_ms, dtype=float)
        p = np.percentile(s, [50, 90, 95, 99])
        return {"n": s.size, "mean": s.mean(), "std": s.std(), "min": s.min(), "max": s.max(),
                "p50": p[0], "p90": p[1], "p95": p[2], "p99": p[3], "cv": s.std() / s.mean()}

    def ref_throughput(fn, x_batch, warmup=3, runs=20):
        for _ in range(warmup):
            fn(x_batch)
        t0 = time.perf_counter()
        for _ in range(runs):
            fn(x_batch)
        return len(x_batch) * runs / (time.perf_counter() - t0)

    def ref_count(model):
        return sum(p.data.size for p in model.parameters())

    def ref_size(num_params, precision="fp32"):
        return num_params * {"fp32": 4, "fp16": 2, "int8": 1}[precision] / 1024**2

    def ref_accuracy(model, X, y):
        return float(np.mean(np.argmax(model(X), axis=1) == np.asarray(y)))

    def ref_peak(fn, x):
        tracemalloc.start()
        try:
            fn(x)
            return tracemalloc.get_traced_memory()[1] / 1024**2
        finally:
            tracemalloc.stop()

    class Param:
        def __init__(self, data):
            self.data = data

    class TinyModel:
        """Linear 4 -> 3 (15 parameters) that records the batch sizes it sees."""

        def __init__(self):
            rng = np.random.default_rng(1)
            self.w = Param(rng.normal(size=(4, 3)))
            self.b = Param(np.zeros(3))
            self.batch_sizes = []

        def parameters(self):
            return [self.w, self.b]

        def forward(self, X):
            X = np.asarray(X)
            self.batch_sizes.append(len(X))
            return X @ self.w.data + self.b.data

        __call__ = forward

    references = {
        "get_system_info": ref_info, "measure_latency": ref_latency, "latency_stats": ref_stats,
        "measure_throughput": ref_throughput, "count_parameters": ref_count, "model_size_mb": ref_size,
        "measure_accuracy": ref_accuracy, "measure_peak_memory_mb": ref_peak,
    }
    namespace = globals()
    saved = {name: namespace.get(name) for name in references}
    namespace.update(references)
    try:
        report = BenchmarkReport("tiny")
        assert report.model_name == "tiny" and report.metrics == {}
        assert report.system_info["platform"] == "test-platform", "system_info must come from get_system_info()"
        stamp = datetime.fromisoformat(report.timestamp)
        assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0, "timestamp must be UTC"
        assert abs((datetime.now(timezone.utc) - stamp).total_seconds()) < 600
        assert BenchmarkReport().model_name == "model"

        model = TinyModel()
        X = np.random.default_rng(2).normal(size=(20, 4))
        y = np.argmax(X @ model.w.data, axis=1)
        y[:5] = (y[:5] + 1) % 3
        metrics = report.benchmark_model(model, X, y, batch_size=4, precision="fp16", warmup=3, runs=25)
        assert metrics is report.metrics, "return self.metrics"
        assert set(metrics) == metric_keys, f"metrics keys differ: {set(metrics) ^ metric_keys}"
        assert metrics["parameter_count"] == 15
        assert math.isclose(metrics["model_size_mb"], 15 * 2 / 1024**2)
        assert metrics["precision"] == "fp16" and metrics["batch_size"] == 4
        assert math.isclose(metrics["accuracy"], 0.75)
        assert 20 in model.batch_sizes, "accuracy must use all of X"
        assert model.batch_sizes.count(4) >= 28, "latency must be measured on X[:batch_size] with warmup + runs calls"
        samples = np.asarray(report.latencies_ms, dtype=float)
        assert samples.shape == (25,), "keep the raw latency samples in self.latencies_ms"
        assert math.isclose(metrics["latency_ms_p50"], np.percentile(samples, 50), rel_tol=1e-9)
        assert math.isclose(metrics["latency_ms_p99"], np.percentile(samples, 99), rel_tol=1e-9)
        assert math.isclose(metrics["latency_ms_mean"], samples.mean(), rel_tol=1e-9)
        assert math.isclose(metrics["latency_ms_std"], samples.std(), rel_tol=1e-9, abs_tol=1e-12)
        assert metrics["latency_ms_p50"] <= metrics["latency_ms_p90"] <= metrics["latency_ms_p95"] <= metrics["latency_ms_p99"]
        assert metrics["throughput_samples_per_sec"] > 0 and metrics["peak_memory_mb"] >= 0

        as_dict = report.to_dict()
        assert set(as_dict) == {"model_name", "timestamp", "system_info", "metrics"}
        assert as_dict["model_name"] == "tiny" and as_dict["metrics"] == metrics
        assert as_dict["system_info"]["platform"] == "test-platform"
        assert json.loads(json.dumps(as_dict, allow_nan=False)) == as_dict, "to_dict must be JSON-serialisable"
    finally:
        namespace.update(saved)


_check_benchmark_report()
### END HIDDEN TESTS

# %% [markdown]
# ## 8. The optimization trade-off triangle
#
# Every optimization moves a model somewhere between three corners: **accuracy**, **speed** and
# **size**. Let's benchmark the baseline and the optimized variants from earlier modules with the
# same harness — same batch size (1), same thread setting, same runs — and draw each as an outline
# normalised to the baseline (bigger is better on every axis).

# %% nbgrader={"grade": false, "grade_id": "benchmark_variants", "locked": true, "schema_version": 3, "solution": false, "task": false}
try:
    reports = {}
    for _name in tinytorch.MODEL_NAMES:
        _model = load_model(_name)
        reports[_name] = BenchmarkReport(_name)
        reports[_name].benchmark_model(_model, X_test, y_test, batch_size=1, precision=_model.precision)
    print(viz.metrics_table({name: r.metrics for name, r in reports.items()}))
except NotImplementedError:
    reports = {}
    print("complete steps 1-10 to benchmark the variants")

# %% nbgrader={"grade": false, "grade_id": "tradeoff_triangle", "locked": true, "schema_version": 3, "solution": false, "task": false}
if reports:
    viz.plot_tradeoff_triangle({name: r.metrics for name, r in reports.items()}, baseline="baseline")
    plt.show()

# %% [markdown]
# Read the triangle: INT8 alone shrinks the model 4× at no accuracy cost, but its speed is whatever
# dequantizing costs; structured pruning removes whole neurons, so it is smaller *and* faster.
# `magnitude-90` holds 90% zeros, yet stored densely it is **no smaller and no faster** — sparsity
# pays only with structure or a sparse format.

# %% [markdown]
# ## 9. Generating the submission
#
# The submission packages both reports and the improvements, computed the deck's way:
#
# ```python
# submission['improvements'] = {
#     'speedup': float(baseline / optimized),          # p50 latencies
#     'compression': float(base_size / opt_size),
#     'accuracy_delta': float(opt_acc - base_acc)
# }
# ```
#
# ### Step 11 — `generate_submission` (3 points)

# %% nbgrader={"grade": false, "grade_id": "generate_submission", "locked": false, "schema_version": 3, "solution": true, "task": false}
def generate_submission(baseline, optimized, techniques, submitter: str = "anonymous") -> dict:
    """Package a baseline and an optimized benchmark into a submission.

    Args:
        baseline, optimized: each a ``BenchmarkReport`` (anything with ``to_dict()``) or a dict
            shaped like ``BenchmarkReport.to_dict()``. Not modified.
        techniques: names of the optimizations applied (e.g. ``["structured pruning", "int8 quantization"]``).
        submitter: who submits.

    Returns:
        ``{"schema_version": SCHEMA_VERSION, "submitter", "timestamp" (UTC ISO 8601 now),
        "system_info" (the baseline's), "baseline" (its dict), "optimized" (its dict plus
        ``"techniques"`` as a list), "improvements": {"speedup": baseline p50 / optimized p50,
        "compression": baseline model_size_mb / optimized model_size_mb,
        "accuracy_delta": optimized accuracy − baseline accuracy}}`` with float improvements.
    """
    ### BEGIN SOLUTION
    def as_dict(report):
        return json.loads(json.dumps(report if isinstance(report, dict) else report.to_dict()))

    base, opt = as_dict(baseline), as_dict(optimized)
    opt["techniques"] = list(techniques)
    base_metrics, opt_metrics = base["metrics"], opt["metrics"]
    return {
        "schema_version": SCHEMA_VERSION,
        "submitter": submitter,
        "timestamp": datetime.now(timezone.utc).isoformat(),
        "system_info": base["system_info"],
        "baseline": base,
        "optimized": opt,
        "improvements": {
            "speedup": float(base_metrics["latency_ms_p50"] / opt_metrics["latency_ms_p50"]),
            "compression": float(base_metrics["model_size_mb"] / opt_metrics["model_size_mb"]),
            "accuracy_delta": float(opt_metrics["accuracy"] - base_metrics["accuracy"]),
        },
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_generate_submission", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
_demo_info = {"platform": "demo", "python_version": "3.11", "numpy_version": "2", "machine": "x", "processor": "",
              "cpu_count": 2, "load_average": 0.1}
_demo_metrics = {"latency_ms_p50": 2.0, "model_size_mb": 4.0, "accuracy": 0.9}
_demo = generate_submission({"model_name": "a", "timestamp": "t", "system_info": _demo_info, "metrics": _demo_metrics},
                            {"model_name": "b", "timestamp": "t", "system_info": _demo_info,
                             "metrics": {"latency_ms_p50": 1.0, "model_size_mb": 1.0, "accuracy": 0.9}},
                            ["demo"])
print(_demo["improvements"])
### BEGIN HIDDEN TESTS
def _check_generate_submission():
    import copy

    info = {"platform": "Linux-test", "python_version": "3.11.7", "numpy_version": "2.0.0", "machine": "x86_64",
            "processor": "", "cpu_count": 2, "load_average": 0.25}

    def report(name, p50, size, acc):
        metrics = {"parameter_count": 1000, "model_size_mb": size, "precision": "fp32", "batch_size": 1,
                   "accuracy": acc, "latency_ms_mean": p50, "latency_ms_std": 0.01, "latency_ms_p50": p50,
                   "latency_ms_p90": p50 * 1.1, "latency_ms_p95": p50 * 1.2, "latency_ms_p99": p50 * 1.5,
                   "throughput_samples_per_sec": 1000.0 / p50, "peak_memory_mb": 0.1}
        return {"model_name": name, "timestamp": "2026-01-01T00:00:00+00:00", "system_info": dict(info),
                "metrics": metrics}

    base, opt = report("baseline", 0.5, 4.0, 0.975), report("optimized", 0.1, 0.25, 0.97)
    base_copy, opt_copy = copy.deepcopy(base), copy.deepcopy(opt)
    sub = generate_submission(base, opt, ("pruning", "int8"), submitter="ada")
    assert base == base_copy and opt == opt_copy, "generate_submission must not modify its inputs"
    assert set(sub) == {"schema_version", "submitter", "timestamp", "system_info", "baseline", "optimized", "improvements"}
    assert sub["schema_version"] == SCHEMA_VERSION and sub["submitter"] == "ada"
    stamp = datetime.fromisoformat(sub["timestamp"])
    assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0
    assert sub["system_info"] == info
    assert sub["baseline"] == base
    expected_opt = dict(opt, techniques=["pruning", "int8"])
    assert sub["optimized"] == expected_opt, "optimized = its report dict plus a techniques list"
    imp = sub["improvements"]
    assert set(imp) == {"speedup", "compression", "accuracy_delta"}
    assert math.isclose(imp["speedup"], 5.0) and math.isclose(imp["compression"], 16.0)
    assert math.isclose(imp["accuracy_delta"], 0.97 - 0.975, abs_tol=1e-12)
    assert all(isinstance(v, float) for v in imp.values())
    assert generate_submission(base, opt, ["x"])["submitter"] == "anonymous"

    class HasToDict:
        def __init__(self, d):
            self._d = d

        def to_dict(self):
            return copy.deepcopy(self._d)

    via_objects = generate_submission(HasToDict(base), HasToDict(opt), ["pruning"])
    assert via_objects["baseline"] == base and math.isclose(via_objects["improvements"]["speedup"], 5.0)
    json.dumps(sub, allow_nan=False)


_check_generate_submission()
### END HIDDEN TESTS

# %% [markdown]
# ## 10. Success criteria
#
# An optimization succeeds when all three hold:
#
# 1. **Speedup > 1.0** — strictly faster at p50;
# 2. **Compression > 1.0** — strictly smaller;
# 3. **Accuracy delta ≈ 0.0** — |delta| within a tolerance (default 0.01 = one point).
#
# ### Step 12 — `check_success` (2 points)

# %% nbgrader={"grade": false, "grade_id": "check_success", "locked": false, "schema_version": 3, "solution": true, "task": false}
def check_success(submission: dict, accuracy_tolerance: float = 0.01) -> dict:
    """Check the three success criteria on ``submission["improvements"]``.

    Returns:
        ``{"speedup": speedup > 1.0, "compression": compression > 1.0,
        "accuracy": |accuracy_delta| <= accuracy_tolerance, "all": all three}`` — booleans.
    """
    ### BEGIN SOLUTION
    improvements = submission["improvements"]
    result = {
        "speedup": bool(improvements["speedup"] > 1.0),
        "compression": bool(improvements["compression"] > 1.0),
        "accuracy": bool(abs(improvements["accuracy_delta"]) <= accuracy_tolerance),
    }
    result["all"] = all(result.values())
    return result
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_check_success", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
_ok = check_success({"improvements": {"speedup": 3.0, "compression": 10.0, "accuracy_delta": -0.002}})
print(_ok)
assert _ok["all"]
### BEGIN HIDDEN TESTS
def _check_check_success():
    def sub(speedup, compression, delta):
        return {"improvements": {"speedup": speedup, "compression": compression, "accuracy_delta": delta}}

    cases = [
        (sub(2.0, 4.0, 0.0), 0.01, (True, True, True, True)),
        (sub(1.0, 4.0, 0.0), 0.01, (False, True, True, False)),
        (sub(2.0, 1.0, 0.0), 0.01, (True, False, True, False)),
        (sub(2.0, 4.0, -0.01), 0.01, (True, True, True, True)),
        (sub(2.0, 4.0, -0.0101), 0.01, (True, True, False, False)),
        (sub(2.0, 4.0, 0.02), 0.01, (True, True, False, False)),
        (sub(2.0, 4.0, -0.02), 0.05, (True, True, True, True)),
        (sub(0.5, 0.5, 0.5), 0.01, (False, False, False, False)),
    ]
    for submission, tolerance, expected in cases:
        result = check_success(submission, accuracy_tolerance=tolerance)
        got = tuple(result[k] for k in ("speedup", "compression", "accuracy", "all"))
        assert all(isinstance(v, (bool, np.bool_)) for v in got), "values must be booleans"
        assert tuple(bool(v) for v in got) == expected, (submission, tolerance, got, expected)
    assert bool(check_success(sub(2.0, 4.0, 0.009))["accuracy"]) is True, "default tolerance is 0.01"


_check_check_success()
### END HIDDEN TESTS

# %% [markdown]
# ## 11. Enforcing standards via types
#
# *Strict types enable automated CI/CD pipelines and leaderboards.* A submission is only useful if a
# machine can check it. `tinytorch` ships a JSON Schema (draft 2020-12) for submissions; print it
# to see every field, its type and its unit.

# %% nbgrader={"grade": false, "grade_id": "show_schema", "locked": true, "schema_version": 3, "solution": false, "task": false}
SUBMISSION_SCHEMA = load_submission_schema()
print(SUBMISSION_SCHEMA["$id"])
print(json.dumps(SUBMISSION_SCHEMA["$defs"]["metrics"]["properties"]["latency_ms_p50"], indent=2))

# %% [markdown]
# The schema checks *types*; numbers can still disagree with each other. A validator also checks
# **consistency**.
#
# ### Step 13 — `validate_submission` (4 points)

# %% nbgrader={"grade": false, "grade_id": "validate_submission", "locked": false, "schema_version": 3, "solution": true, "task": false}
def validate_submission(submission) -> list:
    """List every problem with a submission; ``[]`` means valid.

    Checks, one readable message (str) per problem found:

    - the JSON Schema ``load_submission_schema()`` (one message per schema error);
    - for ``baseline`` and ``optimized`` metrics: every latency finite and > 0;
      ``latency_ms_p50 <= p90 <= p95 <= p99``; ``model_size_mb`` finite and > 0;
      ``accuracy`` in [0, 1];
    - ``improvements`` equal, within a relative tolerance of 1e-6, to their recomputation from the
      metrics (speedup from p50 latencies, compression from model sizes, accuracy delta).

    Never raises on bad input (e.g. not a dict, missing keys): report it as a problem instead.
    """
    ### BEGIN SOLUTION
    if not isinstance(submission, dict):
        return [f"submission must be a dict, got {type(submission).__name__}"]
    validator = jsonschema.Draft202012Validator(load_submission_schema())
    problems = [
        f"schema: {'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(submission)
    ]
    latency_keys = ["latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99", "latency_ms_mean"]
    metrics = {}
    for role in ("baseline", "optimized"):
        report = submission.get(role)
        found = report.get("metrics") if isinstance(report, dict) else None
        if not isinstance(found, dict):
            continue
        metrics[role] = found
        for key in latency_keys + ["model_size_mb"]:
            value = found.get(key)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                problems.append(f"{role}.{key} must be a finite number > 0, got {value!r}")
        ordered = [found.get(k) for k in latency_keys[:4]]
        if all(isinstance(v, (int, float)) for v in ordered) and ordered != sorted(ordered):
            problems.append(f"{role} percentiles must satisfy p50 <= p90 <= p95 <= p99, got {ordered}")
        accuracy = found.get("accuracy")
        if not isinstance(accuracy, (int, float)) or not 0.0 <= accuracy <= 1.0:
            problems.append(f"{role}.accuracy must be in [0, 1], got {accuracy!r}")
    improvements = submission.get("improvements")
    if len(metrics) == 2 and isinstance(improvements, dict):
        base, opt = metrics["baseline"], metrics["optimized"]
        try:
            expected = {
                "speedup": base["latency_ms_p50"] / opt["latency_ms_p50"],
                "compression": base["model_size_mb"] / opt["model_size_mb"],
                "accuracy_delta": opt["accuracy"] - base["accuracy"],
            }
        except (KeyError, TypeError, ZeroDivisionError):
            expected = {}
        for key, value in expected.items():
            claimed = improvements.get(key)
            if not isinstance(claimed, (int, float)) or not math.isclose(claimed, value, rel_tol=1e-6, abs_tol=1e-12):
                problems.append(f"improvements.{key} is {claimed!r} but the metrics give {value!r}")
    return problems
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_validate_submission", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
print(validate_submission({"schema_version": SCHEMA_VERSION}))
assert validate_submission({}) != []
### BEGIN HIDDEN TESTS
def _check_validate_submission():
    import copy

    info = {"platform": "Linux-test", "python_version": "3.11.7", "numpy_version": "2.0.0", "machine": "x86_64",
            "processor": "", "cpu_count": 2, "load_average": 0.25}

    def metrics(p50, size, acc, precision="fp32", params=1000):
        return {"parameter_count": params, "model_size_mb": size, "precision": precision, "batch_size": 1,
                "accuracy": acc, "latency_ms_mean": p50 * 1.05, "latency_ms_std": 0.01, "latency_ms_p50": p50,
                "latency_ms_p90": p50 * 1.1, "latency_ms_p95": p50 * 1.2, "latency_ms_p99": p50 * 1.5,
                "throughput_samples_per_sec": 1000.0 / p50, "peak_memory_mb": 0.1}

    good = {
        "schema_version": SCHEMA_VERSION, "submitter": "ada", "timestamp": "2026-05-01T12:00:00+00:00",
        "system_info": dict(info),
        "baseline": {"model_name": "baseline", "timestamp": "2026-05-01T11:59:00+00:00", "system_info": dict(info),
                     "metrics": metrics(0.5, 4.0, 0.975)},
        "optimized": {"model_name": "pruned-int8", "timestamp": "2026-05-01T11:59:30+00:00",
                      "system_info": dict(info), "metrics": metrics(0.1, 0.25, 0.97, "int8"),
                      "techniques": ["structured pruning", "int8 quantization"]},
        "improvements": {"speedup": 5.0, "compression": 16.0, "accuracy_delta": 0.97 - 0.975},
    }
    snapshot = copy.deepcopy(good)
    result = validate_submission(good)
    assert result == [], f"a valid submission must give [], got {result}"
    assert good == snapshot, "validate_submission must not modify the submission"

    def broken(edit):
        sub = copy.deepcopy(good)
        edit(sub)
        return sub

    bad_cases = {
        "missing field": broken(lambda s: s.pop("improvements")),
        "extra field": broken(lambda s: s.update(bonus=1)),
        "wrong type": broken(lambda s: s["improvements"].update(speedup="fast")),
        "inconsistent speedup": broken(lambda s: s["improvements"].update(speedup=5.5)),
        "inconsistent compression": broken(lambda s: s["improvements"].update(compression=8.0)),
        "inconsistent accuracy delta": broken(lambda s: s["improvements"].update(accuracy_delta=0.0)),
        "percentile order": broken(lambda s: s["baseline"]["metrics"].update(latency_ms_p90=0.9, latency_ms_p95=0.8)),
        "negative latency": broken(lambda s: s["optimized"]["metrics"].update(latency_ms_mean=-0.1)),
        "accuracy range": broken(lambda s: s["baseline"]["metrics"].update(accuracy=97.5)),
        "nan latency": broken(lambda s: s["optimized"]["metrics"].update(latency_ms_p99=float("nan"))),
        "zero size": broken(lambda s: s["optimized"]["metrics"].update(model_size_mb=0.0)),
    }
    for label, submission in bad_cases.items():
        problems = validate_submission(submission)
        assert isinstance(problems, list) and problems, f"{label}: expected problems, got {problems!r}"
        assert all(isinstance(p, str) and p.strip() for p in problems), f"{label}: messages must be strings"

    two_problems = broken(lambda s: (s["baseline"]["metrics"].update(accuracy=1.5), s.update(extra=True)))
    assert len(validate_submission(two_problems)) >= 2, "report every problem, not only the first"
    for not_a_submission in (None, [], "submission.json", 42):
        problems = validate_submission(not_a_submission)
        assert isinstance(problems, list) and problems, f"{not_a_submission!r} must be reported, not raise"


_check_validate_submission()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 14 — `save_submission` (2 points)
#
# Only a valid submission leaves the notebook. JSON has no NaN or Infinity: write strict JSON.

# %% nbgrader={"grade": false, "grade_id": "save_submission", "locked": false, "schema_version": 3, "solution": true, "task": false}
def save_submission(submission: dict, path):
    """Validate ``submission`` and write it to ``path`` as strict JSON.

    Raises:
        ValueError: listing the problems ``validate_submission`` found; nothing is written.

    Returns:
        ``path``.
    """
    ### BEGIN SOLUTION
    problems = validate_submission(submission)
    if problems:
        raise ValueError("invalid submission:\n" + "\n".join(f"- {p}" for p in problems))
    text = json.dumps(submission, indent=2, allow_nan=False)
    Path(path).write_text(text + "\n", encoding="utf-8")
    return path
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_save_submission", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# The grader checks save_submission with a stand-in validator, so a bug in validate_submission
# costs only step 13's points. Your own submission below exercises both together.
assert callable(save_submission)
### BEGIN HIDDEN TESTS
def _check_save_submission():
    import tempfile

    seen = []

    def fake_validate(submission):
        seen.append(submission)
        return [] if submission.get("ok") else ["improvements.speedup is wrong", "baseline.accuracy out of range"]

    namespace = globals()
    saved = namespace.get("validate_submission")
    namespace["validate_submission"] = fake_validate
    try:
        with tempfile.TemporaryDirectory() as folder:
            good = {"ok": True, "values": [1.5, 2, "x"], "nested": {"a": None}}
            target = Path(folder) / "submission.json"
            returned = save_submission(good, str(target))
            assert Path(returned) == target, "return the path written"
            assert json.loads(target.read_text(encoding="utf-8")) == good
            assert seen, "save_submission must call validate_submission"

            refused = Path(folder) / "refused.json"
            try:
                save_submission({"ok": False}, refused)
            except ValueError as error:
                assert "speedup" in str(error) and "accuracy" in str(error), "the error must list the problems"
            else:
                raise AssertionError("an invalid submission must raise ValueError")
            assert not refused.exists(), "nothing may be written for an invalid submission"

            nan_path = Path(folder) / "nan.json"
            try:
                save_submission({"ok": True, "bad": float("nan")}, nan_path)
            except ValueError:
                pass
            if nan_path.exists():
                def reject(constant):
                    raise AssertionError(f"{constant} written: JSON has no NaN or Infinity")

                json.loads(nan_path.read_text(encoding="utf-8"), parse_constant=reject)
    finally:
        namespace["validate_submission"] = saved


_check_save_submission()
### END HIDDEN TESTS

# %% [markdown]
# ## Your submission
#
# Choose the variant you will defend — `pruned-int8` is the strongest; try others and see which
# criteria fail — benchmark it against the baseline with the same settings, check, validate, save.

# %%
OPTIMIZED_NAME = "pruned-int8"
TECHNIQUES = ["structured neuron pruning", "fine-tuning", "int8 quantization"]
SUBMITTER = "your-name"

# %% nbgrader={"grade": false, "grade_id": "make_submission", "locked": true, "schema_version": 3, "solution": false, "task": false}
try:
    _optimized_model = load_model(OPTIMIZED_NAME)
    baseline_report = BenchmarkReport("baseline")
    baseline_report.benchmark_model(baseline, X_test, y_test, batch_size=1, precision=baseline.precision)
    optimized_report = BenchmarkReport(OPTIMIZED_NAME)
    optimized_report.benchmark_model(_optimized_model, X_test, y_test, batch_size=1, precision=_optimized_model.precision)
    submission = generate_submission(baseline_report, optimized_report, TECHNIQUES, submitter=SUBMITTER)
    print(json.dumps(submission["improvements"], indent=2))
    print("success criteria:", check_success(submission))
    print("problems:", validate_submission(submission) or "none")
    print("saved to", save_submission(submission, "submission.json"))
except NotImplementedError:
    print("complete the steps above to generate your submission")

# %% nbgrader={"grade": false, "grade_id": "latency_plot_final", "locked": true, "schema_version": 3, "solution": false, "task": false}
try:
    plot_latency_distribution({"baseline": baseline_report.latencies_ms, OPTIMIZED_NAME: optimized_report.latencies_ms})
    plt.show()
except (NotImplementedError, NameError, AttributeError, TypeError):
    print("complete the steps above to plot your submission's latencies")

# %% [markdown]
# ### The engineering reality, filled in
#
# Back to section 1: every blank now comes from your report, not from memory.

# %% nbgrader={"grade": false, "grade_id": "reality_card", "locked": true, "schema_version": 3, "solution": false, "task": false}
try:
    print(viz.engineering_reality_card(optimized_report.to_dict()))
except (NotImplementedError, NameError, AttributeError, KeyError, TypeError):
    print("complete the steps above to fill in the card")

# %% [markdown]
# ## 12. The complete ML lifecycle
#
# Benchmarking is not the end of the pipeline but the gate in the middle of a loop: data → train →
# optimize → **benchmark** → **validate** → submit / deploy → monitor, and back to data when the
# numbers drift. A typed, validated submission is what lets machines run that gate: CI rejects a
# regression, a leaderboard ranks fairly.

# %% nbgrader={"grade": false, "grade_id": "lifecycle", "locked": true, "schema_version": 3, "solution": false, "task": false}
viz.draw_lifecycle()
plt.show()

# %% [markdown]
# ## 13. Capstone retrospective
#
# You have built a framework: tensors, layers, training, optimizations — and now the harness that
# measures them honestly. **You have built a framework. Now go prove it works.**
#
# ### Reflection (6 points, graded by your instructor)
#
# Answer in the cell below, a few sentences each:
#
# 1. Your `magnitude-90` model has 90% of its weights at zero. Why is it no faster and no smaller in
#    this benchmark, and what would have to change for sparsity to pay off?
# 2. Look at your latency distributions. Why does the submission compare **p50** latencies rather
#    than a single run or the mean, and when would you report **p99** instead?
# 3. Name one thing in your `system_info` that, if different on a classmate's machine, would make
#    your speedup and theirs incomparable — and why.

# %% [markdown] nbgrader={"grade": true, "grade_id": "reflection", "locked": false, "points": 6, "schema_version": 3, "solution": true, "task": false}
# 1. Stored densely, the zeros still take 4 bytes each and the matrix product still multiplies them:
#    the parameter count, the bytes and the FLOPs are unchanged. Sparsity pays when it has structure
#    (whole neurons or blocks removed, so the matrices shrink) or when a sparse format and sparse
#    kernels skip the zeros.
# 2. A single run is one draw from a noisy distribution and the mean is dragged by rare slow calls;
#    the median is the typical user's latency and is stable across repeats. p99 matters when the
#    tail is the product requirement — an interactive service with a latency budget for every request.
# 3. BLAS threads (or CPU model / cpu_count, or load average): with two threads a batch-1 matvec can
#    run faster or slower than with one, and a loaded machine inflates latencies — both change the
#    ratio for reasons unrelated to the optimization.
