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
# - Each step ends with test cells that run your code on public inputs and say what to fix when a
#   check fails. The grader runs the same kinds of checks on other inputs. Each test cell carries
#   part of the step's points, so a slip in one part of a contract costs only that part, and a bug
#   in one step never costs points in another.
# - Run the notebook top to bottom (*Kernel → Restart & Run All*) before you submit.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Every module a solution may need is imported here, so a solution never works only because a
# later test cell happened to import it.
import copy
import hashlib
import json
import math
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import matplotlib.pyplot as plt
import numpy as np

import tinytorch
from tinytorch import (SCHEMA_VERSION, SUBMITTER_PLACEHOLDER, Recipe, file_sha256, load_digit_splits, load_model,
                       load_submission_schema, optimize_model, save_model_artifact)
from tinytorch import verdicts, viz, viz_rounds
from tinytorch.runtime import blas_threads, pin_blas_threads

# Batch-1 latency is far steadier with one BLAS thread; the report records this setting.
pin_blas_threads(1)

# Train on X_train, choose on X_val (validation), and measure the chosen model once on X_test.
X_train, y_train, X_val, y_val, X_test, y_test = load_digit_splits()
baseline = load_model("baseline")
x_one = X_test[:1]
print(f"training {X_train.shape}, validation {X_val.shape}, test {X_test.shape}, BLAS threads: {blas_threads()}")

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
#   I get the same number.* → distributions (step 1), warm-up and a monotonic clock (steps 3–4).
# - **Comparability** — apples to apples: standardized **hardware** definitions, explicit software
#   versions. → the system context recorded with every number (step 2).
# - **Completeness** — no cherry-picking: **accuracy** + latency + memory measured together.
#   → `BenchmarkReport` (step 11).

# %% [markdown]
# ## 3. The measurement problem: latency vs. throughput
#
# - **Latency** (real-time, user experience): the time to process **one** request.
# - **Throughput** (batch processing): total samples processed per second,
#   $\text{throughput} = \dfrac{\text{batch size}}{\text{time per batch}}$.
#
# Batching increases **throughput** (efficiency) but degrades **latency** (everyone in the batch
# waits for the whole batch). You will measure both (steps 3 and 4) and see the trade-off in the
# batch-size plot that follows them.

# %% [markdown]
# ## 4. System noise and variance
#
# Run the same code twice and you get two different times: caches, CPU frequency, other processes,
# the garbage collector. **Single measurements capture noise. Distributions capture reality.**
# And the machine itself moves between performance states that last tenths of a second: you will
# see them, and measure through them with rounds and interleaving, in step 5.
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
        all in ms as floats, and ``cv`` = std / mean (unit-free float; ``nan`` when the mean is 0,
        where the ratio is undefined).

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
        "cv": std / mean if mean else math.nan,
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_latency_stats", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Your function on public samples. The grader runs the same checks on other samples.
_public = [4.0, 1.0, 3.0, 2.0]
_stats = latency_stats(_public)
_required = {"n", "mean", "std", "min", "max", "p50", "p90", "p95", "p99", "cv"}
assert isinstance(_stats, dict), f"latency_stats must return a dict, got {type(_stats).__name__}."
assert _required <= set(_stats), (
    f"latency_stats must return the keys {sorted(_required)}; missing {sorted(_required - set(_stats))}.")
assert _public == [4.0, 1.0, 3.0, 2.0], "latency_stats changed the list it was given: sort a copy, never the input."
assert int(_stats["n"]) == 4, f"n must count the samples (4 here), got {_stats['n']!r}."
try:
    latency_stats([])
except ValueError:
    pass
else:
    raise AssertionError("latency_stats([]) must raise ValueError: a summary of no samples means nothing.")
print("latency_stats: keys, count and empty input look right")
### BEGIN HIDDEN TESTS
def _check_latency_stats_keys():
    samples = np.array([3.0, 1.0, 2.0, 10.0, 4.0, 5.0, 1.5, 2.5, 3.5, 50.0, 2.0])
    original = samples.copy()
    stats = latency_stats(samples)
    assert np.array_equal(samples, original), "latency_stats modified the array it was given; work on a copy."
    expected_keys = {"n", "mean", "std", "min", "max", "p50", "p90", "p95", "p99", "cv"}
    assert isinstance(stats, dict) and expected_keys <= set(stats), (
        f"latency_stats must return a dict with {sorted(expected_keys)}; missing {sorted(expected_keys - set(stats))}.")
    assert int(stats["n"]) == samples.size, f"n must be the number of samples ({samples.size}), got {stats['n']!r}."
    try:
        latency_stats(np.array([]))
    except ValueError:
        pass
    else:
        raise AssertionError("latency_stats of an empty array must raise ValueError.")


_check_latency_stats_keys()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_latency_stats__centre", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Centre and spread: mean, population std (ddof=0), min, max and the median p50.
_stats = latency_stats([1.0, 2.0, 3.0, 4.0])
assert math.isclose(float(_stats["mean"]), 2.5), f"mean of [1, 2, 3, 4] must be 2.5 ms, got {_stats['mean']!r}."
assert not math.isclose(float(_stats["std"]), math.sqrt(5 / 3)), (
    f"std of [1, 2, 3, 4] is {_stats['std']!r}: that is the sample std (ddof=1); the contract is the population std (ddof=0).")
assert math.isclose(float(_stats["std"]), math.sqrt(1.25)), (
    f"std of [1, 2, 3, 4] must be the population std sqrt(1.25) = 1.118 ms, got {_stats['std']!r}.")
assert (float(_stats["min"]), float(_stats["max"])) == (1.0, 4.0), (
    f"min and max of [1, 2, 3, 4] must be 1.0 and 4.0, got {_stats['min']!r} and {_stats['max']!r}.")
_skewed = latency_stats([1.0, 1.0, 1.0, 1.0, 6.0])
assert math.isclose(float(_skewed["p50"]), 1.0), (
    f"p50 of [1, 1, 1, 1, 6] must be the median 1.0 ms, got {_skewed['p50']!r}"
    + (": that is the mean, not the median." if math.isclose(float(_skewed["p50"]), 2.0) else "."))
print("latency_stats: centre and spread look right")
### BEGIN HIDDEN TESTS
def _check_latency_stats_centre():
    samples = np.array([3.0, 1.0, 2.0, 10.0, 4.0, 5.0, 1.5, 2.5, 3.5, 50.0, 2.0])
    stats = latency_stats(samples)
    expected = {"mean": samples.mean(), "std": samples.std(), "min": samples.min(), "max": samples.max(),
                "p50": np.percentile(samples, 50)}
    for key, value in expected.items():
        assert math.isclose(float(stats[key]), float(value), rel_tol=1e-9), (
            f"{key} of the grader's samples is {stats[key]!r}, expected {float(value)!r} "
            f"(population std with ddof=0, p50 = the median).")
    assert math.isclose(float(latency_stats([0.5, 0.5, 0.5])["std"]), 0.0, abs_tol=1e-12), (
        "the std of identical samples must be 0.")
    pair = latency_stats([2.0, 4.0])
    assert math.isclose(float(pair["std"]), 1.0), f"std of [2, 4] must be 1.0 (ddof=0), got {pair['std']!r}."


_check_latency_stats_centre()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_latency_stats__tail", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Tail and noise: linear-interpolation percentiles (numpy's default) and cv = std / mean.
_stats = latency_stats(np.arange(1.0, 11.0))
for _q, _want in ((90, 9.1), (95, 9.55), (99, 9.91)):
    assert math.isclose(float(_stats[f"p{_q}"]), _want), (
        f"p{_q} of 1..10 must be {_want} ms with numpy's default linear percentiles, got {_stats[f'p{_q}']!r}: "
        f"use np.percentile(samples, {_q}), not the nearest sample.")
# cv is checked against your own std and mean: a slip in std costs only the check above.
_cv, _own = float(_stats["cv"]), float(_stats["std"]) / float(_stats["mean"])
assert math.isclose(_cv, _own), (
    f"cv of 1..10 must be your std / your mean = {_own:.3f}, a fraction, got {_cv!r}"
    + (" (a percentage? keep it a fraction)" if math.isclose(_cv, 100 * _own) else
       " (mean / std? it is std / mean)" if math.isclose(_cv * _own, 1.0) else "") + ".")
try:
    _zero_cv = float(latency_stats([0.0, 0.0])["cv"])
except ZeroDivisionError:
    raise AssertionError("latency_stats([0.0, 0.0]) divided by a zero mean: when the mean is 0, set cv to nan "
                         "(math.nan) instead of dividing.") from None
assert math.isnan(_zero_cv), (
    f"cv of all-zero samples must be nan (std / mean is undefined when the mean is 0), got {_zero_cv!r}.")
print("latency_stats: tail and cv look right")
### BEGIN HIDDEN TESTS
def _check_latency_stats_tail():
    samples = np.array([3.0, 1.0, 2.0, 10.0, 4.0, 5.0, 1.5, 2.5, 3.5, 50.0, 2.0])
    stats = latency_stats(samples)
    expected = {"p90": np.percentile(samples, 90), "p95": np.percentile(samples, 95),
                "p99": np.percentile(samples, 99), "cv": float(stats["std"]) / float(stats["mean"])}
    for key, value in expected.items():
        assert math.isclose(float(stats[key]), float(value), rel_tol=1e-9), (
            f"{key} of the grader's samples is {stats[key]!r}, expected {float(value)!r} "
            f"(numpy's linear percentiles; cv = your std / your mean as a fraction).")
    pair = latency_stats([2.0, 4.0])
    assert math.isclose(float(pair["cv"]), float(pair["std"]) / float(pair["mean"])), (
        f"cv of [2, 4] must be its std / its mean, got {pair['cv']!r}.")
    try:
        zero = latency_stats([0.0, 0.0, 0.0, 0.0, 0.0])
    except ZeroDivisionError:
        raise AssertionError("latency_stats of all-zero samples divided by a zero mean: when the mean is 0, "
                             "set cv to nan (math.nan) instead of dividing.") from None
    assert math.isnan(float(zero["cv"])), f"cv must be nan when the mean is 0, got {zero['cv']!r}."


_check_latency_stats_tail()
### END HIDDEN TESTS

# %% [markdown]
# Why distributions? Here is one noisy benchmark: most calls take about 1 ms, a few are hit by
# noise. The mean hides the tail that `p99` exposes.

# %% nbgrader={"grade": false, "grade_id": "noise_demo", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
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
# You will complete the class in step 11. First, the context itself.
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


# %% nbgrader={"grade": true, "grade_id": "test_get_system_info", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
_info = get_system_info()
print(json.dumps(_info, indent=2))
assert isinstance(_info, dict), f"get_system_info must return a dict, got {type(_info).__name__}."
_expected_info = {
    "platform": platform.platform(), "python_version": sys.version.split()[0], "numpy_version": np.__version__,
    "machine": platform.machine(), "processor": platform.processor(), "cpu_count": os.cpu_count(),
}
for _key, _value in _expected_info.items():
    assert _key in _info, f"get_system_info must report {_key!r} (see the docstring for where each value comes from)."
    assert _info[_key] == _value, (
        f"{_key} must be {_value!r} here, got {_info[_key]!r}: use exactly the call the docstring names "
        f"(e.g. python_version is sys.version.split()[0], cpu_count the int os.cpu_count()).")
### BEGIN HIDDEN TESTS
def _check_get_system_info_values():
    info = get_system_info()
    assert isinstance(info, dict), f"get_system_info must return a dict, got {type(info).__name__}."
    expected = {
        "platform": platform.platform(), "python_version": sys.version.split()[0],
        "numpy_version": np.__version__, "machine": platform.machine(),
        "processor": platform.processor(), "cpu_count": os.cpu_count(),
    }
    for key, value in expected.items():
        assert key in info, f"get_system_info is missing the key {key!r}."
        assert info[key] == value, f"{key} is {info[key]!r}, expected {value!r} (the call the docstring names)."


_check_get_system_info_values()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_get_system_info__load", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# The load average, and values a JSON file can hold.
_info = get_system_info()
_load = _info.get("load_average", "missing")
assert _load != "missing", "get_system_info must report 'load_average' (None where the OS has no load average)."
assert _load is None or (isinstance(_load, (int, float)) and not isinstance(_load, bool) and _load >= 0), (
    f"load_average must be one number, the 1-minute load average os.getloadavg()[0], or None; got {_load!r}.")
for _key, _value in _info.items():
    assert _value is None or isinstance(_value, (str, int, float, bool)), (
        f"{_key} is a {type(_value).__name__}: every value must be str, int, float, bool or None, to fit in JSON.")
json.dumps(_info, allow_nan=False)
print("get_system_info: load average and value types look right")
### BEGIN HIDDEN TESTS
def _check_get_system_info_load():
    info = get_system_info()
    assert "load_average" in info, "get_system_info is missing the key 'load_average'."
    load = info["load_average"]
    if hasattr(os, "getloadavg"):
        assert isinstance(load, (int, float)) and not isinstance(load, bool) and load >= 0, (
            f"load_average must be the number os.getloadavg()[0], got {load!r}.")
    for key, value in info.items():
        assert value is None or isinstance(value, (str, int, float, bool)), (
            f"{key} is a {type(value).__name__}; values must be str, int, float, bool or None.")
    json.dumps(info, allow_nan=False)
    real = getattr(os, "getloadavg", None)
    if real is not None:
        del os.getloadavg
    try:
        without = get_system_info()
    except AttributeError as error:
        raise AssertionError(
            f"on an OS without os.getloadavg (Windows) get_system_info raised {error!r}; "
            f"report load_average None there.") from None
    finally:
        if real is not None:
            os.getloadavg = real
    assert without.get("load_average", "missing") is None, (
        f"on an OS without os.getloadavg, load_average must be None, got {without.get('load_average', 'missing')!r}.")


_check_get_system_info_load()
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


# %% nbgrader={"grade": true, "grade_id": "test_measure_latency", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Public fake functions stand in for a model, so each check knows what the right answer is.
class _CountingFn:
    """Records how often it is called and with what."""

    def __init__(self):
        self.inputs = []

    def __call__(self, x):
        self.inputs.append(x)


_fake, _marker = _CountingFn(), object()
_samples = measure_latency(_fake, _marker, warmup=3, runs=7)
assert len(_fake.inputs) == 10, (
    f"warmup=3, runs=7 must call fn 10 times (3 untimed, then 7 timed), it was called {len(_fake.inputs)} times"
    + (": did you skip the warm-up?" if len(_fake.inputs) == 7 else "."))
assert all(_x is _marker for _x in _fake.inputs), "measure_latency must call fn(x) with the x it was given."
assert isinstance(_samples, np.ndarray), f"return an np.ndarray of latencies, got {type(_samples).__name__}."
assert _samples.shape == (7,), (
    f"runs=7 must give 7 latencies (shape (7,)), got shape {_samples.shape}"
    + (": the warm-up calls must not be kept." if _samples.shape == (10,) else "."))
_fake = _CountingFn()
measure_latency(_fake, 0)
assert len(_fake.inputs) == 110, f"the defaults are warmup=10, runs=100 (110 calls); fn was called {len(_fake.inputs)} times."
print("measure_latency: calls and shape look right; baseline batch-1 latencies (ms):",
      np.round(measure_latency(baseline, x_one, warmup=2, runs=5), 4))
### BEGIN HIDDEN TESTS
def _check_measure_latency_calls():
    calls = []
    marker = object()
    samples = measure_latency(calls.append, marker, warmup=5, runs=20)
    assert len(calls) == 25, f"warmup=5, runs=20 must call fn 25 times, got {len(calls)}."
    assert all(x is marker for x in calls), "fn must be called with the x given."
    assert isinstance(samples, np.ndarray) and samples.shape == (20,), (
        f"runs=20 must give an np.ndarray of shape (20,), got {type(samples).__name__} {np.shape(samples)}.")
    quick = []
    quick_samples = measure_latency(quick.append, 1, warmup=0, runs=7)
    assert len(quick) == 7 and np.shape(quick_samples) == (7,), "warmup=0, runs=7 must give 7 calls and 7 samples."
    counter = []
    default_samples = measure_latency(counter.append, 0)
    assert len(counter) == 110 and len(default_samples) == 100, "the defaults are warmup=10, runs=100."


_check_measure_latency_calls()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_measure_latency__units", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Units and warm-up: this fake returns at once from each warm-up call, then sleeps 2 ms per call.
# A sleep never ends early, so every timed call measures at least 2 ms; a timed warm-up call
# shows up as a latency near 0 however busy the machine is.
class _InstantWarmup:
    def __init__(self, warmup):
        self.warmup, self.calls = warmup, 0

    def __call__(self, x):
        self.calls += 1
        if self.calls > self.warmup:
            time.sleep(0.002)


_samples = np.asarray(measure_latency(_InstantWarmup(4), None, warmup=4, runs=7), dtype=float)
assert np.all(_samples > 0), (
    f"every latency must be > 0 ms, got {np.round(_samples, 4)}: is your clock too coarse or not monotonic? "
    f"use time.perf_counter().")
assert _samples.min() >= 1.5, (
    f"a call sleeping 2 ms measured {_samples.min():.6f}"
    + (": latencies must be in milliseconds (seconds x 1000)." if _samples.max() < 1.5 else
       " ms: the warm-up calls (which return at once here) were timed, or the clock skips time spent "
       "sleeping (use time.perf_counter)."))
assert np.median(_samples) < 15, (
    f"2 ms calls measured {np.median(_samples):.1f} ms (median): latencies must be in milliseconds.")
print("measure_latency: milliseconds and untimed warm-up look right")
### BEGIN HIDDEN TESTS
def _check_measure_latency_units():
    calls = {"n": 0}

    def instant_warmup(x):
        calls["n"] += 1
        if calls["n"] > 5:
            time.sleep(0.003)

    # Any timed warm-up call gives a latency near 0, whichever samples a harness keeps.
    samples = np.asarray(measure_latency(instant_warmup, None, warmup=5, runs=8), dtype=float)
    assert np.all(np.isfinite(samples)) and np.all(samples > 2.0), (
        f"calls of 3 ms measured {samples.min()!r} ms at least: latencies in milliseconds, warm-up untimed.")
    assert np.median(samples) < 30, (
        f"units are wrong: median {np.median(samples)!r} ms for 3 ms calls.")


_check_measure_latency_units()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_measure_latency__clock", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# Each call timed alone, with a monotonic clock: calls alternate 1 ms and 12 ms, and the
# wall clock (time.time, time.time_ns) is made to jump backwards, as when the system clock is corrected.
# Units and warm-up are the check above's: here nothing depends on them (no warm-up, ratios only).
class _Alternating:
    def __init__(self):
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        time.sleep(0.001 if self.calls % 2 else 0.012)


_real_time, _real_time_ns = time.time, time.time_ns
_wall = iter(1_000_000.0 - 0.5 * i for i in range(1_000_000))
time.time = lambda: next(_wall)
time.time_ns = lambda: int(next(_wall) * 1e9)
try:
    _samples = np.asarray(measure_latency(_Alternating(), None, warmup=0, runs=12), dtype=float)
finally:
    time.time, time.time_ns = _real_time, _real_time_ns
assert np.all(_samples > 0), (
    f"latencies must be > 0 even when the wall clock jumps, got {np.round(_samples, 3)}: "
    f"time.time() follows clock corrections; use the monotonic time.perf_counter().")
# Pairs of (fast call, slow call): a sleep never ends early, so per-call timing shows most slow
# calls longer than the fast call before them, however busy the machine.
_pairs = _samples[:12].reshape(6, 2)
_ordered = int(np.sum(_pairs[:, 1] > _pairs[:, 0]))
assert _ordered >= 4, (
    f"calls alternate 1 ms and 12 ms, yet only {_ordered} of 6 slow calls measured longer than the fast call "
    f"before them: time each call on its own, do not divide one total by the number of runs.")
print("measure_latency: per-call timing with a monotonic clock looks right")
### BEGIN HIDDEN TESTS
def _check_measure_latency_clock():
    # Every call is timed (warmup=0) and only signs and orders are checked, so a unit or warm-up
    # slip, graded by test_measure_latency__units, costs nothing here.
    class AlternatingFn:
        def __init__(self):
            self.calls = 0

        def __call__(self, x):
            self.calls += 1
            time.sleep(0.012 if self.calls % 2 else 0.001)

    real_time, real_time_ns = time.time, time.time_ns
    time.time, time.time_ns = (lambda: 1_000_000.0), (lambda: 1_000_000 * 10**9)
    try:
        samples = np.asarray(measure_latency(AlternatingFn(), None, warmup=0, runs=20), dtype=float)
    finally:
        time.time, time.time_ns = real_time, real_time_ns
    assert samples.shape == (20,) and np.all(samples > 0), (
        f"with a frozen wall clock the shortest latency was {samples.min()!r}: use time.perf_counter.")
    pairs = samples[:20].reshape(10, 2)
    ordered = int(np.sum(pairs[:, 0] > pairs[:, 1]))
    assert ordered >= 7, (
        f"calls alternating 12 ms and 1 ms: only {ordered} of 10 slow calls measured longer than the next fast "
        f"call; time each call on its own.")


_check_measure_latency_clock()
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


# %% nbgrader={"grade": true, "grade_id": "test_measure_throughput", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
_calls = []
measure_throughput(_calls.append, np.zeros((6, 2)), warmup=2, runs=5)
assert len(_calls) == 7, (
    f"warmup=2, runs=5 must call fn 7 times (2 untimed, then 5 timed), it was called {len(_calls)} times"
    + (": did you skip the warm-up?" if len(_calls) == 5 else "."))
_calls.clear()
measure_throughput(_calls.append, np.zeros((6, 2)))
assert len(_calls) == 23, f"the defaults are warmup=3, runs=20 (23 calls); fn was called {len(_calls)} times."
print("measure_throughput: calls look right")
### BEGIN HIDDEN TESTS
def _check_measure_throughput_calls():
    calls = []
    measure_throughput(calls.append, np.zeros((32, 4)), warmup=3, runs=20)
    assert len(calls) == 23, f"warmup=3, runs=20 must call fn 23 times, got {len(calls)}."
    calls.clear()
    measure_throughput(calls.append, np.zeros((32, 4)), warmup=0, runs=4)
    assert len(calls) == 4, f"warmup=0, runs=4 must call fn 4 times, got {len(calls)}."


_check_measure_throughput_calls()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_measure_throughput__rate", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
class _SelfTimed:
    """Sleeps 4 ms per call and records how long each call really took (more on a busy machine)."""

    def __init__(self):
        self.seconds = []

    def __call__(self, x):
        start = time.perf_counter()
        time.sleep(0.004)
        self.seconds.append(time.perf_counter() - start)


_fake = _SelfTimed()
_rate = float(measure_throughput(_fake, np.zeros((16, 3)), warmup=1, runs=10))
# About 16 samples per 4 ms = 4,000 samples/s; exactly what the 10 timed calls really took.
_expected = 16 * 10 / sum(_fake.seconds[-10:])
_ratio = _rate / _expected
assert 0.5 <= _ratio <= 1.1, (
    f"a batch of 16 samples taking about 4 ms per call is about {_expected:,.0f} samples/s, got {_rate:,.3f}"
    + (": that is batches per second; multiply by the batch size len(x_batch)." if 0.03 < _ratio <= 0.1 else
       ": samples per millisecond? the unit is per second." if 1e-4 < _ratio <= 0.03 else
       ": seconds per sample? throughput is samples / seconds." if _ratio <= 1e-4 else
       ": were the warm-up calls timed too?" if _ratio < 0.5 else ": is the elapsed time measured in seconds?")
)
print(f"measure_throughput: samples per second look right; baseline at batch 64: "
      f"{measure_throughput(baseline, X_test[:64], warmup=1, runs=3):,.0f} samples/s")
### BEGIN HIDDEN TESTS
def _check_measure_throughput_rate():
    seconds = []

    # The warm-up calls take 6x as long as all timed calls together: timing them leaves 1/7 of the rate.
    def two_ms(x):
        start = time.perf_counter()
        time.sleep(0.040 if len(seconds) < 3 else 0.002)
        seconds.append(time.perf_counter() - start)

    batch = np.zeros((32, 4))
    value = float(measure_throughput(two_ms, batch, warmup=3, runs=10))
    expected = 32 * 10 / sum(seconds[-10:])
    assert 0.5 <= value / expected <= 1.1, (
        f"a batch of 32 in about 2 ms is about {expected:,.0f} samples/s, got {value!r}: samples (not batches) "
        f"per second, warm-up untimed.")
    seconds[:] = [0.0, 0.0, 0.0]
    default_value = float(measure_throughput(two_ms, batch))
    expected = 32 * 20 / sum(seconds[-20:])
    assert 0.5 <= default_value / expected <= 1.1, (
        f"with the defaults, expected about {expected:,.0f} samples/s, got {default_value!r}.")


_check_measure_throughput_rate()
### END HIDDEN TESTS

# %% [markdown]
# ### See it: batching trades latency for throughput
#
# The same model, timed at growing batch sizes. The time every request in a batch waits grows
# with the batch. Throughput first rises (one pass over the weights serves more samples), then
# flattens or even drops once a batch's activations no longer fit in the CPU's caches: where
# that happens depends on the machine, so read it off your own plot.

# %% nbgrader={"grade": false, "grade_id": "batch_sweep", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
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
# Repeat the *same* measurement and the numbers move. Compare the two lines: the median of each
# run (warm-up, 100 calls) against its slowest single call. On a busy machine the slowest calls
# differ between runs many times more than the medians do — the log axis keeps both visible.

# %% nbgrader={"grade": false, "grade_id": "repeat_noise", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
try:
    _repeats = {f"run {i + 1}": measure_latency(baseline, x_one, warmup=10, runs=100) for i in range(5)}
    viz.plot_repeated_runs(_repeats)
    plt.show()
    _medians = np.array([np.median(s) for s in _repeats.values()])
    print(f"medians of 5 runs: {np.round(_medians, 4)} ms — spread {(_medians.std() / _medians.mean()):.1%} of the mean")
except NotImplementedError:
    print("implement measure_latency to see the repeated runs")

# %% [markdown]
# ### See it: the machine has states
#
# Each of those runs lasted a few milliseconds. Now watch one measurement for about a second, as
# short rounds one after another. On a shared machine the round p50s tend to sit on plateaus: the
# machine switches between performance states — clock frequency, what the other core and the host
# are doing, what is in the caches — that last from tenths of a second to seconds, longer than a
# whole 100-call run. So **one run lands in one state**, and more calls in the same run do not
# help: the next run may land in another state. The title states how far apart this run's rounds
# were; a quiet machine may show a flat line.
# What helps is **several rounds spread over time**: report the median of the round p50s, and state
# the spread between rounds. `BenchmarkReport` (step 11) measures this way.

# %% nbgrader={"grade": false, "grade_id": "machine_states", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
try:
    _times_s, _round_p50s = [], []
    _start = time.perf_counter()
    while time.perf_counter() - _start < 1.0:
        _times_s.append(time.perf_counter() - _start)
        _round_p50s.append(float(np.median(measure_latency(baseline, x_one, warmup=0, runs=50))))
        time.sleep(0.01)
    viz_rounds.plot_machine_states(_times_s, _round_p50s, label="baseline")
    plt.show()
except NotImplementedError:
    print("implement measure_latency to see the machine's states")

# %% [markdown]
# ### Comparing two models: interleave them
#
# A speedup divides two latencies. Measure the baseline, then the optimized model, and each may
# land in a different state: the ratio carries the difference between the states — 2.6× one time,
# 3.4× the next. Measure them in **alternating rounds** instead: within a round both models see the
# same state, so the ratio of their p50s *in the same round* cancels what the state adds to both.
# The speedup is the **median of the per-round ratios**: a round disturbed by a switch in its
# middle does not move it. Alternate which model goes first, so neither always runs second.
#
# States do not always slow both models alike: a model that streams 4 MB of weights from memory
# and one that fits in the cache feel a busy neighbour differently, so some states change the
# ratio itself — and on a shared machine such a state can last seconds. The defaults therefore
# spread 41 rounds over about 6 s: a state must cover most of them to move the median.

# %% [markdown]
# ### How sure is that median? A confidence interval
#
# The speedup is one median of 41 ratios. Measure again and the median moves. A **95% confidence
# interval** says how far: a range produced by a procedure that, over many repeated measurements,
# contains the true median ratio 95% of the time. Written `1.93× [1.81, 2.05]`.
#
# The **percentile bootstrap** builds it from the rounds alone: draw as many ratios as there are
# rounds *with replacement* (some rounds twice, some not at all), take the median of that resample,
# repeat 2,000 times, and keep the middle 95% of those medians (their 2.5th to 97.5th percentiles).
#
# - **More rounds narrow it**, roughly as 1/√rounds: four times the rounds, half the width.
# - **It is not the spread.** The spread, (max − min) / median, says how far single rounds scatter;
#   more rounds do not shrink it. The interval says how uncertain their *median* is.
# - **A fixed seed makes it reproducible**: the same ratios and seed give the same interval, so a
#   grader can recompute it from the `speedup_rounds` of your submission.
#
# An interval that contains 1.0 cannot tell faster from slower: the verdict is *within noise*.
# It covers what varies from round to round in *this* run; a state that lasts the whole run moves
# every round alike, and only another run (another process, another minute) can show it.
#
# ### Step 5a — `speedup_interval` (3 points)

# %% nbgrader={"grade": false, "grade_id": "speedup_interval", "locked": false, "schema_version": 3, "solution": true, "task": false}
def speedup_interval(ratios, confidence: float = 0.95, resamples: int = 2000, seed: int = 0) -> dict:
    """A percentile-bootstrap confidence interval for the median of per-round speedup ratios.

    With the generator ``rng = np.random.default_rng(seed)``, draws ``resamples`` resamples, each
    ``len(ratios)`` ratios drawn from ``ratios`` with replacement
    (``rng.integers(0, n, size=(resamples, n))`` as indices), takes the median of each resample,
    and returns the ``100 * (1 - confidence) / 2`` and ``100 * (1 + confidence) / 2`` percentiles of
    those medians (``np.percentile``). The same ratios and seed give the same interval.

    Returns:
        dict with ``low`` and ``high`` (floats: the interval's ends, ratios like the input),
        ``confidence`` (float), ``resamples`` and ``seed`` (ints, as given) and ``method``, the
        string ``"percentile_bootstrap_median"``: the submission's ``speedup_interval`` as is.

    Raises:
        ValueError: for fewer than 5 ratios (too few rounds for an interval), ``confidence``
            outside the open interval (0, 1), or ``resamples`` below 1.
    """
    ### BEGIN SOLUTION
    r = np.asarray(ratios, dtype=float)
    if r.size < 5:
        raise ValueError(f"speedup_interval needs at least 5 rounds, got {r.size}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples!r}")
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, r.size, size=(resamples, r.size))
    medians = np.median(r[indices], axis=1)
    low, high = np.percentile(medians, [100 * (1 - confidence) / 2, 100 * (1 + confidence) / 2])
    return {"low": float(low), "high": float(high), "confidence": float(confidence), "resamples": int(resamples),
            "seed": int(seed), "method": "percentile_bootstrap_median"}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_speedup_interval", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# Any correct bootstrap lands within one neighbouring ratio of the exact bootstrap percentiles, which
# this helper computes without resampling: the median of a resample of n distinct ratios is at most
# the k-th smallest when at least (n + 1) / 2 of its n draws are, a binomial probability (odd n).
def _bootstrap_bounds(ratios, confidence):
    """``[(lowest, highest) accepted for low, (lowest, highest) accepted for high]``, and the exact ends."""
    x = sorted(float(v) for v in ratios)
    n, need = len(x), (len(x) + 1) // 2
    cdf = [sum(math.comb(n, j) * (k / n) ** j * (1 - k / n) ** (n - j) for j in range(need, n + 1))
           for k in range(1, n + 1)]
    ends = [next(i for i, c in enumerate(cdf) if c >= q) for q in ((1 - confidence) / 2, (1 + confidence) / 2)]
    return [(x[max(k - 1, 0)], x[min(k + 1, n - 1)]) for k in ends], [x[k] for k in ends]


def _check_interval_of_the_median(ratios, confidence, label):
    result = speedup_interval(ratios, confidence=confidence)
    assert isinstance(result, dict) and {"low", "high"} <= set(result), (
        f"return a dict with 'low' and 'high' (and confidence, resamples, seed, method), got {result!r}.")
    low, high = float(result["low"]), float(result["high"])
    (low_ok, high_ok), (exact_low, exact_high) = _bootstrap_bounds(ratios, confidence)
    median = float(np.median(ratios))
    hint = (" Both ends at the median: resample WITH replacement (rng.integers), not a shuffle." if low == high
            else " Wider than the median's interval: take the median of each resample of n ratios, not single ratios."
            if low < low_ok[0] and high > high_ok[1] else
            " Take the median of each resample (not the mean), and the percentiles 100*(1-c)/2 and 100*(1+c)/2 of "
            "those medians.")
    assert low_ok[0] <= low <= low_ok[1] and high_ok[0] <= high <= high_ok[1], (
        f"{label}, confidence {confidence}: the bootstrap interval of the median is about "
        f"[{exact_low:.4f}, {exact_high:.4f}] (median {median:.4f}), got [{low:.4f}, {high:.4f}].{hint}")


_even_ratios = [round(1.8 + 0.01 * _i, 2) for _i in range(41)]  # 1.80, 1.81, ..., 2.20: median 2.00
_check_interval_of_the_median(_even_ratios, 0.95, "41 ratios from 1.80 to 2.20")
_check_interval_of_the_median(_even_ratios, 0.5, "41 ratios from 1.80 to 2.20")
# Six disturbed rounds at 6x pull the mean of the ratios far up, not their median.
_skewed_ratios = [round(1.85 + 0.01 * _i, 2) for _i in range(35)] + [6.0] * 6
_check_interval_of_the_median(_skewed_ratios, 0.95, "35 ratios near 2 and six at 6.0")
print("speedup_interval: the interval of the median at the confidence asked looks right")
### BEGIN HIDDEN TESTS
def _check_speedup_interval_hidden():
    generator = np.random.default_rng(2024)
    cases = {
        "21 log-normal ratios": list(2.0 * np.exp(generator.normal(0.0, 0.1, 21))),
        "61 log-normal ratios": list(1.3 * np.exp(generator.normal(0.0, 0.2, 61))),
        "31 ratios with slow rounds": list(0.9 + 0.2 * generator.random(27)) + [3.0, 3.5, 4.0, 5.0],
    }
    for label, ratios in cases.items():
        for confidence in (0.95, 0.9, 0.8, 0.6):
            _check_interval_of_the_median(ratios, confidence, label)


_check_speedup_interval_hidden()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_speedup_interval__seed_and_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# 40 distinct ratios (an even count: the median averages two, so the ends rarely coincide across seeds).
_ratios = [round(1.5 + 0.37 * ((7 * _i) % 40) / 40, 4) for _i in range(40)]
_first, _again = speedup_interval(_ratios, seed=3), speedup_interval(list(_ratios), seed=3)
assert _first == _again, f"the same ratios and seed must give the same interval: {_first!r} then {_again!r}."
_by_seed = {(float(_r["low"]), float(_r["high"])) for _r in (speedup_interval(_ratios, seed=_s) for _s in range(6))}
assert len(_by_seed) > 1, (
    "seeds 0-5 all gave the same interval: draw the resamples with np.random.default_rng(seed), the seed given.")
assert {k: _first.get(k) for k in ("confidence", "resamples", "seed", "method")} == {
    "confidence": 0.95, "resamples": 2000, "seed": 3, "method": "percentile_bootstrap_median"}, (
    f"the result records confidence, resamples and seed as given and method 'percentile_bootstrap_median', got {_first!r}.")
assert float(_first["low"]) <= float(np.median(_ratios)) <= float(_first["high"]), (
    f"the interval of the median must contain the median {np.median(_ratios):.4f}, got {_first!r}.")
for _bad, _why in (({"ratios": [2.0, 2.1, 1.9, 2.2]}, "4 rounds are too few"),
                   ({"confidence": 0.0}, "confidence 0"), ({"confidence": 1.0}, "confidence 1"),
                   ({"confidence": 95}, "confidence 95 (a percentage)")):
    try:
        speedup_interval(**{"ratios": _ratios, **_bad})
    except ValueError:
        continue
    raise AssertionError(f"speedup_interval must raise ValueError for {_why}.")
print("speedup_interval: reproducible for a seed, and refuses what it cannot answer")
### BEGIN HIDDEN TESTS
def _check_speedup_interval_seed_and_errors():
    ratios = list(np.round(2.0 * np.exp(np.random.default_rng(11).normal(0.0, 0.08, 30)), 5))
    one = speedup_interval(np.array(ratios), confidence=0.9, resamples=500, seed=17)
    assert one == speedup_interval(ratios, confidence=0.9, resamples=500, seed=17), "same seed, same interval."
    assert one["resamples"] == 500 and one["seed"] == 17 and math.isclose(one["confidence"], 0.9), (
        f"the result records resamples=500, seed=17 and confidence=0.9 as given, got {one!r}.")
    assert len({(r["low"], r["high"]) for r in (speedup_interval(ratios, seed=s) for s in (101, 202, 303, 404))}) > 1, (
        "the seed must choose the resamples.")
    assert speedup_interval([1.5] * 5)["low"] == 1.5, "five equal ratios: the interval is that ratio."
    for bad in ({"ratios": []}, {"ratios": [2.0]}, {"confidence": -0.5}, {"confidence": 1.5}):
        try:
            speedup_interval(**{"ratios": ratios, **bad})
        except ValueError:
            continue
        raise AssertionError(f"{bad} must raise ValueError")
    json.dumps(one, allow_nan=False)


_check_speedup_interval_seed_and_errors()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 5b — `compare_latency` (4 points)

# %% nbgrader={"grade": false, "grade_id": "compare_latency", "locked": false, "schema_version": 3, "solution": true, "task": false}
def compare_latency(fn_a, fn_b, x, rounds: int = 41, runs: int = 30, warmup: int = 10, pause_s: float = 0.15) -> dict:
    """Compare the batch latency of two functions in interleaved rounds.

    Calls ``fn_a(x)`` and ``fn_b(x)`` ``warmup`` times each without timing them. Then, in each of
    ``rounds`` rounds, times both with ``measure_latency(fn, x, warmup=0, runs=runs)`` — ``fn_a``
    first in even rounds (0, 2, ...), ``fn_b`` first in odd rounds — and takes each one's p50 (the
    median of that round's samples). Between rounds it sleeps ``pause_s`` seconds
    (``time.sleep``), so the rounds spread over time and meet the machine's different states.

    Returns:
        dict with ``rounds`` (int), ``p50_a_ms`` and ``p50_b_ms`` (lists of ``rounds`` floats, ms,
        in round order), ``ratios`` (list: ``p50_a / p50_b`` of the same round), ``speedup`` (float,
        the median of ``ratios``: how many times faster ``fn_b`` is), ``spread`` (float,
        ``(max(ratios) - min(ratios)) / speedup``, the relative range of the ratios) and
        ``interval`` (``speedup_interval(ratios)`` with its defaults, the 95% interval of the
        speedup; ``None`` when ``rounds`` is below 5).

    Raises:
        ValueError: if ``rounds`` or ``runs`` is below 1.
    """
    ### BEGIN SOLUTION
    if rounds < 1 or runs < 1:
        raise ValueError(f"compare_latency needs rounds >= 1 and runs >= 1, got rounds={rounds}, runs={runs}")
    for _ in range(warmup):
        fn_a(x)
        fn_b(x)
    p50_a, p50_b = [], []
    for index in range(rounds):
        if index > 0:
            time.sleep(pause_s)
        order = (("a", fn_a), ("b", fn_b)) if index % 2 == 0 else (("b", fn_b), ("a", fn_a))
        p50s = {}
        for name, fn in order:
            p50s[name] = float(np.median(measure_latency(fn, x, warmup=0, runs=runs)))
        p50_a.append(p50s["a"])
        p50_b.append(p50s["b"])
    ratios = [a / b for a, b in zip(p50_a, p50_b)]
    speedup = float(np.median(ratios))
    return {
        "rounds": rounds,
        "p50_a_ms": p50_a,
        "p50_b_ms": p50_b,
        "ratios": ratios,
        "speedup": speedup,
        "spread": (max(ratios) - min(ratios)) / speedup,
        "interval": speedup_interval(ratios) if rounds >= 5 else None,
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_compare_latency", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import threading as _threading


# A fake machine stands in for measure_latency (and time.sleep) while these checks run, so each check
# knows the right answer: a function's samples are its cost x the machine's state, and the state
# changes every two measurements (one round of two functions). No real timing is involved.
class _FakeFn:
    """A stand-in model: ``costs_ms`` is its latency per round it is measured in (the last repeats)."""

    def __init__(self, name, costs_ms):
        self.name, self.costs_ms, self.direct_calls, self.measured = name, list(costs_ms), 0, 0

    def __call__(self, x):
        self.direct_calls += 1


class _FakeMachine:
    """Replaces measure_latency, latency_stats, speedup_interval and time.sleep inside a ``with`` block;
    records calls."""

    def __init__(self, states):
        self.states, self.calls, self.sleeps, self.intervals = list(states), [], [], []

    def measure_latency(self, fn, x, warmup=10, runs=100):
        state = self.states[min(len(self.calls) // 2, len(self.states) - 1)]
        cost = fn.costs_ms[min(fn.measured, len(fn.costs_ms) - 1)]
        fn.measured += 1
        self.calls.append((fn.name, warmup, runs))
        # Every sample is cost x state except one slow outlier: the median is cost x state, the mean is not.
        return np.concatenate([np.full(runs - 1, cost * state), [cost * state * 10.0]])

    @staticmethod
    def latency_stats(samples_ms):
        """Knows the machine's samples (all equal but the slow last one), so it computes no summary:
        the p50 is the first sample, and the mean is pulled up by the slow one."""
        s = np.asarray(samples_ms, dtype=float)
        typical, slow = float(s[0]), float(s[-1])
        return {"n": s.size, "mean": typical + (slow - typical) / s.size, "std": slow - typical, "min": typical,
                "max": slow, "p50": typical, "p90": typical, "p95": slow, "p99": slow, "cv": 1.0}

    def speedup_interval(self, ratios, confidence=0.95, resamples=2000, seed=0):
        """Stands in for step 5a, so that a slip there costs nothing here: the range of the ratios it
        was given, marked as this fake's; fewer than 5 ratios raise, as the contract says."""
        ratios = [float(r) for r in ratios]
        self.intervals.append(ratios)
        if len(ratios) < 5:
            raise ValueError("the fake speedup_interval needs at least 5 rounds")
        return {"low": min(ratios), "high": max(ratios), "confidence": confidence, "resamples": resamples,
                "seed": seed, "method": "fake"}

    def __enter__(self):
        namespace = globals()
        self._saved = {name: namespace.get(name) for name in ("measure_latency", "latency_stats", "speedup_interval")}
        self._sleep, caller = time.sleep, _threading.get_ident()
        namespace.update(measure_latency=self.measure_latency, latency_stats=self.latency_stats,
                         speedup_interval=self.speedup_interval)
        # Only this thread's sleeps are compare_latency's: the kernel's own threads may sleep meanwhile.
        time.sleep = lambda seconds: (self.sleeps.append(seconds) if _threading.get_ident() == caller
                                      else self._sleep(seconds))
        return self

    def __exit__(self, *exc):
        globals().update(self._saved)
        time.sleep = self._sleep


_a, _b = _FakeFn("a", [2.0]), _FakeFn("b", [0.5])
with _FakeMachine([1.0]) as _machine:
    _result = compare_latency(_a, _b, "x", rounds=4, runs=6, warmup=3, pause_s=0.0)
assert len(_machine.calls) == 8, (
    f"rounds=4 must time each function 4 times with measure_latency (8 calls), got {len(_machine.calls)} calls: "
    f"in every round call measure_latency(fn, x, warmup=0, runs=runs) for fn_a and for fn_b.")
assert all(_runs == 6 for _, _, _runs in _machine.calls), f"every round times runs=6 calls, got {_machine.calls}."
for _fn in (_a, _b):
    _untimed = _fn.direct_calls + sum(_w for _name, _w, _ in _machine.calls if _name == _fn.name)
    assert _untimed >= 3, (
        f"warmup=3: call fn_{_fn.name}(x) 3 times untimed before the first round, it got {_untimed} untimed calls.")
assert isinstance(_result, dict), f"return a dict, got {type(_result).__name__}."
_missing = {"rounds", "p50_a_ms", "p50_b_ms", "ratios", "speedup", "spread"} - set(_result)
assert not _missing, f"the result misses the keys {sorted(_missing)}."
assert _result["rounds"] == 4 and all(len(_result[_k]) == 4 for _k in ("p50_a_ms", "p50_b_ms", "ratios")), (
    "rounds=4 gives 4 p50s per function and 4 ratios.")
assert math.isclose(float(_result["speedup"]), 4.0), (
    f"fn_a takes 2 ms and fn_b 0.5 ms: speedup = p50_a / p50_b = 4.0, got {_result['speedup']!r}.")
print("compare_latency: calls, warm-up and result shape look right")
### BEGIN HIDDEN TESTS
def _check_compare_latency_calls():
    a, b = _FakeFn("a", [3.0]), _FakeFn("b", [1.5])
    with _FakeMachine([2.0]) as machine:
        result = compare_latency(a, b, None, rounds=1, runs=9, warmup=5, pause_s=0.0)
    assert len(machine.calls) == 2 and all(r == 9 for _, _, r in machine.calls), (
        f"rounds=1, runs=9 must call measure_latency once per function with runs=9, got {machine.calls}.")
    for fn in (a, b):
        untimed = fn.direct_calls + sum(w for name, w, _ in machine.calls if name == fn.name)
        assert untimed >= 5, f"warmup=5 untimed calls of fn_{fn.name}, got {untimed}."
    assert result["rounds"] == 1 and len(result["ratios"]) == 1, f"rounds=1 gives one ratio, got {result!r}."
    assert math.isclose(float(result["p50_a_ms"][0]), 6.0) and math.isclose(float(result["p50_b_ms"][0]), 3.0), (
        "a round's p50 is the median of its samples.")
    assert math.isclose(float(result["speedup"]), 2.0) and math.isclose(float(result["spread"]), 0.0, abs_tol=1e-12), (
        f"one round of 6 ms against 3 ms: speedup 2.0 and spread 0.0, got {result!r}.")
    assert result.get("interval", "missing") is None, f"rounds=1 is too few for an interval: None, got {result!r}."
    json.dumps({k: (list(map(float, v)) if isinstance(v, (list, np.ndarray)) else float(v)) for k, v in result.items()
                if k != "interval"})
    a, b = _FakeFn("a", [1.0]), _FakeFn("b", [1.0])
    with _FakeMachine([1.0]) as machine:
        compare_latency(a, b, None)
    assert len(machine.calls) == 82 and all(r == 30 for _, _, r in machine.calls), (
        "the defaults are rounds=41, runs=30.")
    assert all(math.isclose(s, 0.15) for s in machine.sleeps) and len(machine.sleeps) >= 40, "the default pause is 0.15 s."


_check_compare_latency_calls()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_compare_latency__interleaved", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# The fake machine switches state between rounds (x1, x2, x1, x3, x1). fn_a always costs 2 ms; fn_b's own
# cost changes from round to round, so the per-round ratios are 4, 4, 2, 4, 8.
_a, _b = _FakeFn("a", [2.0]), _FakeFn("b", [0.5, 0.5, 1.0, 0.5, 0.25])
with _FakeMachine([1.0, 2.0, 1.0, 3.0, 1.0]) as _machine:
    _result = compare_latency(_a, _b, "x", rounds=5, runs=5, warmup=0, pause_s=0.0)
_p50_a = [float(_v) for _v in _result["p50_a_ms"]]
assert np.allclose(_p50_a, [2.0, 4.0, 2.0, 6.0, 2.0]), (
    f"fn_a's round p50s should follow the machine's states, 2, 4, 2, 6, 2 ms; got {np.round(_p50_a, 3).tolist()}"
    + (": a round's p50 is the median of its samples, not the mean." if _p50_a and _p50_a[0] > 2.5 else
       ": measure fn_a and fn_b inside the same round (a, b, then b, a, ...), not all rounds of one first."))
_ratios = [float(_v) for _v in _result["ratios"]]
assert np.allclose(_ratios, [4.0, 4.0, 2.0, 4.0, 8.0]), (
    f"per-round ratios must be p50_a / p50_b of the same round, expected [4, 4, 2, 4, 8], got {np.round(_ratios, 3).tolist()}.")
_speedup = float(_result["speedup"])
assert math.isclose(_speedup, 4.0), (
    f"speedup is the median of the per-round ratios = 4.0, got {_speedup!r}"
    + (": that is their mean." if math.isclose(_speedup, 4.4) else
       ": that is the ratio of the median p50s, which mixes rounds." if math.isclose(_speedup, 2.0) else "."))
print("compare_latency: same-round ratios and their median look right")
### BEGIN HIDDEN TESTS
def _check_compare_latency_interleaved():
    a, b = _FakeFn("a", [6.0, 6.0, 6.0, 3.0, 6.0, 6.0, 6.0]), _FakeFn("b", [1.0])
    with _FakeMachine([1.0, 1.5, 1.5, 1.0, 4.0, 1.0, 2.0]) as machine:
        result = compare_latency(a, b, None, rounds=7, runs=4, warmup=0, pause_s=0.0)
    states = [1.0, 1.5, 1.5, 1.0, 4.0, 1.0, 2.0]
    expected_b = [1.0 * s for s in states]
    assert np.allclose([float(v) for v in result["p50_b_ms"]], expected_b), (
        f"both functions of a round must be measured in that round: fn_b's p50s {result['p50_b_ms']!r}.")
    assert np.allclose([float(v) for v in result["ratios"]], [6, 6, 6, 3, 6, 6, 6]), (
        f"per-round ratios must be p50_a / p50_b of the same round, got {result['ratios']!r}.")
    assert math.isclose(float(result["speedup"]), 6.0), f"speedup = median of the ratios = 6.0, got {result['speedup']!r}."
    even = _FakeFn("a", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]), _FakeFn("b", [0.5, 0.25, 0.5, 0.5, 0.25, 0.25])
    with _FakeMachine([1.0]):
        result = compare_latency(*even, None, rounds=6, runs=3, warmup=0, pause_s=0.0)
    assert math.isclose(float(result["speedup"]), 3.0), "with an even number of rounds, the median averages the middle two."


_check_compare_latency_interleaved()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_compare_latency__order_and_spread", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Neither function may always go second, rounds are spread over time, and the spread and interval are stated.
_a, _b = _FakeFn("a", [2.0]), _FakeFn("b", [0.5, 0.5, 1.0, 0.5])
with _FakeMachine([1.0]) as _machine:
    _result = compare_latency(_a, _b, "x", rounds=4, runs=3, warmup=0, pause_s=0.25)
_order = [_name for _name, _, _ in _machine.calls]
assert _order == ["a", "b", "b", "a", "a", "b", "b", "a"], (
    f"fn_a goes first in even rounds (0, 2, ...) and fn_b first in odd rounds; the measurement order was {_order}.")
assert len(_machine.sleeps) >= 3 and math.isclose(sum(_machine.sleeps), 0.25 * len(_machine.sleeps)), (
    f"sleep pause_s=0.25 s (time.sleep) between rounds so they spread over time; slept {_machine.sleeps}.")
assert math.isclose(float(_result["spread"]), (4.0 - 2.0) / 4.0), (
    f"the spread is the relative range of the ratios, (max - min) / speedup = (4 - 2) / 4 = 0.5; got "
    f"{_result['spread']!r}.")
assert "interval" in _result and _result["interval"] is None, (
    f"4 rounds are too few for an interval: 'interval' must be None, got {_result.get('interval', 'no key')!r}.")
# With 5 rounds or more, 'interval' is speedup_interval(ratios) of the same rounds (a stand-in here).
with _FakeMachine([1.0]) as _machine:
    _result = compare_latency(_FakeFn("a", [2.0]), _FakeFn("b", [0.5, 1.0, 0.5, 0.25, 0.5]), "x", rounds=5, runs=3,
                              warmup=0, pause_s=0.0)
assert _machine.intervals == [[4.0, 2.0, 4.0, 8.0, 4.0]], (
    f"call speedup_interval once, with the 5 per-round ratios [4, 2, 4, 8, 4]; it was called with {_machine.intervals}.")
assert _result.get("interval") == _machine.speedup_interval([4.0, 2.0, 4.0, 8.0, 4.0]), (
    f"'interval' must be what speedup_interval(ratios) returned, got {_result.get('interval')!r}.")
for _bad in ({"rounds": 0}, {"runs": 0}):
    try:
        with _FakeMachine([1.0]):
            compare_latency(_FakeFn("a", [1.0]), _FakeFn("b", [1.0]), "x", **_bad)
    except ValueError:
        pass
    else:
        raise AssertionError(f"compare_latency(..., {_bad}) must raise ValueError: there is nothing to compare.")
print("compare_latency: alternating order, pauses and spread look right")
### BEGIN HIDDEN TESTS
def _check_compare_latency_order_and_spread():
    a, b = _FakeFn("a", [1.0]), _FakeFn("b", [0.5, 0.25, 0.5])
    with _FakeMachine([1.0]) as machine:
        result = compare_latency(a, b, None, rounds=3, runs=3, warmup=2, pause_s=0.1)
    order = [name for name, _, _ in machine.calls]
    assert order == ["a", "b", "b", "a", "a", "b"], f"fn_a first in even rounds, fn_b first in odd ones; got {order}."
    assert len(machine.sleeps) >= 2 and all(math.isclose(s, 0.1) for s in machine.sleeps), (
        f"sleep pause_s=0.1 s between rounds, slept {machine.sleeps}.")
    assert math.isclose(float(result["spread"]), (4.0 - 2.0) / 2.0), f"spread = (4 - 2) / 2 = 1.0, got {result['spread']!r}."
    assert result.get("interval", "missing") is None, f"3 rounds: no interval (None), got {result.get('interval')!r}."
    a, b = _FakeFn("a", [3.0]), _FakeFn("b", [1.0, 1.5, 1.0, 0.5, 1.0, 3.0, 1.0])
    with _FakeMachine([1.0, 2.0]) as machine:
        result = compare_latency(a, b, None, rounds=7, runs=3, warmup=0, pause_s=0.0)
    assert machine.intervals == [[3.0, 2.0, 3.0, 6.0, 3.0, 1.0, 3.0]], (
        f"speedup_interval takes the same-round ratios, got {machine.intervals}.")
    assert result.get("interval") == {"low": 1.0, "high": 6.0, "confidence": 0.95, "resamples": 2000, "seed": 0,
                                      "method": "fake"}, f"'interval' = speedup_interval(ratios), got {result!r}."
    for bad in ({"rounds": -1}, {"runs": -2}):
        try:
            with _FakeMachine([1.0]):
                compare_latency(_FakeFn("a", [1.0]), _FakeFn("b", [1.0]), None, **bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} must raise ValueError")


_check_compare_latency_order_and_spread()
### END HIDDEN TESTS

# %% [markdown]
# ### See it: interleaving cancels what the rounds share
#
# Left: each model's round p50s, divided by their own median. A state of the machine that slows
# both makes both lines rise together, and their same-round ratio does not move. A line that moves
# alone is that model's own variation: no pairing cancels it, which is why the speedup is a median
# over many rounds. Right: ratios of p50s taken in the same round (what `compare_latency` reports)
# against ratios of p50s taken in different rounds (what two separate benchmarks would compare).
# Which of these dominates depends on the machine and the moment: the cell prints what this run
# saw, from its own numbers.

# %% nbgrader={"grade": false, "grade_id": "interleaving_demo", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
try:
    _pair = compare_latency(baseline, load_model("pruned-int8"), x_one, rounds=21, pause_s=0.05)
    viz_rounds.plot_interleaved(_pair, names=("baseline", "pruned-int8"))
    plt.show()
    print("pruned-int8 vs baseline:", verdicts.speed_clause(_pair))
    print("in this run:", verdicts.together_clause(_pair["p50_a_ms"], _pair["p50_b_ms"]))
    print("in this run:", verdicts.narrowing_clause(_pair))
except NotImplementedError:
    print("implement measure_latency and compare_latency to see the interleaved rounds")

# %% [markdown]
# ### Step 6 — `plot_latency_distribution` (2 points)
#
# A histogram per model, with the median and the tail marked, makes "faster" visible — and shows
# whether the distributions overlap. Latencies have long tails: one call 100× slower than the rest
# stretches linear bins so far that every other call lands in the first bar. Log-spaced bins on a
# log axis give each factor of 10 the same width, so the bulk and the outlier both stay readable.

# %% nbgrader={"grade": false, "grade_id": "plot_latency_distribution", "locked": false, "schema_version": 3, "solution": true, "task": false}
def plot_latency_distribution(samples_by_model: dict, ax=None):
    """Plot one latency histogram per model.

    Args:
        samples_by_model: ``{model name: 1-D array of latencies in ms}``.
        ax: a matplotlib Axes to draw on; a new figure's Axes when None.

    Draws, for each model: a histogram labelled with the model name, and vertical lines (``ax.axvline``)
    at its p50 and at its p99 (numpy's default percentiles). Labels the x axis with the unit
    ("ms") and the y axis, and adds a legend. Outliers must not hide the bulk: the bins are
    log-spaced (e.g. ``np.geomspace(smallest, largest, 60)`` over all samples, which are > 0) and
    the x axis is logarithmic (``ax.set_xscale("log")``), so a sample with one call 100× slower
    than the others still shows the others spread over several bars.

    Returns:
        the Axes drawn on.
    """
    ### BEGIN SOLUTION
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.5), layout="constrained")
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
        import matplotlib.ticker as ticker

        ax.set_xscale("log")
        # Plain numbers at 1-2-5 steps: the default 2×10⁻¹-style labels collide on a short range.
        ax.xaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
        ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("number of runs")
    ax.set_title("Latency distribution per model (log scale)")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_plot_latency_distribution", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
_demo_rng = np.random.default_rng(5)
_demo_samples = {"fast": _demo_rng.gamma(9.0, 0.05, 300), "slow": _demo_rng.gamma(9.0, 0.2, 300)}
_fig, _given = plt.subplots()
try:
    _returned = plot_latency_distribution(_demo_samples, ax=_given)
    assert _returned is _given, "when given an Axes, draw on it and return it (do not create a new figure)."
    assert len(_given.patches) > 0, "no histogram bars were drawn: use ax.hist for each model."
    _vertical = [float(np.asarray(line.get_xdata(), dtype=float)[0]) for line in _given.lines
                 if np.size(line.get_xdata()) and np.allclose(line.get_xdata(), line.get_xdata()[0])]
    for _name, _values in _demo_samples.items():
        for _q in (50, 99):
            _target = float(np.percentile(_values, _q))
            assert any(math.isclose(_v, _target, rel_tol=1e-6) for _v in _vertical), (
                f"no vertical line at the p{_q} of {_name!r} ({_target:.4f} ms); lines found at "
                f"{[round(_v, 4) for _v in _vertical]}: mark np.percentile(samples, {_q}) with ax.axvline"
                + (" (the median, not the mean)." if _q == 50 else "."))
finally:
    plt.close(_fig)
print("plot_latency_distribution: histograms and percentile lines look right")
### BEGIN HIDDEN TESTS
def _check_plot_latency_lines():
    rng = np.random.default_rng(0)
    data = {"alpha": rng.gamma(4.0, 0.25, 200), "beta": rng.gamma(9.0, 0.5, 200)}
    fig, given_ax = plt.subplots()
    try:
        returned = plot_latency_distribution(data, ax=given_ax)
        assert returned is given_ax, "draw on the Axes you are given and return it."
        assert len(given_ax.patches) > 0, "no histogram drawn."
        vertical_x = []
        for line in given_ax.lines:
            xs = np.asarray(line.get_xdata(), dtype=float)
            if xs.size and np.allclose(xs, xs[0]):
                vertical_x.append(float(xs[0]))
        for name, samples in data.items():
            for q in (50, 99):
                target = float(np.percentile(samples, q))
                assert any(math.isclose(v, target, rel_tol=1e-6) for v in vertical_x), (
                    f"the p{q} of {name!r} is not marked by a vertical line.")
    finally:
        plt.close(fig)


_check_plot_latency_lines()
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "latency_histograms", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
# Your histograms of the two sets of latencies the check above used.
try:
    plot_latency_distribution(_demo_samples)
    plt.show()
except NotImplementedError:
    print("implement plot_latency_distribution to see the histograms")


# %% nbgrader={"grade": true, "grade_id": "test_plot_latency_distribution__labels", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# The axes: labels, a legend, and a scale on which one slow outlier does not hide the bulk.
def _bulk_readability(ax, bulk):
    """(bin edges strictly inside the bulk's 5-95% range, the fraction of the x axis that range spans)."""
    low, high = np.percentile(bulk, [5, 95])
    to_data = ax.transData.inverted()
    edges = set()
    for patch in ax.patches:
        xs = to_data.transform(patch.get_transform().transform(patch.get_path().vertices))[:, 0]
        edges.update(round(float(x), 9) for x in xs if low < x < high)
    (left, _), (right, _) = ax.transData.transform([(low, 1.0), (high, 1.0)])
    (axis_left, _), (axis_right, _) = ax.transAxes.transform([(0.0, 0.0), (1.0, 0.0)])
    return len(edges), abs(right - left) / abs(axis_right - axis_left)


_fig, _given = plt.subplots()
try:
    plot_latency_distribution(_demo_samples, ax=_given)
    assert "ms" in _given.get_xlabel(), f"the x label must name the unit (ms), got {_given.get_xlabel()!r}."
    assert _given.get_ylabel().strip(), "the y axis needs a label (what the bar heights count)."
    assert _given.get_legend() is not None, "add a legend (ax.legend()) so each histogram is named."
    _legend = " ".join(_t.get_text() for _t in _given.get_legend().get_texts())
    assert "fast" in _legend and "slow" in _legend, f"the legend must name every model, it reads {_legend!r}."
finally:
    plt.close(_fig)
# 199 calls near 1 ms and one call of 100 ms.
_bulk = np.random.default_rng(6).gamma(25.0, 0.04, 199)
_fig, _given = plt.subplots()
try:
    plot_latency_distribution({"steady": np.append(_bulk, 100.0)}, ax=_given)
    _edges, _share = _bulk_readability(_given, _bulk)
    assert _edges >= 2 and _share >= 0.05, (
        f"one 100 ms outlier among calls near 1 ms squashes the plot: the bulk (5-95%) spans {_share:.1%} of the x "
        f"axis and {_edges + 1} bar(s). Use log-spaced bins (np.geomspace over all samples) and a log x axis "
        f"(ax.set_xscale('log')).")
finally:
    plt.close(_fig)
print("plot_latency_distribution: labels, legend and outlier-proof axis look right")
### BEGIN HIDDEN TESTS
def _check_plot_latency_labels():
    import matplotlib.axes

    rng = np.random.default_rng(0)
    data = {"alpha": rng.gamma(4.0, 0.25, 200), "beta": rng.gamma(9.0, 0.5, 200)}
    fig, given_ax = plt.subplots()
    try:
        plot_latency_distribution(data, ax=given_ax)
        assert "ms" in given_ax.get_xlabel(), "the x axis must name the unit (ms)."
        assert given_ax.get_ylabel().strip(), "the y axis needs a label."
        legend = given_ax.get_legend()
        assert legend is not None, "add a legend."
        texts = " ".join(t.get_text() for t in legend.get_texts())
        assert "alpha" in texts and "beta" in texts, f"the legend must name every model, it reads {texts!r}."
    finally:
        plt.close(fig)
    # Two models, one of them with a call 150x slower than its others.
    rng = np.random.default_rng(11)
    quick, slow = rng.gamma(16.0, 0.02, 150), rng.gamma(16.0, 0.05, 149)
    fig, given_ax = plt.subplots()
    try:
        plot_latency_distribution({"quick": quick, "slow": np.append(slow, 120.0)}, ax=given_ax)
        for name, bulk in (("quick", quick), ("slow", slow)):
            edges, share = _bulk_readability(given_ax, bulk)
            assert edges >= 2 and share >= 0.05, (
                f"with one outlier 150x slower, {name!r}'s bulk spans {share:.1%} of the x axis and {edges + 1} "
                f"bar(s): use log-spaced bins and a log x axis.")
    finally:
        plt.close(fig)
    own = plot_latency_distribution({"only": np.linspace(1.0, 2.0, 50)})
    try:
        assert isinstance(own, matplotlib.axes.Axes), (
            f"without ax, draw on a new figure's Axes and return it, got {type(own).__name__}.")
    finally:
        plt.close(own.figure)


_check_plot_latency_labels()
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
# ### Step 7 — `count_parameters` (2 points)

# %% nbgrader={"grade": false, "grade_id": "count_parameters", "locked": false, "schema_version": 3, "solution": true, "task": false}
def count_parameters(model) -> int:
    """Total number of parameters: the sum of ``param.data.size`` over ``model.parameters()``."""
    ### BEGIN SOLUTION
    total = 0
    for param in model.parameters():
        total += int(param.data.size)
    return total
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_count_parameters", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
class _PublicParam:
    def __init__(self, shape, dtype=np.float32):
        self.data = np.zeros(shape, dtype=dtype)


class _PublicModel:
    """A stand-in model: parameters of the given shapes."""

    def __init__(self, shapes, dtype=np.float32):
        self._params = [_PublicParam(shape, dtype) for shape in shapes]

    def parameters(self):
        return list(self._params)


_count = count_parameters(_PublicModel([(2, 5), (5,), (5, 1)]))
_hint = {3: ": that counts parameter tensors, not their elements", 80: ": that counts bytes, not elements",
         12: ": that counts only the first dimension of each tensor"}
assert _count == 20, (
    f"parameters of shapes (2, 5), (5,), (5, 1) hold 10 + 5 + 5 = 20 numbers, got {_count!r}"
    + _hint.get(_count, "") + " (sum param.data.size).")
print("count_parameters: element count looks right")
### BEGIN HIDDEN TESTS
def _check_count_parameters_values():
    class Param:
        def __init__(self, shape):
            self.data = np.zeros(shape, dtype=np.float32)

    class FakeModel:
        def __init__(self, shapes):
            self._params = [Param(s) for s in shapes]

        def parameters(self):
            return list(self._params)

    for shapes, expected in [([(3, 4), (4,), (4, 2), (2,)], 26), ([(5,)], 5), ([], 0), ([(2, 3, 4)], 24)]:
        result = count_parameters(FakeModel(shapes))
        assert result == expected, f"parameters of shapes {shapes} hold {expected} numbers, got {result!r}."


_check_count_parameters_values()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_count_parameters__type", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numbers as _numbers

_count = count_parameters(_PublicModel([(4, 4)], dtype=np.int8))
assert isinstance(_count, _numbers.Integral), (
    f"count_parameters must return an int (a count), got {type(_count).__name__} {_count!r}: start from 0, not 0.0.")
assert _count == 16, f"a (4, 4) int8 tensor holds 16 parameters whatever their byte width, got {_count!r}."
print(f"baseline parameters: {count_parameters(baseline):,}")
### BEGIN HIDDEN TESTS
def _check_count_parameters_type():
    import numbers

    class Param:
        def __init__(self, shape, dtype):
            self.data = np.zeros(shape, dtype=dtype)

    class FakeModel:
        def __init__(self, shapes, dtype):
            self._params = [Param(s, dtype) for s in shapes]

        def parameters(self):
            return list(self._params)

    result = count_parameters(FakeModel([(10, 10)], np.int8))
    assert isinstance(result, numbers.Integral), f"return an int, got {type(result).__name__}."
    assert result == 100, f"a (10, 10) int8 tensor holds 100 parameters, got {result!r}: count elements, not bytes."
    empty = count_parameters(FakeModel([], np.float32))
    assert isinstance(empty, numbers.Integral) and empty == 0, f"a model without parameters has 0, got {empty!r}."


_check_count_parameters_type()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 8 — `model_size_mb` (2 points)
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


# %% nbgrader={"grade": true, "grade_id": "test_model_size_mb", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
print(f"1,000,000 fp32 parameters = {model_size_mb(1_000_000):.2f} MB")
for _params, _precision, _want in ((2**21, "int8", 2.0), (3 * 2**19, "fp16", 3.0), (2**18, "fp32", 1.0)):
    _got = float(model_size_mb(_params, _precision))
    _hint = (": bits instead of bytes per parameter?" if math.isclose(_got, _want * 8) else
             ": MB here is 1024² bytes, not 10⁶." if math.isclose(_got, _want * 1.048576) else
             ": multiply by the bytes per parameter, do not divide." if _got < _want else
             ": check the bytes per parameter of each precision (fp32 4, fp16 2, int8 1).")
    assert math.isclose(_got, _want), f"{_params:,} {_precision} parameters are {_want} MB, got {_got!r}{_hint}"
assert math.isclose(float(model_size_mb(2**18)), 1.0), "the default precision is fp32 (4 bytes per parameter)."
### BEGIN HIDDEN TESTS
def _check_model_size_mb_values():
    cases = [((1_000_000,), 4_000_000 / 1024**2), ((1_000_000, "fp16"), 2_000_000 / 1024**2),
             ((1_000_000, "int8"), 1_000_000 / 1024**2), ((1024 * 1024, "int8"), 1.0), ((0,), 0.0),
             ((3, "fp32"), 12 / 1024**2)]
    for args, expected in cases:
        got = float(model_size_mb(*args))
        assert math.isclose(got, expected, abs_tol=1e-15), (
            f"model_size_mb{args} must be {expected!r} MB (bytes per parameter / 1024²), got {got!r}.")


_check_model_size_mb_values()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_model_size_mb__precision", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
for _bad in ("bf16", "float32"):
    try:
        _size = model_size_mb(10, _bad)
    except ValueError:
        continue
    raise AssertionError(
        f"model_size_mb(10, {_bad!r}) returned {_size!r}: an unknown precision must raise ValueError, "
        f"never be guessed.")
print("model_size_mb: sizes and precisions look right")
### BEGIN HIDDEN TESTS
def _check_model_size_mb_precision():
    for bad in ("fp64", "int4", "FP33", ""):
        try:
            model_size_mb(10, bad)
        except ValueError:
            continue
        raise AssertionError(f"precision {bad!r} must raise ValueError.")


_check_model_size_mb_precision()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 9 — `measure_accuracy` (2 points)
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


# %% nbgrader={"grade": true, "grade_id": "test_measure_accuracy", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
class _FixedLogits:
    """A stand-in model that returns the same logits whatever the input."""

    def __init__(self, logits):
        self.logits = np.asarray(logits, dtype=float)

    def __call__(self, X):
        return self.logits[: len(X)]

    forward = __call__


_public_logits = _FixedLogits([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3], [0.4, 0.6]])
_acc = float(measure_accuracy(_public_logits, np.zeros((4, 3)), np.array([0, 1, 1, 1])))
_hint = {3.0: ": that is the number right, divide by the number of samples",
         0.25: ": that is the error rate, count the predictions that match",
         75.0: ": that is a percentage, keep the fraction"}
assert math.isclose(_acc, 0.75), f"3 right out of 4 is an accuracy of 0.75, got {_acc!r}{_hint.get(_acc, '')}."
### BEGIN HIDDEN TESTS
def _check_measure_accuracy_value():
    logits = np.array([[0.1, 0.9, 0.0], [2.0, 1.0, 0.5], [0.0, 0.2, 0.3], [5.0, 0.0, 9.0], [0.3, 0.2, 0.1]])

    class FixedLogits:
        def __call__(self, X):
            return logits[: len(X)]

        forward = __call__

    result = float(measure_accuracy(FixedLogits(), np.zeros((5, 2)), np.array([1, 0, 2, 0, 1])))
    assert math.isclose(result, 0.6), f"3 right out of 5 is 0.6, got {result!r}."
    none_right = float(measure_accuracy(FixedLogits(), np.zeros((3, 2)), np.array([0, 1, 0])))
    assert math.isclose(none_right, 0.0), f"none right must give 0.0, got {none_right!r}."


_check_measure_accuracy_value()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_measure_accuracy__classes", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# More samples than classes: the prediction is the argmax over each row (the classes, axis=1).
_wide = _FixedLogits([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.1, 0.7], [0.3, 0.6, 0.1], [0.1, 0.2, 0.9]])
_acc = float(measure_accuracy(_wide, np.zeros((5, 3)), [1, 0, 2, 1, 2]))
assert math.isclose(_acc, 1.0), (
    f"logits whose row-wise argmax matches every label (given as a list) must score 1.0, got {_acc!r}: "
    f"take np.argmax(logits, axis=1), one prediction per sample.")
_acc = measure_accuracy(baseline, X_test, y_test)
print(f"baseline test accuracy: {_acc:.2%}")
### BEGIN HIDDEN TESTS
def _check_measure_accuracy_classes():
    logits = np.array([[0.1, 0.9, 0.0], [2.0, 1.0, 0.5], [0.0, 0.2, 0.3], [5.0, 0.0, 9.0], [0.3, 0.2, 0.1]])

    class FixedLogits:
        def __call__(self, X):
            return logits[: len(X)]

        forward = __call__

    result = float(measure_accuracy(FixedLogits(), np.zeros((2, 2)), [1, 0]))
    assert math.isclose(result, 1.0), f"two right out of two (labels as a list) is 1.0, got {result!r}."
    rows = float(measure_accuracy(FixedLogits(), np.zeros((5, 2)), np.array([1, 0, 2, 2, 0])))
    assert math.isclose(rows, 1.0), f"predictions are the argmax of each row (axis=1): expected 1.0, got {rows!r}."


_check_measure_accuracy_classes()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 10 — `measure_peak_memory_mb` (2 points)
#
# `tracemalloc` records every Python (and numpy) allocation; its peak is the memory a call needed
# at its worst moment.

# %% nbgrader={"grade": false, "grade_id": "measure_peak_memory_mb", "locked": false, "schema_version": 3, "solution": true, "task": false}
def measure_peak_memory_mb(fn, x) -> float:
    """Peak memory allocated while running ``fn(x)`` once, measured with ``tracemalloc``.

    Starts tracing before the call and stops it afterwards (leaving ``tracemalloc`` off, as it
    was), calling ``fn(x)`` exactly once. Call it with ``tracemalloc`` off, its normal state: if
    something else is already tracing, the peak also counts what that trace holds and the
    trace is stopped.

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


# %% nbgrader={"grade": true, "grade_id": "test_measure_peak_memory_mb", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
def _allocate_six_mib(x):
    """Allocates 6 MiB (6 × 1024² bytes) for a moment, then frees them."""
    block = np.ones(6 * 1024 * 1024 // 8, dtype=np.float64)
    return float(block[0])


_peak = float(measure_peak_memory_mb(_allocate_six_mib, None))
_hint = (": that is bytes, divide by 1024²" if _peak > 1e5 else
         ": MB here is 1024² bytes, not 10⁶" if 6.25 < _peak < 6.4 else
         ": that is the memory still held after the call (current), use the peak" if _peak < 1 else "")
assert 5.95 <= _peak <= 6.2, f"a call that briefly allocates 6 MiB must report about 6.0 MB, got {_peak!r}{_hint}."
### BEGIN HIDDEN TESTS
def _check_measure_peak_memory_value():
    def allocate_eight_mb(x):
        block = np.ones(x, dtype=np.float64)
        return float(block[0])

    peak = float(measure_peak_memory_mb(allocate_eight_mb, 1024 * 1024))
    assert 7.95 <= peak <= 8.2, f"a call allocating 8 MiB must report about 8 MB (1024² bytes each), got {peak!r}."
    small = float(measure_peak_memory_mb(allocate_eight_mb, 1024))
    assert 0 <= small < 0.5, f"a call allocating 8 KiB must report well under 0.5 MB, got {small!r}."


_check_measure_peak_memory_value()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_measure_peak_memory_mb__tracing", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
_calls = []
measure_peak_memory_mb(_calls.append, "x")
assert len(_calls) == 1, f"fn must be called exactly once, it was called {len(_calls)} times."
assert not tracemalloc.is_tracing(), (
    "tracemalloc is still tracing after measure_peak_memory_mb: stop it (tracemalloc.stop()) "
    "once the peak is read, as the docstring says.")
print(f"baseline peak memory, batch 64: {measure_peak_memory_mb(baseline, X_test[:64]):.3f} MB")
### BEGIN HIDDEN TESTS
def _check_measure_peak_memory_tracing():
    calls = {"n": 0}

    def count(x):
        calls["n"] += 1

    if tracemalloc.is_tracing():
        tracemalloc.stop()
    measure_peak_memory_mb(count, 1)
    assert calls["n"] == 1, f"call fn exactly once, called {calls['n']} times."
    assert not tracemalloc.is_tracing(), "stop tracemalloc when done."


_check_measure_peak_memory_tracing()
### END HIDDEN TESTS

# %% [markdown]
# ## Completeness: the `BenchmarkReport`
#
# ### Step 11 — `BenchmarkReport` (4 points)
#
# One object measures everything about one model, together, and keeps the context. Call your
# functions from steps 1–10. Latency, throughput and peak memory are measured on the first
# `batch_size` rows of `X`; accuracy on all of `X` (your submission passes the test set, once).
#
# Two figures go into your submission, so they must not change much from one run to the next.
# Throughput is measured in every round too, in short **bursts** of 10 calls (about a millisecond
# at batch 1), and the report keeps the **fastest** burst: another process can only slow a burst
# down, never speed it up, and a short burst often runs untouched between two interruptions, so
# the fastest one is the model's undisturbed speed, the figure two runs agree on best. (A median
# does not do this: on a busy machine most 50-call windows are interrupted, how many changes from
# run to run, so two runs' medians can lie far apart.) The fastest burst still moves with the
# machine's own speed, which on a shared or power-managed machine can change by tens of percent
# for seconds at a time: compare two models with interleaved rounds (step 5), not with two
# reports' throughputs.
# Size is reported twice: `model_size_mb` **counts** parameters × bytes (step 8), `stored_bytes`
# is what the model's arrays really take (`model.stored_nbytes()`), which for an int8 model
# includes its float32 scales and biases.

# %% nbgrader={"grade": false, "grade_id": "benchmark_report", "locked": false, "schema_version": 3, "solution": true, "task": false}
class BenchmarkReport:
    """Everything measured about one model, with the context it was measured in.

    Attributes:
        model_name: str.
        metrics: dict, ``{}`` until ``benchmark_model`` fills it.
        system_info: dict captured at creation by ``_get_system_info()`` (which uses ``get_system_info``).
        timestamp: creation time, UTC, ISO 8601 string (``datetime.now(timezone.utc).isoformat()``).
        latencies_ms: the raw latency samples of every round, in order (np.ndarray, ms) once
            measured, else None.
        round_p50s_ms: the p50 of each round (np.ndarray, ms) once measured, else None.
    """

    def __init__(self, model_name: str = "model"):
        ### BEGIN SOLUTION
        self.model_name = model_name
        self.metrics = {}
        self.latencies_ms = None
        self.round_p50s_ms = None
        self.system_info = self._get_system_info()
        self.timestamp = datetime.now(timezone.utc).isoformat()
        ### END SOLUTION

    def _get_system_info(self) -> dict:
        ### BEGIN SOLUTION
        return get_system_info()
        ### END SOLUTION

    def benchmark_model(self, model, X, y, batch_size: int = 1, precision: str = "fp32", warmup: int = 10,
                        runs: int = 50, rounds: int = 7, pause_s: float = 0.05, bursts: int = 5,
                        burst_runs: int = 10) -> dict:
        """Measure ``model`` and fill ``self.metrics``; keep the raw samples in ``self.latencies_ms``.

        ``metrics`` gets exactly these keys (the submission schema allows no others):
        ``parameter_count`` (int), ``model_size_mb`` (``model_size_mb(parameter_count, precision)``,
        MB counted), ``stored_bytes`` (int, ``model.stored_nbytes()``: bytes of every array the
        model stores), ``precision``, ``batch_size``, ``accuracy`` (fraction, on all of X, y),
        ``latency_ms_mean``, ``latency_ms_std``, ``latency_ms_p50``, ``latency_ms_p90``,
        ``latency_ms_p95``, ``latency_ms_p99`` (from ``latency_stats`` of all samples, ms),
        ``throughput_samples_per_sec``, ``peak_memory_mb``, ``latency_ms_round_p50s`` (list of the
        round p50s, ms) and ``latency_p50_spread`` ((max - min) / median of the round p50s).
        Values are plain Python int/float/str or lists of floats (JSON-serialisable).

        Latency and throughput are measured in ``rounds`` rounds on ``x_batch = X[:batch_size]``:
        round ``r`` is ``measure_latency(model, x_batch, warmup=warmup if r == 0 else 0, runs=runs)``
        then ``bursts`` short throughput bursts, each
        ``measure_throughput(model, x_batch, warmup=0, runs=burst_runs)``, with
        ``time.sleep(pause_s)`` between rounds so they spread over time. Each round's p50 is the
        median of its samples; ``latency_ms_p50`` is the **median of the round p50s**.
        ``throughput_samples_per_sec`` is the **fastest burst** (the largest of all rounds' burst
        throughputs): interference only ever slows a burst, so the fastest is the least disturbed
        one, the figure two runs agree on best. Peak memory is
        ``measure_peak_memory_mb(model, x_batch)``: also on ``X[:batch_size]``, never all of X.

        Returns:
            ``self.metrics``.
        """
        ### BEGIN SOLUTION
        x_batch = X[:batch_size]
        parameter_count = count_parameters(model)
        round_samples, burst_throughputs = [], []
        for index in range(rounds):
            if index > 0:
                time.sleep(pause_s)
            round_samples.append(measure_latency(model, x_batch, warmup=warmup if index == 0 else 0, runs=runs))
            for _ in range(bursts):
                burst_throughputs.append(measure_throughput(model, x_batch, warmup=0, runs=burst_runs))
        self.latencies_ms = np.concatenate(round_samples)
        self.round_p50s_ms = np.array([latency_stats(samples)["p50"] for samples in round_samples], dtype=float)
        stats = latency_stats(self.latencies_ms)
        p50 = float(np.median(self.round_p50s_ms))
        self.metrics = {
            "parameter_count": int(parameter_count),
            "model_size_mb": float(model_size_mb(parameter_count, precision)),
            "stored_bytes": int(model.stored_nbytes()),
            "precision": precision,
            "batch_size": int(batch_size),
            "accuracy": float(measure_accuracy(model, X, y)),
            "latency_ms_mean": float(stats["mean"]),
            "latency_ms_std": float(stats["std"]),
            "latency_ms_p50": p50,
            "latency_ms_p90": float(stats["p90"]),
            "latency_ms_p95": float(stats["p95"]),
            "latency_ms_p99": float(stats["p99"]),
            "throughput_samples_per_sec": float(max(burst_throughputs)),
            "peak_memory_mb": float(measure_peak_memory_mb(model, x_batch)),
            "latency_ms_round_p50s": [float(v) for v in self.round_p50s_ms],
            "latency_p50_spread": float((self.round_p50s_ms.max() - self.round_p50s_ms.min()) / p50),
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


# %% nbgrader={"grade": true, "grade_id": "test_benchmark_report", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
def _hidden_report_references():
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

    def ref_peak(fn, x):
        tracemalloc.start()
        try:
            fn(x)
            return tracemalloc.get_traced_memory()[1] / 1024**2
        finally:
            tracemalloc.stop()

    return {
        "get_system_info": ref_info, "measure_latency": ref_latency, "latency_stats": ref_stats,
        "measure_throughput": ref_throughput,
        "count_parameters": lambda model: sum(p.data.size for p in model.parameters()),
        "model_size_mb": _hidden_known_size_mb,
        "measure_accuracy": lambda model, X, y: float(np.mean(np.argmax(model(X), axis=1) == np.asarray(y))),
        "measure_peak_memory_mb": ref_peak,
    }


def _hidden_known_size_mb(n, precision="fp32"):
    """model_size_mb's answers for the questions the hidden checks ask (15 fp16 parameters)."""
    return {(15, "fp16"): 2.86102294921875e-05, (15, "int8"): 1.430511474609375e-05,
            (15, "fp32"): 5.7220458984375e-05}[n, precision]


def _hidden_tiny_model():
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

        def stored_nbytes(self):
            return 137

        def forward(self, X):
            X = np.asarray(X)
            self.batch_sizes.append(len(X))
            return X @ self.w.data + self.b.data

        __call__ = forward

    return TinyModel()


def _with_references(check):
    namespace = globals()
    references = _hidden_report_references()
    saved = {name: namespace.get(name) for name in references}
    namespace.update(references)
    try:
        return check()
    finally:
        namespace.update(saved)


### END HIDDEN TESTS
# Your class runs here with public stand-ins for steps 1-10 (fixed, known answers), so a bug in
# one of those steps shows up in that step's cell, not here. Section 8 below runs it for real.
_standin_calls = {"measure_throughput": [], "measure_peak_memory_mb": []}


def _public_standins():
    """Stand-ins for steps 1-10 whose results a check can predict exactly. None restates a step's
    formula: model_size_mb knows the one answer these checks need (1000 int8 parameters) and refuses
    any other question, and the throughput and memory stand-ins record the batch they were given."""

    def info():
        return {"platform": "public-stand-in", "python_version": "3.x", "numpy_version": "n", "machine": "m",
                "processor": "p", "cpu_count": 4, "load_average": 0.0}

    def latency(fn, x, warmup=10, runs=100):
        for _ in range(warmup + runs):
            fn(x)
        return np.linspace(1.0, 3.0, runs)

    def stats(samples_ms):
        return {"n": 5, "mean": 2.5, "std": 0.5, "min": 1.0, "max": 9.0, "p50": 2.0, "p90": 3.0, "p95": 4.0,
                "p99": 8.0, "cv": 0.2}

    def throughput(fn, x_batch, warmup=3, runs=20):
        _standin_calls["measure_throughput"].append((len(x_batch), warmup, runs))
        return 1234.5

    def peak_memory(fn, x):
        _standin_calls["measure_peak_memory_mb"].append(len(x))
        return 0.5

    return {
        "get_system_info": info, "measure_latency": latency, "latency_stats": stats,
        "measure_throughput": throughput,
        "count_parameters": lambda model: 1000,
        "model_size_mb": _known_size_mb,
        "measure_accuracy": lambda model, X, y: len(X) / 100,
        "measure_peak_memory_mb": peak_memory,
    }


def _known_size_mb(n, precision="fp32"):
    """model_size_mb's answers for the questions the public checks ask: 1,000 parameters, int8 or fp32."""
    known = {(1000, "int8"): 0.00095367431640625, (1000, "fp32"): 0.003814697265625}
    assert (n, precision) in known, (
        f"model_size_mb was asked for ({n!r}, {precision!r}): pass the count from count_parameters (1000 here) and "
        f"the precision given.")
    return known[n, precision]


def _with_standins(check):
    """Run ``check()`` with the stand-ins in place of steps 1-10, then put your functions back."""
    namespace = globals()
    saved = {name: namespace.get(name) for name in _public_standins()}
    namespace.update(_public_standins())
    for calls in _standin_calls.values():
        calls.clear()
    try:
        return check()
    finally:
        namespace.update(saved)


def _public_model(X):
    """A stand-in model: zero logits for 2 classes; it says it stores 4,321 bytes."""
    return np.zeros((len(X), 2))


_public_model.stored_nbytes = lambda: 4321


def _check_public_report_creation():
    report = BenchmarkReport("public")
    assert report.model_name == "public", f"model_name must be the name given, got {report.model_name!r}."
    assert report.metrics == {}, f"metrics must be {{}} until benchmark_model runs, got {report.metrics!r}."
    assert report.latencies_ms is None, "latencies_ms must be None until benchmark_model runs."
    assert isinstance(report.system_info, dict) and report.system_info.get("platform") == "public-stand-in", (
        f"system_info must be captured at creation from get_system_info(), got {report.system_info!r}.")
    stamp = datetime.fromisoformat(report.timestamp)
    assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0, (
        f"timestamp must be UTC with its offset, e.g. datetime.now(timezone.utc).isoformat(); got {report.timestamp!r}.")
    assert BenchmarkReport().model_name == "model", "the default model_name is 'model'."


_with_standins(_check_public_report_creation)
print("BenchmarkReport: creation and context look right")
### BEGIN HIDDEN TESTS
def _check_report_creation():
    report = BenchmarkReport("tiny")
    assert report.model_name == "tiny" and report.metrics == {}, "model_name as given and metrics {} at creation."
    assert report.system_info["platform"] == "test-platform", "system_info must come from get_system_info()."
    stamp = datetime.fromisoformat(report.timestamp)
    assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0, (
        f"the timestamp must be UTC with its offset, got {report.timestamp!r}.")
    assert abs((datetime.now(timezone.utc) - stamp).total_seconds()) < 600, "the timestamp must be the creation time."
    assert BenchmarkReport().model_name == "model", "the default model_name is 'model'."


_with_references(_check_report_creation)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_benchmark_report__metrics", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
_metric_keys = {
    "parameter_count", "model_size_mb", "stored_bytes", "precision", "batch_size", "accuracy", "latency_ms_mean",
    "latency_ms_std", "latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99",
    "throughput_samples_per_sec", "peak_memory_mb", "latency_ms_round_p50s", "latency_p50_spread",
}


def _check_public_metrics():
    seen_batches = []

    def model(X):
        seen_batches.append(len(X))
        return np.zeros((len(X), 2))

    model.stored_nbytes = lambda: 4321
    report = BenchmarkReport("public")
    metrics = report.benchmark_model(model, np.zeros((50, 3)), np.zeros(50, dtype=int), batch_size=5,
                                     precision="int8", warmup=2, runs=8, rounds=3, pause_s=0.0, bursts=2,
                                     burst_runs=4)
    assert metrics is report.metrics, "benchmark_model must fill self.metrics and return it."
    assert set(metrics) == _metric_keys, (
        f"metrics must have exactly the keys of the docstring; missing {sorted(_metric_keys - set(metrics))}, "
        f"extra {sorted(set(metrics) - _metric_keys)} (the schema allows no others: keep raw samples in latencies_ms).")
    expected = {"parameter_count": 1000, "model_size_mb": 0.00095367431640625, "stored_bytes": 4321, "precision": "int8",
                "batch_size": 5, "accuracy": 0.5, "latency_ms_mean": 2.5, "latency_ms_std": 0.5, "latency_ms_p50": 2.0,
                "latency_ms_p90": 3.0, "latency_ms_p95": 4.0, "latency_ms_p99": 8.0,
                "throughput_samples_per_sec": 1234.5, "peak_memory_mb": 0.5}
    causes = {"model_size_mb": "use model_size_mb(count, precision) with the count and the precision given",
              "stored_bytes": "take model.stored_nbytes(), the bytes the model's arrays really take",
              "accuracy": "measure accuracy on all of X and y, not on the latency batch",
              "latency_ms_p50": "p50 is the median of the round p50s (each from latency_stats), not the mean"}
    for key, value in expected.items():
        got = metrics[key]
        same = got == value if isinstance(value, str) else math.isclose(float(got), value)
        assert same, (f"with the public stand-ins {key} must be {value!r}, got {got!r}: "
                      f"{causes.get(key, 'take it from the function of steps 1-10 that measures it')}.")
    assert np.shape(report.latencies_ms) == (24,), (
        f"keep the raw latency samples of every round (rounds=3 x runs=8 = 24) in self.latencies_ms, got shape "
        f"{np.shape(report.latencies_ms)}.")
    assert seen_batches.count(5) >= 26, (
        f"latency must be measured on X[:batch_size] with the given warmup + runs; the model saw batch sizes "
        f"{sorted(set(seen_batches))}.")
    measured = {name: [call if isinstance(call, int) else call[0] for call in calls]
                for name, calls in _standin_calls.items()}
    for name, batches in measured.items():
        assert batches and set(batches) == {5}, (
            f"{name} must run on X[:batch_size] (5 rows here), as the docstring says, not on all of X; it was given "
            f"batches of {sorted(set(batches)) or 'nothing (was it called?)'} rows.")
    assert len(_standin_calls["measure_throughput"]) == 6, (
        f"measure throughput in bursts=2 bursts per round (rounds=3): 6 calls, got "
        f"{len(_standin_calls['measure_throughput'])}.")
    assert isinstance(metrics["stored_bytes"], int), (
        f"stored_bytes must be an int (a count of bytes), got {type(metrics['stored_bytes']).__name__}.")
    json.dumps(metrics, allow_nan=False)


_with_standins(_check_public_metrics)


def _check_public_rounds():
    """Rounds: on top of the stand-ins, a measure_latency whose samples centre on 1, 2, then 2.2 ms,
    and a measure_throughput whose bursts give 900, 1100 | 1500, 700 | 1200, 1000 samples/s."""
    calls, sleeps, rates = [], [], []

    def latency(fn, x, warmup=10, runs=100):
        calls.append((warmup, runs))
        level = [1.0, 2.0, 2.2][min(len(calls), 3) - 1]
        return np.linspace(0.5 * level, 1.5 * level, runs)

    def throughput(fn, x_batch, warmup=3, runs=20):
        rates.append((warmup, runs))
        return [900.0, 1100.0, 1500.0, 700.0, 1200.0, 1000.0][min(len(rates), 6) - 1]

    def stats(samples_ms):
        """Knows its data (an odd number of samples, spread evenly), so it computes no summary: the
        middle sample is the p50, the largest stands for the tail."""
        s = np.sort(np.asarray(samples_ms, dtype=float))
        return {"n": s.size, "mean": float(s.mean()), "std": float(s[-1] - s[0]) / 4, "min": s[0], "max": s[-1],
                "p50": s[s.size // 2], "p90": s[-1], "p95": s[-1], "p99": s[-1], "cv": 0.25}

    namespace = globals()
    saved = {name: namespace.get(name) for name in ("measure_latency", "latency_stats", "measure_throughput")}
    namespace.update(measure_latency=latency, latency_stats=stats, measure_throughput=throughput)
    import threading

    real_sleep, caller = time.sleep, threading.get_ident()
    time.sleep = lambda seconds: sleeps.append(seconds) if threading.get_ident() == caller else real_sleep(seconds)
    try:
        report = BenchmarkReport("rounds")
        metrics = report.benchmark_model(_public_model, np.zeros((10, 3)), np.zeros(10, dtype=int),
                                         warmup=4, runs=5, rounds=3, pause_s=0.5, bursts=2, burst_runs=3)
    finally:
        namespace.update(saved)
        time.sleep = real_sleep
    assert len(calls) == 3 and all(runs == 5 for _, runs in calls), (
        f"rounds=3, runs=5: call measure_latency(model, x_batch, ..., runs=5) once per round, got calls {calls}.")
    assert calls[0][0] >= 4, f"the first round must warm up (warmup=4), its measure_latency call had warmup={calls[0][0]}."
    assert len(sleeps) >= 2 and all(math.isclose(s, 0.5) for s in sleeps), (
        f"sleep pause_s=0.5 s (time.sleep) between rounds so they spread over time; slept {sleeps}.")
    rounds = [float(v) for v in metrics["latency_ms_round_p50s"]]
    assert np.allclose(rounds, [1.0, 2.0, 2.2]), (
        f"latency_ms_round_p50s must hold each round's p50 in order, 1.0, 2.0, 2.2 ms; got {np.round(rounds, 3).tolist()}.")
    assert np.allclose(report.round_p50s_ms, [1.0, 2.0, 2.2]), "keep the round p50s in self.round_p50s_ms too."
    assert math.isclose(metrics["latency_ms_p50"], 2.0), (
        f"latency_ms_p50 must be the median of the round p50s (1.0, 2.0, 2.2 -> 2.0), got {metrics['latency_ms_p50']!r}"
        + (": that is the median of all samples pooled." if math.isclose(metrics["latency_ms_p50"], 1.5) else "."))
    assert math.isclose(metrics["latency_p50_spread"], (2.2 - 1.0) / 2.0), (
        f"latency_p50_spread = (max - min) / median of the round p50s = 0.6, got {metrics['latency_p50_spread']!r}.")
    assert rates == [(0, 3)] * 6, (
        f"measure throughput in bursts=2 bursts per round, each measure_throughput(model, x_batch, warmup=0, "
        f"runs=burst_runs): expected 6 calls with warmup=0, runs=3, got {rates}.")
    best = float(metrics["throughput_samples_per_sec"])
    assert math.isclose(best, 1500.0), (
        f"throughput_samples_per_sec is the fastest burst of all rounds (900, 1100 | 1500, 700 | 1200, 1000 -> 1500), "
        f"got {best!r}"
        + (": that is a median, which keeps the disturbed bursts; take the largest." if best in (1050.0, 1200.0) else
           ": that is one round's or one burst's figure; take the largest of all." if best in (1100.0, 1000.0, 900.0)
           else "."))
    pooled = np.concatenate([np.linspace(0.5 * v, 1.5 * v, 5) for v in (1.0, 2.0, 2.2)])
    assert np.shape(report.latencies_ms) == (15,) and math.isclose(metrics["latency_ms_mean"], pooled.mean()), (
        "keep every round's samples in self.latencies_ms and take mean, std, p90-p99 from latency_stats of all of them.")


_with_standins(_check_public_rounds)
print("BenchmarkReport: metrics and rounds look right")
### BEGIN HIDDEN TESTS
def _check_report_metrics():
    metric_keys = {
        "parameter_count", "model_size_mb", "stored_bytes", "precision", "batch_size", "accuracy", "latency_ms_mean",
        "latency_ms_std", "latency_ms_p50", "latency_ms_p90", "latency_ms_p95", "latency_ms_p99",
        "throughput_samples_per_sec", "peak_memory_mb", "latency_ms_round_p50s", "latency_p50_spread",
    }
    report = BenchmarkReport("tiny")
    model = _hidden_tiny_model()
    X = np.random.default_rng(2).normal(size=(20, 4))
    y = np.argmax(X @ model.w.data, axis=1)
    y[:5] = (y[:5] + 1) % 3
    measured_on = {"measure_throughput": [], "measure_peak_memory_mb": []}
    burst_calls = []
    namespace = globals()
    throughput, peak = namespace["measure_throughput"], namespace["measure_peak_memory_mb"]

    def recorded_throughput(fn, x_batch, warmup=3, runs=20):
        measured_on["measure_throughput"].append(len(x_batch))
        burst_calls.append((warmup, runs))
        return throughput(fn, x_batch, warmup, runs)

    def recorded_peak(fn, x):
        measured_on["measure_peak_memory_mb"].append(len(x))
        return peak(fn, x)

    namespace.update(measure_throughput=recorded_throughput, measure_peak_memory_mb=recorded_peak)
    try:
        metrics = report.benchmark_model(model, X, y, batch_size=4, precision="fp16", warmup=3, runs=25, rounds=2,
                                         pause_s=0.0)
    finally:
        namespace.update(measure_throughput=throughput, measure_peak_memory_mb=peak)
    assert metrics is report.metrics, "return self.metrics."
    assert set(metrics) == metric_keys, f"metrics keys differ from the contract: {sorted(set(metrics) ^ metric_keys)}."
    for name, batches in measured_on.items():
        assert batches and set(batches) == {4}, (
            f"{name} must run on X[:batch_size] (4 of 20 rows), got batches of {sorted(set(batches))} rows.")
    assert burst_calls == [(0, 10)] * 10, (
        f"by default each round times bursts=5 bursts of measure_throughput(model, x_batch, warmup=0, runs=10): "
        f"10 calls for rounds=2, got {burst_calls}.")
    assert metrics["parameter_count"] == 15, f"parameter_count must be 15, got {metrics['parameter_count']!r}."
    assert math.isclose(metrics["model_size_mb"], 2.86102294921875e-05), (
        f"model_size_mb must be model_size_mb(15, 'fp16'), the count and the precision given; got "
        f"{metrics['model_size_mb']!r}.")
    assert metrics["stored_bytes"] == 137 and isinstance(metrics["stored_bytes"], int), (
        f"stored_bytes must be model.stored_nbytes() (137 here), got {metrics['stored_bytes']!r}.")
    assert metrics["precision"] == "fp16" and metrics["batch_size"] == 4, "precision and batch_size as given."
    assert math.isclose(metrics["accuracy"], 0.75), f"accuracy on all of X must be 0.75, got {metrics['accuracy']!r}."
    assert 20 in model.batch_sizes, "accuracy must use all of X."
    assert model.batch_sizes.count(4) >= 53, "latency must be measured on X[:batch_size] with warmup + runs calls."
    samples = np.asarray(report.latencies_ms, dtype=float)
    assert samples.shape == (50,), "keep the raw latency samples of both rounds in self.latencies_ms."
    round_p50s = [np.median(samples[:25]), np.median(samples[25:])]
    assert np.allclose(metrics["latency_ms_round_p50s"], round_p50s), "latency_ms_round_p50s: each round's p50."
    assert math.isclose(metrics["latency_p50_spread"], abs(round_p50s[0] - round_p50s[1]) / np.median(round_p50s),
                        rel_tol=1e-9, abs_tol=1e-12), "latency_p50_spread = (max - min) / median of the round p50s."
    for key, value in (("latency_ms_p50", np.median(round_p50s)), ("latency_ms_p99", np.percentile(samples, 99)),
                       ("latency_ms_mean", samples.mean())):
        assert math.isclose(metrics[key], value, rel_tol=1e-9), (
            f"{key} must come from latency_stats of self.latencies_ms: {metrics[key]!r} vs {value!r}.")
    assert math.isclose(metrics["latency_ms_std"], samples.std(), rel_tol=1e-9, abs_tol=1e-12), (
        "latency_ms_std must be the population std of self.latencies_ms.")
    assert metrics["throughput_samples_per_sec"] > 0 and metrics["peak_memory_mb"] >= 0, (
        "throughput must be > 0 and peak memory >= 0.")


_with_references(_check_report_metrics)


def _check_report_fastest_burst():
    """Only the throughput figure: 4 rounds of 3 bursts whose one fast burst sits mid-way."""
    rates = [500.0, 650.0, 600.0, 610.0, 2000.0, 620.0, 590.0, 640.0, 630.0, 580.0, 600.0, 615.0]
    calls = []

    def throughput(fn, x_batch, warmup=3, runs=20):
        calls.append((len(x_batch), warmup, runs))
        return rates[min(len(calls), len(rates)) - 1]

    def check():
        namespace = globals()
        namespace["measure_throughput"] = throughput
        model = _hidden_tiny_model()
        X = np.random.default_rng(3).normal(size=(12, 4))
        return BenchmarkReport("bursts").benchmark_model(model, X, np.zeros(12, dtype=int), batch_size=2, warmup=1,
                                                         runs=3, rounds=4, pause_s=0.0, bursts=3, burst_runs=7)

    metrics = _with_references(check)
    assert calls == [(2, 0, 7)] * 12, (
        f"rounds=4 x bursts=3: 12 calls of measure_throughput(model, X[:batch_size], warmup=0, runs=burst_runs=7), "
        f"got {calls}.")
    assert math.isclose(metrics["throughput_samples_per_sec"], 2000.0), (
        f"throughput_samples_per_sec must be the fastest of all bursts (2000 here), got "
        f"{metrics['throughput_samples_per_sec']!r}.")


_check_report_fastest_burst()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_benchmark_report__to_dict", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
def _check_public_to_dict():
    report = BenchmarkReport("public")
    report.benchmark_model(_public_model, np.zeros((10, 3)), np.zeros(10, dtype=int),
                           batch_size=1, warmup=0, runs=3, rounds=2, pause_s=0.0)
    as_dict = report.to_dict()
    assert isinstance(as_dict, dict) and set(as_dict) == {"model_name", "timestamp", "system_info", "metrics"}, (
        f"to_dict() must return exactly model_name, timestamp, system_info and metrics, got "
        f"{sorted(as_dict) if isinstance(as_dict, dict) else type(as_dict).__name__}.")
    assert as_dict["model_name"] == "public" and as_dict["metrics"] == report.metrics, (
        "to_dict() must carry the report's own model_name and metrics.")
    assert as_dict["system_info"] == report.system_info and as_dict["timestamp"] == report.timestamp, (
        "to_dict() must carry the report's own system_info and timestamp.")
    text = json.dumps(as_dict, allow_nan=False)
    assert json.loads(text) == as_dict, (
        "to_dict() must survive a JSON round trip unchanged: plain int/float/str values, no numpy types or arrays.")


_with_standins(_check_public_to_dict)
print("BenchmarkReport: to_dict looks right")
### BEGIN HIDDEN TESTS
def _check_report_to_dict():
    report = BenchmarkReport("tiny")
    model = _hidden_tiny_model()
    X = np.random.default_rng(3).normal(size=(12, 4))
    metrics = report.benchmark_model(model, X, np.zeros(12, dtype=int), batch_size=2, precision="int8", warmup=1,
                                     runs=5, rounds=2, pause_s=0.0)
    as_dict = report.to_dict()
    assert set(as_dict) == {"model_name", "timestamp", "system_info", "metrics"}, (
        f"to_dict() keys must be model_name, timestamp, system_info, metrics; got {sorted(as_dict)}.")
    assert as_dict["model_name"] == "tiny" and as_dict["metrics"] == metrics, "to_dict() must carry name and metrics."
    assert as_dict["system_info"]["platform"] == "test-platform", "to_dict() must carry system_info."
    assert json.loads(json.dumps(as_dict, allow_nan=False)) == as_dict, "to_dict() must be JSON-serialisable."


_with_references(_check_report_to_dict)
### END HIDDEN TESTS

# %% [markdown]
# ## 8. The optimization trade-off triangle
#
# Every optimization moves a model somewhere between three corners: **accuracy**, **speed** and
# **size**. Let's benchmark the baseline and the optimized variants from earlier modules with the
# same harness — same batch size (1), same thread setting, same runs, accuracy on the validation
# set — and compare each with the baseline in interleaved rounds (step 5), the one way this
# notebook compares speeds. The triangle draws each as an outline relative to the baseline
# (outward is better on every corner).

# %% nbgrader={"grade": false, "grade_id": "benchmark_variants", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
try:
    reports, variant_comparisons = {}, {}
    for _name in tinytorch.MODEL_NAMES:
        _model = load_model(_name)
        reports[_name] = BenchmarkReport(_name)
        # 5 short rounds each (a submission takes 7): a table to read, not a claim to submit.
        reports[_name].benchmark_model(_model, X_val, y_val, batch_size=1, precision=_model.precision, rounds=5,
                                       pause_s=0.02)
        if _name != "baseline":
            # Fewer, shorter rounds than a submission's: enough to tell 2x from 1x, not 1.05x from 1x.
            variant_comparisons[_name] = compare_latency(baseline, _model, X_val[:1], rounds=9, runs=20, warmup=5,
                                                         pause_s=0.02)
    print("accuracy on the validation set. p50 and p99: each model in its own rounds, one model after another, so\n"
          "their ratios carry the machine's states: compare speeds with 'speed vs base', interleaved rounds.")
    print(viz.metrics_table({name: r.metrics for name, r in reports.items()}, speedups=variant_comparisons))
    _base = reports["baseline"].metrics
    for _name, _comparison in variant_comparisons.items():
        _m = reports[_name].metrics
        print(f"{_name} vs baseline: speed {verdicts.speed_clause(_comparison)}; "
              f"{verdicts.size_clause(_base['model_size_mb'] / _m['model_size_mb'])}; "
              f"{verdicts.floor_clause(_m['accuracy'], _base['accuracy'] - 0.01)}")
except NotImplementedError:
    reports = {}
    print("complete steps 1-11 to benchmark the variants")

# %% nbgrader={"grade": false, "grade_id": "tradeoff_triangle", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
if reports:
    viz.plot_tradeoff_triangle({name: r.metrics for name, r in reports.items()}, baseline="baseline",
                               speedups=variant_comparisons)
    plt.show()

# %% [markdown]
# Read the triangle, and check each expectation against the verdicts above. INT8 stores a byte per
# weight, so expect it 4× smaller; its speed is whatever converting the weights back costs on each
# call. Structured pruning removes whole neurons, so the matrices shrink: expect smaller and faster.
# `magnitude-90` holds 90% zeros but stores them densely, and the matrix product still multiplies
# every zero: expect the same size and, within noise, the same speed. Sparsity pays only with
# structure or a sparse format.

# %% [markdown]
# ## Your optimization
#
# The variants above were made for you. Now make your own from the baseline, with `tinytorch`'s
# tools. A **recipe** (`Recipe`) holds three choices, applied in this order:
#
# 1. `keep_ratio`: structured pruning keeps this fraction of each hidden layer's neurons (1 keeps all);
# 2. `fine_tune_epochs`: 0 to 20 epochs of training afterwards, to win back accuracy (stopped at 60 s);
# 3. `precision`: how the weights are stored, `"fp32"`, `"fp16"` or `"int8"`.
#
# `optimize_model(baseline, recipe, X_train, y_train)` applies one, fine-tuning on the training
# set. Your model must meet the **accuracy floor**, the accuracy criterion of section 10: at most
# 1 point (0.01) below the baseline. Among the recipes that meet it, smaller and faster is better.
#
# **Choose on validation, claim on test.** Every choice here — the recipes compared, the floor,
# the winner — uses the **validation** set `X_val, y_val`, images neither training nor
# fine-tuning saw. The test set is used once, after choosing, to measure the baseline and your
# model for the submission. Choose on the test set and its accuracy is no longer a measurement:
# among many recipes, one scores high partly by luck on those very images, and you picked it for
# that luck.
#
# ### Step 12 — `evaluate_recipe` (3 points)

# %% nbgrader={"grade": false, "grade_id": "evaluate_recipe", "locked": false, "schema_version": 3, "solution": true, "task": false}
def evaluate_recipe(baseline, recipe, X_train, y_train, X_val, y_val) -> dict:
    """Make the model of ``recipe`` and measure it with your harness, on the validation split.

    Builds it with ``optimize_model(baseline, recipe, X_train, y_train)`` (fine-tuning sees only
    the training split; the call returns an object with ``.model`` and ``.recipe``, the recipe as
    done), then measures the model: parameters (``count_parameters``), size (``model_size_mb`` at
    the model's ``precision``), accuracy on the **validation** split ``X_val, y_val``
    (``measure_accuracy``; never the test set: these results choose the recipe) and batch-1
    latency, the median of ``measure_latency(model, X_val[:1], warmup=10, runs=100)``. One quick
    run is enough to rank recipes; your submission compares in interleaved rounds.

    Returns:
        dict with ``recipe`` (the recipe as done), ``model``, ``parameter_count`` (int),
        ``model_size_mb`` (float, MB), ``accuracy`` (float, 0..1, validation) and ``latency_ms_p50``
        (float, ms).
    """
    ### BEGIN SOLUTION
    optimized = optimize_model(baseline, recipe, X_train, y_train)
    model = optimized.model
    parameter_count = count_parameters(model)
    return {
        "recipe": optimized.recipe,
        "model": model,
        "parameter_count": int(parameter_count),
        "model_size_mb": float(model_size_mb(parameter_count, model.precision)),
        "accuracy": float(measure_accuracy(model, X_val, y_val)),
        "latency_ms_p50": float(np.median(measure_latency(model, X_val[:1], warmup=10, runs=100))),
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_evaluate_recipe", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Your function runs here with stand-ins for steps 3 and 7-9 (fixed, known answers), so a bug in one of
# those steps shows up in that step's cell, not here, and no real timing is involved. The recipes skip
# fine-tuning, so every check is quick and exact.
class _RecipeStandIns:
    """Inside a ``with`` block: count_parameters gives 1000, model_size_mb knows the answers for 1000 int8 or
    fp16 parameters (and refuses other questions), measure_accuracy gives len(X) / 1000, measure_latency gives
    99 samples of 5 ms and one of 1000 ms; timed calls are recorded."""

    def __init__(self):
        self.timed = []

    def measure_latency(self, fn, x, warmup=10, runs=100):
        self.timed.append((fn, np.asarray(x).shape, warmup, runs))
        return np.concatenate([np.full(runs - 1, 5.0), [1000.0]])

    def standins(self):
        return {"measure_latency": self.measure_latency, "count_parameters": lambda model: 1000,
                "model_size_mb": self.model_size_mb, "measure_accuracy": lambda model, X, y: len(X) / 1000}

    @staticmethod
    def model_size_mb(n, precision="fp32"):
        known = {(1000, "int8"): 0.00095367431640625, (1000, "fp16"): 0.0019073486328125}
        assert (n, precision) in known, (
            f"model_size_mb was asked for ({n!r}, {precision!r}): pass the count from count_parameters (1000 here) "
            f"and the model's own precision.")
        return known[n, precision]

    def __enter__(self):
        namespace = globals()
        self._saved = {name: namespace.get(name) for name in self.standins()}
        namespace.update(self.standins())
        return self

    def __exit__(self, *exc):
        globals().update(self._saved)


_recipe = Recipe(keep_ratio=0.5, fine_tune_epochs=0, precision="int8")
with _RecipeStandIns() as _standins:
    _row = evaluate_recipe(baseline, _recipe, X_train, y_train, X_val, y_val)
_keys = {"recipe", "model", "parameter_count", "model_size_mb", "accuracy", "latency_ms_p50"}
assert isinstance(_row, dict) and _keys <= set(_row), (
    f"return a dict with the keys {sorted(_keys)}, got "
    f"{sorted(_row) if isinstance(_row, dict) else type(_row).__name__}.")
_widths = [layer.out_features for layer in _row["model"].linears[:-1]]
assert _widths == [512, 512] and _row["model"].precision == "int8", (
    f"keep_ratio=0.5 and precision='int8' make an int8 model with 512 + 512 hidden neurons, got "
    f"{_widths} at {getattr(_row['model'], 'precision', '?')}: build the model with optimize_model(baseline, recipe, ...).")
assert _row["recipe"] == _recipe, f"return the recipe as done (optimized.recipe), got {_row['recipe']!r}."
# A stand-in optimize_model that reports less done than asked (as when fine-tuning stops at its time budget).
_asked, _done = Recipe(0.5, 2, "int8"), Recipe(0.5, 1, "int8")
_real_optimize = optimize_model


def _optimize_reporting_less(*args, **kwargs):
    """The model of ``_recipe`` (no fine-tuning, quick), reported as one epoch done of the two asked."""
    import dataclasses

    return dataclasses.replace(_real_optimize(baseline, _recipe, X_train, y_train), recipe=_done)


optimize_model = _optimize_reporting_less
try:
    with _RecipeStandIns():
        _as_done = evaluate_recipe(baseline, _asked, X_train, y_train, X_val, y_val)["recipe"]
finally:
    optimize_model = _real_optimize
assert _as_done == _done, (
    f"optimize_model reported {_done} done for {_asked} asked, and evaluate_recipe returned {_as_done}: return the "
    f"recipe as done (optimize_model(...).recipe), not the one you passed in.")
print("evaluate_recipe: the model and the result's shape look right")
### BEGIN HIDDEN TESTS
def _check_evaluate_recipe_model():
    import dataclasses

    recipe = Recipe(keep_ratio=0.25, fine_tune_epochs=0, precision="fp16")
    real_optimize = globals()["optimize_model"]
    done = Recipe(keep_ratio=0.25, fine_tune_epochs=3, precision="fp16")

    def optimize_as_done(*args, **kwargs):
        return dataclasses.replace(real_optimize(*args, **kwargs), recipe=done)

    globals()["optimize_model"] = optimize_as_done
    try:
        with _RecipeStandIns():
            row = evaluate_recipe(baseline, recipe, X_train, y_train, X_val, y_val)
    finally:
        globals()["optimize_model"] = real_optimize
    assert row["recipe"] == done, f"the recipe is the one optimize_model reports as done, got {row['recipe']!r}."
    widths = [layer.out_features for layer in row["model"].linears[:-1]]
    assert widths == [256, 256] and row["model"].precision == "fp16", f"keep 0.25 at fp16: got {widths}."


_check_evaluate_recipe_model()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_evaluate_recipe__measures", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
with _RecipeStandIns() as _standins:
    _row = evaluate_recipe(baseline, _recipe, X_train, y_train, X_val, y_val)
assert int(_row["parameter_count"]) == 1000, (
    f"parameter_count comes from count_parameters(model) (the stand-in says 1000), got {_row['parameter_count']!r}.")
assert math.isclose(float(_row["model_size_mb"]), 0.00095367431640625), (
    f"1000 parameters of an int8 model take 0.000954 MB (1 byte each), got {_row['model_size_mb']!r}: pass the "
    f"model's precision to model_size_mb.")
_sets = {len(X_val): "the validation set", len(X_test): "the test set", len(X_train): "the training set"}
assert math.isclose(float(_row["accuracy"]), len(X_val) / 1000), (
    f"accuracy is measure_accuracy on the validation set X_val, y_val, the one evaluate_recipe is given (the "
    f"stand-in gives len(X) / 1000 = {len(X_val) / 1000}), got {_row['accuracy']!r}"
    + (f": that is {_sets[round(float(_row['accuracy']) * 1000)]}." if round(float(_row["accuracy"]) * 1000) in _sets
       else "."))
_timed = [_call[1:] for _call in _standins.timed]
assert _timed == [((1, 64), 10, 100)], (
    f"time the optimized model once with measure_latency(model, X_val[:1], warmup=10, runs=100); the calls were "
    f"{_timed} (input shape, warmup, runs).")
_timed_model = _standins.timed[0][0]
assert _timed_model is _row["model"], (
    f"time the model evaluate_recipe returns (its 'model'), it timed "
    f"{'the baseline' if _timed_model is baseline else 'a ' + type(_timed_model).__name__}: pass the optimized model "
    f"to measure_latency.")
assert math.isclose(float(_row["latency_ms_p50"]), 5.0), (
    f"latency_ms_p50 is the median of the samples (99 of 5 ms and one 1000 ms outlier: 5.0, their mean is 14.95), got "
    f"{_row['latency_ms_p50']!r}.")
print("evaluate_recipe: parameters, size, accuracy and latency look right")
### BEGIN HIDDEN TESTS
def _check_evaluate_recipe_measures():
    def exact_latency(fn, x, warmup=10, runs=100):
        timed.append((fn, np.asarray(x), warmup, runs))
        return np.concatenate([[0.5, 0.5, 0.75], np.full(runs - 3, 2.0)])

    def counted_accuracy(model, X, y):
        scored.append(np.asarray(X))
        return float(np.mean(np.argmax(model(X), axis=1) == np.asarray(y)))

    timed, scored = [], []
    # A held-out split of its own (the last 150 validation images): results on any other set differ.
    X_held, y_held = X_val[-150:], y_val[-150:]
    exact = {"measure_latency": exact_latency,
             "count_parameters": lambda model: sum(p.data.size for p in model.parameters()),
             "model_size_mb": _hidden_known_size_mb_12,
             "measure_accuracy": counted_accuracy}
    namespace = globals()
    saved = {name: namespace.get(name) for name in exact}
    namespace.update(exact)
    try:
        row = evaluate_recipe(baseline, Recipe(keep_ratio=0.25, fine_tune_epochs=0, precision="fp16"),
                              X_train, y_train, X_held, y_held)
    finally:
        namespace.update(saved)
    model = row["model"]
    params = 64 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10
    assert len(timed) == 1 and timed[0][0] is model and timed[0][2:] == (10, 100), f"timed: {timed[0][2:]}."
    assert np.array_equal(timed[0][1], X_held[:1]), "time the model on the first row of the split it was given."
    assert int(row["parameter_count"]) == params, f"keep 0.25: {params} parameters, got {row['parameter_count']!r}."
    assert math.isclose(float(row["model_size_mb"]), 0.16212844848632812), (
        "model_size_mb(count, the model's precision): 85,002 fp16 parameters.")
    assert len(scored) == 1 and np.array_equal(scored[0], X_held), (
        "accuracy on the validation split evaluate_recipe is given, never the test set: the recipe is chosen on it.")
    accuracy = float(np.mean(np.argmax(model(X_held), axis=1) == y_held))
    assert math.isclose(float(row["accuracy"]), accuracy), "accuracy on the validation split given."
    assert math.isclose(float(row["latency_ms_p50"]), 2.0), f"the median latency, got {row['latency_ms_p50']!r}."
    for key, kind in (("parameter_count", int), ("model_size_mb", float), ("accuracy", float), ("latency_ms_p50", float)):
        assert isinstance(row[key], (kind, np.integer if kind is int else np.floating)), f"{key} must be a number."


def _hidden_known_size_mb_12(n, precision="fp32"):
    """model_size_mb's answers for the question the hidden check asks (85,002 fp16 parameters)."""
    return {(85002, "fp16"): 0.16212844848632812, (85002, "fp32"): 0.32425689697265625}[n, precision]


_check_evaluate_recipe_measures()
### END HIDDEN TESTS

# %% [markdown]
# ### Choose on validation, claim on test once
#
# A sweep tries many recipes and keeps the best. Score them on the test set and the best one's
# test accuracy is the maximum of many noisy scores: optimistic by construction, and no longer a
# fair estimate of how it does on new data. So the sweep, the floor and your choice use the
# **validation** set (carved from the training data, never trained on by the recipes), and the
# **test** set is measured once, for the baseline and the model you submit.

# %% [markdown]
# ### See it: a small sweep
#
# Seven recipes: three keep ratios, with and without fine-tuning, stored in int8, and one fp16
# model. Fine-tuning here lasts a fraction of a second per model. Each recipe's model is then
# compared with the baseline in a few interleaved rounds: enough to rank, not to submit.

# %% nbgrader={"grade": false, "grade_id": "recipe_sweep", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
SWEEP = [Recipe(keep, epochs, "int8") for keep in (0.5, 0.25, 0.125) for epochs in (0, 4)]
SWEEP.append(Recipe(0.5, 0, "fp16"))
try:
    # Validation only: the sweep, the floor and the choice never see the test set.
    baseline_accuracy = float(measure_accuracy(baseline, X_val, y_val))
    sweep_results = [evaluate_recipe(baseline, _r, X_train, y_train, X_val, y_val) for _r in SWEEP]
    for _result in sweep_results:
        _result["comparison"] = compare_latency(baseline, _result["model"], X_val[:1], rounds=9, runs=20, warmup=5,
                                                pause_s=0.02)
    # Rank by the interleaved speedups, not by quick p50s taken one recipe after another: every
    # recipe's latency becomes the same baseline p50 divided by its speedup.
    _baseline_p50 = float(np.median([_r["comparison"]["p50_a_ms"] for _r in sweep_results]))
    for _result in sweep_results:
        _result["latency_ms_p50"] = _baseline_p50 / float(_result["comparison"]["speedup"])
except NotImplementedError:
    sweep_results = []
    print("complete steps 3, 5, 7-9 and 12 to run the sweep")

# %% [markdown]
# ### Step 13 — `recipes_meeting_floor` (2 points)

# %% nbgrader={"grade": false, "grade_id": "recipes_meeting_floor", "locked": false, "schema_version": 3, "solution": true, "task": false}
def recipes_meeting_floor(results, baseline_accuracy: float, tolerance: float = 0.01) -> list:
    """The ``evaluate_recipe`` results that meet the accuracy floor, best first.

    ``baseline_accuracy`` is the baseline's accuracy on the same split as the results' (the
    validation split: the floor and the choice never use the test set). A result meets the floor
    when ``accuracy >= baseline_accuracy - tolerance``. The results that meet it are returned
    smallest ``model_size_mb`` first; among equal sizes, lowest ``latency_ms_p50`` first. Returns a
    new list (``[]`` when none meets it); ``results`` is not modified.
    """
    ### BEGIN SOLUTION
    meeting = [result for result in results if result["accuracy"] >= baseline_accuracy - tolerance]
    return sorted(meeting, key=lambda result: (result["model_size_mb"], result["latency_ms_p50"]))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_recipes_meeting_floor", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
def _result(name, accuracy, size_mb, p50_ms):
    return {"name": name, "accuracy": accuracy, "model_size_mb": size_mb, "latency_ms_p50": p50_ms}


_results = [_result("a", 0.75, 1.0, 0.5), _result("b", 0.5, 0.5, 0.5), _result("c", 0.25, 0.25, 0.5),
            _result("d", 0.625, 0.75, 0.5)]
_met = recipes_meeting_floor(_results, baseline_accuracy=0.75, tolerance=0.25)
assert isinstance(_met, list), f"return a list, got {type(_met).__name__}."
_names = sorted(_r["name"] for _r in _met)
_hints = {("a", "d"): ": the floor itself counts (>=).", ("a",): ": the floor is baseline_accuracy - tolerance."}
assert _names == ["a", "b", "d"], (
    f"with baseline 0.75 and tolerance 0.25 the floor is 0.5: 'a' (0.75), 'd' (0.625) and 'b' (0.5, exactly on "
    f"the floor) meet it, 'c' (0.25) does not; got {_names}" + _hints.get(tuple(_names), "."))
_met = recipes_meeting_floor(_results, baseline_accuracy=0.9)
assert _met == [], f"with the default tolerance 0.01 the floor is 0.89: nothing meets it, got {_met!r}."
print("recipes_meeting_floor: the floor looks right")
### BEGIN HIDDEN TESTS
def _check_recipes_meeting_floor_filter():
    results = [_result("x", 0.985, 1.0, 1.0), _result("y", 0.9675, 0.5, 1.0), _result("z", 0.9775, 0.25, 2.0)]
    met = recipes_meeting_floor(results, baseline_accuracy=0.99, tolerance=0.02)
    assert sorted(r["name"] for r in met) == ["x", "z"], f"floor 0.97 with tolerance 0.02: x, z; got {met!r}."
    met = recipes_meeting_floor(results, baseline_accuracy=0.99)
    assert [r["name"] for r in met] == ["x"], f"default tolerance 0.01: floor 0.98, only x; got {met!r}."
    assert recipes_meeting_floor([], 0.9) == [], "no results: []."


_check_recipes_meeting_floor_filter()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_recipes_meeting_floor__order", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
_results = [_result("big", 0.9, 2.0, 0.1), _result("small-slow", 0.9, 0.5, 0.3), _result("small-fast", 0.9, 0.5, 0.2)]
_before = [dict(_r) for _r in _results]
_order = [_r["name"] for _r in recipes_meeting_floor(_results, baseline_accuracy=0.9)]
assert _order == ["small-fast", "small-slow", "big"], (
    f"smallest model_size_mb first, and among equal sizes the lowest latency_ms_p50 first: expected "
    f"['small-fast', 'small-slow', 'big'], got {_order}.")
assert _results == _before and [_r["name"] for _r in _results] == ["big", "small-slow", "small-fast"], (
    "recipes_meeting_floor changed the list it was given (sorted it in place?): return a new list.")
print("recipes_meeting_floor: the order looks right")
### BEGIN HIDDEN TESTS
def _check_recipes_meeting_floor_order():
    results = [_result("m", 0.95, 1.0, 0.3), _result("s", 0.95, 0.25, 0.9), _result("l", 0.95, 4.0, 0.1),
               _result("s2", 0.95, 0.25, 0.4)]
    order = [r["name"] for r in recipes_meeting_floor(results, baseline_accuracy=0.95)]
    assert order == ["s2", "s", "m", "l"], f"by size, then latency: got {order}."
    assert [r["name"] for r in results] == ["m", "s", "l", "s2"], "the input list keeps its order."


_check_recipes_meeting_floor_order()
### END HIDDEN TESTS

# %% [markdown]
# ### See it: which choices meet the floor
#
# The sweep as a table, best first among those that meet the floor, and on the triangle of
# section 8 next to the baseline.

# %% nbgrader={"grade": false, "grade_id": "sweep_table", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
def _recipe_label(recipe):
    return f"keep {recipe.keep_ratio:g}, {recipe.fine_tune_epochs} ep, {recipe.precision}"


try:
    _meeting = recipes_meeting_floor(sweep_results, baseline_accuracy) if sweep_results else []
    _ranked = _meeting + [_r for _r in sweep_results if all(_r is not _m for _m in _meeting)]
    print(f"validation accuracy floor: {baseline_accuracy - 0.01:.4f} (baseline {baseline_accuracy:.4f} - 0.01); "
          f"best first among those meeting it")
    for _r in _ranked:
        print(f"{_recipe_label(_r['recipe']):>22}: {_r['parameter_count']:>8,} params, {_r['model_size_mb']:.3f} MB | "
              f"validation {verdicts.floor_clause(_r['accuracy'], baseline_accuracy - 0.01)} | "
              f"speed vs baseline {verdicts.speed_clause(_r['comparison'])}")
    if _meeting:
        _base_metrics = {"accuracy": baseline_accuracy, "model_size_mb": model_size_mb(count_parameters(baseline))}
        viz.plot_tradeoff_triangle({"baseline": _base_metrics, **{_recipe_label(_r["recipe"]): _r for _r in _meeting}},
                                   baseline="baseline",
                                   speedups={_recipe_label(_r["recipe"]): _r["comparison"] for _r in _meeting})
        plt.show()
except NotImplementedError:
    print("complete step 13 to see which recipes meet the floor")

# %% [markdown]
# Read the sweep against these expectations: pruning alone costs accuracy that a few epochs of
# fine-tuning can win back; int8 stores a byte per weight; fp16 halves the bytes, but every call
# converts its weights back to float32, which at batch 1 can cost more than the smaller matrices
# save. The smallest model need not be one that meets the floor. The verdicts above say what
# happened on this machine.

# %% [markdown]
# ### Step 14 — `attach_artifact` (3 points)
#
# A claim about a model nobody can load is a claim nobody can check. Save your model next to
# `submission.json` and reference it from the submission — file name, SHA-256 of its bytes, and the
# recipe — so that the course can load it and measure it again. Name the techniques with the
# schema's ids (`Recipe.technique_ids()`), not free text: a grader can then check them.

# %% nbgrader={"grade": false, "grade_id": "attach_artifact", "locked": false, "schema_version": 3, "solution": true, "task": false}
def attach_artifact(submission: dict, model, recipe, folder=".") -> dict:
    """Save ``model`` as ``model.npz`` in ``folder`` and return the submission that references it.

    Writes the file with ``save_model_artifact(model, Path(folder) / "model.npz")`` and returns a
    new submission (``submission`` is not modified) whose ``"optimized"`` part has:

    - ``"artifact"``: ``{"file": "model.npz", "sha256": file_sha256(<the file>), "recipe": recipe.to_dict()}``;
    - ``"techniques"``: ``[{"id": technique_id} for technique_id in recipe.technique_ids()]``.

    Raises:
        ValueError: if ``recipe.technique_ids()`` is empty (the recipe changes nothing, there is
            no optimization to claim); nothing is written then.
    """
    ### BEGIN SOLUTION
    technique_ids = recipe.technique_ids()
    if not technique_ids:
        raise ValueError(f"{recipe!r} changes nothing: prune, fine-tune or store at a lower precision")
    path = save_model_artifact(model, Path(folder) / "model.npz")
    attached = json.loads(json.dumps(submission))
    attached["optimized"]["artifact"] = {"file": path.name, "sha256": file_sha256(path), "recipe": recipe.to_dict()}
    attached["optimized"]["techniques"] = [{"id": technique_id} for technique_id in technique_ids]
    return attached
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_attach_artifact", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
_small = Recipe(keep_ratio=0.125, fine_tune_epochs=0, precision="int8")
_small_model = optimize_model(baseline, _small, X_train, y_train).model
_plain = {"optimized": {"model_name": "mine", "techniques": ["pruning"]}, "improvements": {"speedup": 2.0}}
with tempfile.TemporaryDirectory() as _folder:
    _attached = attach_artifact(_plain, _small_model, _small, _folder)
    _files = sorted(os.listdir(_folder))
    assert _files == ["model.npz"], f"save exactly one file, model.npz, in the folder given; it holds {_files}."
    _loaded = tinytorch.load_model_artifact(Path(_folder) / "model.npz")
    assert np.array_equal(_loaded(X_test[:5]), _small_model(X_test[:5])), (
        "model.npz must hold the model given: loaded back, it predicts differently.")
assert isinstance(_attached, dict) and "artifact" in _attached.get("optimized", {}), (
    "return the submission with an 'artifact' entry in its 'optimized' part.")
assert set(_attached["optimized"]["artifact"]) == {"file", "sha256", "recipe"}, (
    f"the artifact has exactly the keys file, sha256 and recipe, got {sorted(_attached['optimized']['artifact'])}.")
print("attach_artifact: the file and the reference look right")
### BEGIN HIDDEN TESTS
def _check_attach_artifact_file():
    recipe = Recipe(keep_ratio=0.0625, fine_tune_epochs=0, precision="fp16")
    model = optimize_model(baseline, recipe, X_train, y_train).model
    with tempfile.TemporaryDirectory() as folder:
        attach_artifact({"optimized": {"techniques": ["x"]}}, model, recipe, Path(folder))
        loaded = tinytorch.load_model_artifact(Path(folder) / "model.npz")
        assert loaded.precision == "fp16" and np.array_equal(loaded(X_test[:3]), model(X_test[:3])), "fp16 saved."


_check_attach_artifact_file()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_attach_artifact__reference", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
with tempfile.TemporaryDirectory() as _folder:
    _attached = attach_artifact(_plain, _small_model, _small, _folder)
    _digest = hashlib.sha256((Path(_folder) / "model.npz").read_bytes()).hexdigest()
_artifact = _attached["optimized"]["artifact"]
assert _artifact["file"] == "model.npz", (
    f"'file' is the file's name in the submission's folder, 'model.npz', not a path; got {_artifact['file']!r}.")
assert _artifact["sha256"] == _digest, (
    f"'sha256' is the SHA-256 of the file's bytes (file_sha256), {_digest[:12]}..., got {str(_artifact['sha256'])[:12]!r}...")
assert _artifact["recipe"] == {"keep_ratio": 0.125, "fine_tune_epochs": 0, "precision": "int8"}, (
    f"'recipe' is recipe.to_dict(), got {_artifact['recipe']!r}.")
print("attach_artifact: name, hash and recipe look right")
### BEGIN HIDDEN TESTS
def _check_attach_artifact_reference():
    recipe = Recipe(keep_ratio=0.25, fine_tune_epochs=0, precision="fp32")
    model = optimize_model(baseline, recipe, X_train, y_train).model
    with tempfile.TemporaryDirectory() as folder:
        attached = attach_artifact({"optimized": {}}, model, recipe, Path(folder))
        digest = hashlib.sha256((Path(folder) / "model.npz").read_bytes()).hexdigest()
    assert attached["optimized"]["artifact"] == {"file": "model.npz", "sha256": digest, "recipe": recipe.to_dict()}, (
        f"artifact: {attached['optimized']['artifact']!r}.")
    json.dumps(attached, allow_nan=False)


_check_attach_artifact_reference()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_attach_artifact__techniques", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
_given = {"optimized": {"model_name": "mine", "techniques": ["pruning"]}, "improvements": {"speedup": 2.0}}
_before = json.loads(json.dumps(_given))
with tempfile.TemporaryDirectory() as _folder:
    _attached = attach_artifact(_given, _small_model, _small, _folder)
assert _given == _before, (
    f"attach_artifact changed the submission it was given, now {_given!r}: work on a deep copy (a shallow copy "
    f"shares the nested 'optimized' dict).")
assert _attached["optimized"]["techniques"] == [{"id": "structured-pruning"}, {"id": "int8-quantization"}], (
    f"techniques are the recipe's technique ids as {{'id': ...}} objects, in order, got "
    f"{_attached['optimized']['techniques']!r}.")
with tempfile.TemporaryDirectory() as _folder:
    try:
        attach_artifact(_plain, baseline, Recipe(), _folder)
    except ValueError:
        assert not os.listdir(_folder), "when the recipe changes nothing, raise before writing anything."
    else:
        raise AssertionError("Recipe() prunes nothing, trains nothing and keeps fp32: raise ValueError, there is no "
                             "optimization to claim.")
print("attach_artifact: techniques and refusals look right")
### BEGIN HIDDEN TESTS
def _check_attach_artifact_techniques():
    recipe = Recipe(keep_ratio=0.5, fine_tune_epochs=1, precision="fp16")
    model = optimize_model(baseline, Recipe(keep_ratio=0.5, precision="fp16"), X_train, y_train).model
    submission = {"optimized": {"techniques": ["a", "b"], "metrics": {"accuracy": 0.9}}}
    with tempfile.TemporaryDirectory() as folder:
        attached = attach_artifact(submission, model, recipe, folder)
    assert submission["optimized"]["techniques"] == ["a", "b"] and "artifact" not in submission["optimized"], (
        "the input is unchanged.")
    assert attached["optimized"]["techniques"] == [{"id": t} for t in recipe.technique_ids()], "ids in order."
    assert attached["optimized"]["metrics"] == {"accuracy": 0.9}, "the rest of the submission is kept."
    with tempfile.TemporaryDirectory() as folder:
        try:
            attach_artifact(submission, baseline, Recipe(keep_ratio=1.0, fine_tune_epochs=0, precision="fp32"), folder)
        except ValueError:
            assert not os.listdir(folder), "nothing written."
        else:
            raise AssertionError("a recipe without techniques must raise ValueError.")


_check_attach_artifact_techniques()
### END HIDDEN TESTS

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
# The two p50s come from two reports measured one after the other, so their ratio carries the
# machine's states (step 5). When you pass the `compare_latency` result of the same two models,
# the submission reports **its** speedup instead — the median of the per-round ratios — with the
# ratios themselves and their 95% interval (step 5a), and says which method it used:
# `speedup_method` is `"interleaved_rounds"` or `"p50_ratio"`.
#
# ### Step 15 — `generate_submission` (3 points)

# %% nbgrader={"grade": false, "grade_id": "generate_submission", "locked": false, "schema_version": 3, "solution": true, "task": false}
def generate_submission(baseline, optimized, techniques, submitter: str = "anonymous", comparison=None) -> dict:
    """Package a baseline and an optimized benchmark into a submission.

    Args:
        baseline, optimized: each a ``BenchmarkReport`` (anything with ``to_dict()``) or a dict
            shaped like ``BenchmarkReport.to_dict()``. Not modified.
        techniques: names of the optimizations applied (e.g. ``["structured pruning", "int8 quantization"]``).
        submitter: who submits.
        comparison: ``None``, or the ``compare_latency(baseline model, optimized model, x)`` result
            of the same two models (keys ``speedup``, ``ratios`` and ``interval`` are used). Not modified.

    Returns:
        ``{"schema_version": SCHEMA_VERSION, "submitter", "timestamp" (UTC ISO 8601 now),
        "system_info" (the baseline's), "baseline" (its dict), "optimized" (its dict plus
        ``"techniques"`` as a list), "improvements": {...}}`` where improvements hold
        ``"compression"`` = baseline model_size_mb / optimized model_size_mb and
        ``"accuracy_delta"`` = optimized accuracy − baseline accuracy (floats), and the speedup:

        - without ``comparison``: ``"speedup"`` = baseline p50 / optimized p50 (float) and
          ``"speedup_method": "p50_ratio"``;
        - with ``comparison``: ``"speedup"`` = ``comparison["speedup"]`` (float),
          ``"speedup_method": "interleaved_rounds"``, ``"speedup_rounds"`` = the per-round
          ratios ``comparison["ratios"]`` as a list of floats, and ``"speedup_interval"`` = a copy of
          ``comparison["interval"]`` (the dict of step 5a).

    Raises:
        ValueError: for a ``comparison`` without an interval (``interval`` None: fewer than 5 rounds).
    """
    ### BEGIN SOLUTION
    def as_dict(report):
        return json.loads(json.dumps(report if isinstance(report, dict) else report.to_dict()))

    base, opt = as_dict(baseline), as_dict(optimized)
    opt["techniques"] = list(techniques)
    base_metrics, opt_metrics = base["metrics"], opt["metrics"]
    improvements = {
        "speedup": float(base_metrics["latency_ms_p50"] / opt_metrics["latency_ms_p50"]),
        "speedup_method": "p50_ratio",
        "compression": float(base_metrics["model_size_mb"] / opt_metrics["model_size_mb"]),
        "accuracy_delta": float(opt_metrics["accuracy"] - base_metrics["accuracy"]),
    }
    if comparison is not None:
        if comparison.get("interval") is None:
            raise ValueError("the comparison has no interval: compare the models in at least 5 rounds")
        improvements.update(speedup=float(comparison["speedup"]), speedup_method="interleaved_rounds",
                            speedup_rounds=[float(ratio) for ratio in comparison["ratios"]],
                            speedup_interval=json.loads(json.dumps(comparison["interval"])))
    return {
        "schema_version": SCHEMA_VERSION,
        "submitter": submitter,
        "timestamp": datetime.now(timezone.utc).isoformat(),
        "system_info": base["system_info"],
        "baseline": base,
        "optimized": opt,
        "improvements": improvements,
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_generate_submission", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
def _hidden_submission_reports():
    info = {"platform": "Linux-test", "python_version": "3.11.7", "numpy_version": "2.0.0", "machine": "x86_64",
            "processor": "", "cpu_count": 2, "load_average": 0.25}

    def report(name, p50, size, acc):
        metrics = {"parameter_count": 1000, "model_size_mb": size, "precision": "fp32", "batch_size": 1,
                   "accuracy": acc, "latency_ms_mean": p50 * 0.8, "latency_ms_std": 0.01, "latency_ms_p50": p50,
                   "latency_ms_p90": p50 * 1.1, "latency_ms_p95": p50 * 1.2, "latency_ms_p99": p50 * 1.5,
                   "throughput_samples_per_sec": 1000.0 / p50, "peak_memory_mb": 0.1}
        return {"model_name": name, "timestamp": "2026-01-01T00:00:00+00:00", "system_info": dict(info),
                "metrics": metrics}

    return info, report("baseline", 0.5, 4.0, 0.975), report("optimized", 0.1, 0.25, 0.97)


### END HIDDEN TESTS
_demo_info = {"platform": "demo", "python_version": "3.11", "numpy_version": "2", "machine": "x", "processor": "",
              "cpu_count": 2, "load_average": 0.1}


def _demo_report(name, p50, mean, size, accuracy):
    return {"model_name": name, "timestamp": "2026-01-01T00:00:00+00:00", "system_info": dict(_demo_info),
            "metrics": {"latency_ms_p50": p50, "latency_ms_mean": mean, "model_size_mb": size, "accuracy": accuracy}}


_demo_base, _demo_opt = _demo_report("a", 3.0, 4.0, 4.0, 0.90), _demo_report("b", 1.5, 1.0, 0.5, 0.88)
_before = copy.deepcopy((_demo_base, _demo_opt))
_demo = generate_submission(_demo_base, _demo_opt, ("pruning", "int8"), submitter="demo")
assert (_demo_base, _demo_opt) == _before, (
    "generate_submission changed the reports it was given (e.g. added 'techniques' to the caller's dict): copy them first.")
_top = {"schema_version", "submitter", "timestamp", "system_info", "baseline", "optimized", "improvements"}
assert isinstance(_demo, dict) and set(_demo) == _top, (
    f"the submission must have exactly the keys {sorted(_top)}, got "
    f"{sorted(_demo) if isinstance(_demo, dict) else type(_demo).__name__}.")
assert _demo["schema_version"] == SCHEMA_VERSION and _demo["submitter"] == "demo", (
    "schema_version must be SCHEMA_VERSION and submitter the name given.")
assert _demo["baseline"] == _demo_base and _demo["system_info"] == _demo_info, (
    "baseline must be the baseline report's dict, and system_info the baseline's system_info.")
assert _demo["optimized"] == dict(_demo_opt, techniques=["pruning", "int8"]), (
    f"optimized must be the optimized report's dict plus 'techniques' as a list, got techniques "
    f"{_demo['optimized'].get('techniques')!r}.")
_stamp = datetime.fromisoformat(_demo["timestamp"])
assert _stamp.utcoffset() is not None and _stamp.utcoffset().total_seconds() == 0, (
    f"the submission timestamp must be UTC with its offset, got {_demo['timestamp']!r}.")
print("generate_submission: structure looks right")
### BEGIN HIDDEN TESTS
def _check_generate_submission_structure():
    import copy

    info, base, opt = _hidden_submission_reports()
    base_copy, opt_copy = copy.deepcopy(base), copy.deepcopy(opt)
    sub = generate_submission(base, opt, ("pruning", "int8"), submitter="ada")
    assert base == base_copy and opt == opt_copy, "generate_submission must not modify its inputs."
    keys = {"schema_version", "submitter", "timestamp", "system_info", "baseline", "optimized", "improvements"}
    assert set(sub) == keys, f"submission keys differ from the contract: {sorted(set(sub) ^ keys)}."
    assert sub["schema_version"] == SCHEMA_VERSION and sub["submitter"] == "ada", "schema_version and submitter."
    stamp = datetime.fromisoformat(sub["timestamp"])
    assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0, "the timestamp must be UTC."
    assert sub["system_info"] == info and sub["baseline"] == base, "system_info and baseline from the baseline."
    assert sub["optimized"] == dict(opt, techniques=["pruning", "int8"]), (
        "optimized = its report dict plus a techniques list.")
    assert generate_submission(base, opt, ["x"])["submitter"] == "anonymous", "the default submitter is 'anonymous'."

    class HasToDict:
        def __init__(self, d):
            self._d = d

        def to_dict(self):
            return copy.deepcopy(self._d)

    via_objects = generate_submission(HasToDict(base), HasToDict(opt), ["pruning"])
    assert via_objects["baseline"] == base, "reports given as objects must be read through to_dict()."
    json.dumps(sub, allow_nan=False)


_check_generate_submission_structure()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_generate_submission__improvements", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# Baseline p50 3.0 ms, optimized p50 1.5 ms (their means differ: 4.0 and 1.0 ms);
# sizes 4.0 and 0.5 MB; accuracy 0.90 then 0.88.
_imp = generate_submission(_demo_base, _demo_opt, ["pruning"])["improvements"]
assert isinstance(_imp, dict) and set(_imp) == {"speedup", "speedup_method", "compression", "accuracy_delta"}, (
    f"without a comparison, improvements must hold speedup, speedup_method, compression and accuracy_delta, "
    f"got {_imp!r}.")
assert _imp["speedup_method"] == "p50_ratio", (
    f"without a comparison the speedup is the ratio of the p50s: speedup_method 'p50_ratio', got {_imp['speedup_method']!r}.")
assert all(isinstance(_imp[_k], float) for _k in ("speedup", "compression", "accuracy_delta")), (
    f"improvements must be floats, got {[type(_v).__name__ for _v in _imp.values()]}.")
_speedup = _imp["speedup"]
assert math.isclose(_speedup, 2.0), (
    f"speedup must be baseline p50 / optimized p50 = 3.0 / 1.5 = 2.0, got {_speedup!r}"
    + (": inverted, > 1 must mean faster." if math.isclose(_speedup, 0.5) else
       ": that ratio uses the means; the contract compares p50 latencies." if math.isclose(_speedup, 4.0) else "."))
assert math.isclose(_imp["compression"], 8.0), (
    f"compression must be baseline MB / optimized MB = 4.0 / 0.5 = 8.0, got {_imp['compression']!r}.")
assert math.isclose(_imp["accuracy_delta"], 0.88 - 0.90), (
    f"accuracy_delta must be optimized - baseline = 0.88 - 0.90 = -0.02, got {_imp['accuracy_delta']!r}"
    + (": the sign is flipped." if math.isclose(_imp["accuracy_delta"], 0.02) else "."))
# With the interleaved comparison of the same two models, its speedup is reported, with its rounds and interval.
_demo_interval = {"low": 2.2, "high": 2.8, "confidence": 0.95, "resamples": 2000, "seed": 0,
                  "method": "percentile_bootstrap_median"}
_comparison = {"rounds": 5, "p50_a_ms": [3.0, 3.3, 2.9, 3.0, 3.1], "p50_b_ms": [1.2, 1.5, 1.0, 1.0, 1.1],
               "ratios": [2.5, 2.2, 2.9, 3.0, 2.8], "speedup": 2.8, "spread": 0.29, "interval": _demo_interval}
_comparison_before = copy.deepcopy(_comparison)
_imp = generate_submission(_demo_base, _demo_opt, ["pruning"], comparison=_comparison)["improvements"]
assert _comparison == _comparison_before, "generate_submission must not modify the comparison it was given."
assert _imp.get("speedup_method") == "interleaved_rounds" and math.isclose(_imp.get("speedup", 0.0), 2.8), (
    f"with a comparison, speedup = comparison['speedup'] = 2.8 and speedup_method = 'interleaved_rounds'; got "
    f"speedup {_imp.get('speedup')!r}, method {_imp.get('speedup_method')!r}.")
assert _imp.get("speedup_rounds") == [2.5, 2.2, 2.9, 3.0, 2.8] and all(isinstance(_r, float) for _r in _imp["speedup_rounds"]), (
    f"with a comparison, speedup_rounds = comparison['ratios'] as a list of floats, got {_imp.get('speedup_rounds')!r}.")
assert _imp.get("speedup_interval") == _demo_interval, (
    f"with a comparison, speedup_interval = comparison['interval'] as it is, got {_imp.get('speedup_interval')!r}.")
assert math.isclose(_imp["compression"], 8.0), "compression comes from the reports, with or without a comparison."
print(_imp)
### BEGIN HIDDEN TESTS
def _check_generate_submission_improvements():
    _, base, opt = _hidden_submission_reports()
    imp = generate_submission(base, opt, ["pruning"])["improvements"]
    assert set(imp) == {"speedup", "speedup_method", "compression", "accuracy_delta"}, f"improvements keys: {sorted(imp)}."
    assert imp["speedup_method"] == "p50_ratio", "without a comparison, speedup_method is 'p50_ratio'."
    assert math.isclose(imp["speedup"], 5.0), f"speedup must be 0.5 / 0.1 = 5.0 (p50 latencies), got {imp['speedup']!r}."
    assert math.isclose(imp["compression"], 16.0), f"compression must be 4.0 / 0.25 = 16.0, got {imp['compression']!r}."
    assert math.isclose(imp["accuracy_delta"], 0.97 - 0.975, abs_tol=1e-12), (
        f"accuracy_delta must be optimized - baseline = -0.005, got {imp['accuracy_delta']!r}.")
    assert all(isinstance(imp[k], float) for k in ("speedup", "compression", "accuracy_delta")), (
        "improvements must be floats.")
    interval = {"low": 3.9, "high": 4.4, "confidence": 0.9, "resamples": 500, "seed": 7,
                "method": "percentile_bootstrap_median"}
    comparison = {"rounds": 5, "p50_a_ms": [0.5] * 5, "p50_b_ms": [0.1] * 5, "ratios": np.array([4.0, 4.4, 4.2, 3.9, 4.1]),
                  "speedup": 4.1, "spread": 0.12, "interval": interval}
    imp = generate_submission(base, opt, ["pruning"], comparison=comparison)["improvements"]
    assert imp["speedup_method"] == "interleaved_rounds" and math.isclose(imp["speedup"], 4.1), (
        f"with a comparison, its speedup (4.1) and speedup_method 'interleaved_rounds'; got {imp!r}.")
    assert imp["speedup_rounds"] == [4.0, 4.4, 4.2, 3.9, 4.1], f"speedup_rounds = the comparison's ratios, got {imp!r}."
    assert all(type(r) is float for r in imp["speedup_rounds"]), "speedup_rounds must be plain floats (JSON)."
    assert imp["speedup_interval"] == interval and imp["speedup_interval"] is not interval, (
        f"speedup_interval = a copy of the comparison's interval, got {imp.get('speedup_interval')!r}.")
    few = dict(comparison, rounds=3, ratios=[4.0, 4.2, 4.1], interval=None)
    try:
        generate_submission(base, opt, ["pruning"], comparison=few)
    except ValueError:
        pass
    else:
        raise AssertionError("a comparison without an interval (3 rounds) must raise ValueError.")
    assert math.isclose(imp["compression"], 16.0), "compression comes from the reports."
    json.dumps(imp, allow_nan=False)


_check_generate_submission_improvements()
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
# ### Step 16 — `check_success` (2 points)

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


# %% nbgrader={"grade": true, "grade_id": "test_check_success", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
def _improvements(speedup, compression, delta):
    return {"improvements": {"speedup": speedup, "compression": compression, "accuracy_delta": delta}}


for _case, _tolerance, _key, _want, _why in (
    (_improvements(3.0, 10.0, -0.002), 0.01, "speedup", True, "3x faster passes"),
    (_improvements(1.0, 10.0, 0.0), 0.01, "speedup", False, "speedup exactly 1.0 is not faster (> 1.0, strictly)"),
    (_improvements(3.0, 1.0, 0.0), 0.01, "compression", False, "compression exactly 1.0 is not smaller (> 1.0)"),
    (_improvements(3.0, 10.0, -0.03), 0.01, "accuracy", False, "a 3-point accuracy loss fails: compare |delta|"),
    (_improvements(3.0, 10.0, 0.03), 0.01, "accuracy", False,
     "a 3-point gain fails too: accuracy must stay within the tolerance either way (|delta|), a gain that large "
     "means the two models were not measured alike"),
    (_improvements(3.0, 10.0, -0.02), 0.02, "accuracy", True, "|delta| equal to the tolerance passes (<=)"),
):
    _got = check_success(_case, accuracy_tolerance=_tolerance)
    assert isinstance(_got, dict) and _key in _got, f"check_success must return a dict with {_key!r}, got {_got!r}."
    assert isinstance(_got[_key], (bool, np.bool_)), f"{_key} must be a boolean, got {type(_got[_key]).__name__}."
    assert bool(_got[_key]) is _want, (
        f"{_key} must be {_want} for {_case['improvements']} with tolerance {_tolerance}: {_why}; got {_got[_key]!r}.")
print("check_success: each criterion looks right")
### BEGIN HIDDEN TESTS
def _check_check_success_criteria():
    def sub(speedup, compression, delta):
        return {"improvements": {"speedup": speedup, "compression": compression, "accuracy_delta": delta}}

    cases = [
        (sub(2.0, 4.0, 0.0), 0.01, (True, True, True)),
        (sub(1.0, 4.0, 0.0), 0.01, (False, True, True)),
        (sub(2.0, 1.0, 0.0), 0.01, (True, False, True)),
        (sub(2.0, 4.0, -0.01), 0.01, (True, True, True)),
        (sub(2.0, 4.0, -0.0101), 0.01, (True, True, False)),
        (sub(2.0, 4.0, 0.02), 0.01, (True, True, False)),
        (sub(2.0, 4.0, -0.02), 0.05, (True, True, True)),
        (sub(0.5, 0.5, 0.5), 0.01, (False, False, False)),
    ]
    for submission, tolerance, expected in cases:
        result = check_success(submission, accuracy_tolerance=tolerance)
        got = tuple(result[k] for k in ("speedup", "compression", "accuracy"))
        assert all(isinstance(v, (bool, np.bool_)) for v in got), "the criteria must be booleans."
        assert tuple(bool(v) for v in got) == expected, (
            f"for {submission['improvements']} with tolerance {tolerance} the criteria must be {expected}, got {got}.")
    assert bool(check_success(sub(2.0, 4.0, 0.009))["accuracy"]) is True, "the default tolerance is 0.01."


_check_check_success_criteria()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_check_success__all", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
for _case, _want in ((_improvements(3.0, 10.0, 0.0), True), (_improvements(3.0, 0.9, 0.0), False),
                     (_improvements(0.9, 0.9, 0.5), False)):
    _got = check_success(_case)
    assert isinstance(_got, dict) and "all" in _got, f"check_success must also return 'all', got {_got!r}."
    assert bool(_got["all"]) is _want and isinstance(_got["all"], (bool, np.bool_)), (
        f"'all' must be {_want} for {_case['improvements']}: True only when every criterion holds; got {_got['all']!r}.")
print("check_success: 'all' looks right")
### BEGIN HIDDEN TESTS
def _check_check_success_all():
    def sub(speedup, compression, delta):
        return {"improvements": {"speedup": speedup, "compression": compression, "accuracy_delta": delta}}

    for submission, expected in ((sub(2.0, 4.0, 0.0), True), (sub(1.0, 4.0, 0.0), False),
                                 (sub(2.0, 4.0, 0.02), False), (sub(0.5, 0.5, 0.5), False)):
        result = check_success(submission)
        assert "all" in result, "check_success must return 'all'."
        assert bool(result["all"]) is expected, (
            f"'all' must be {expected} for {submission['improvements']}, got {result['all']!r}.")


_check_check_success_all()
### END HIDDEN TESTS

# %% [markdown]
# ## 11. Enforcing standards via types
#
# *Strict types enable automated CI/CD pipelines and leaderboards.* A submission is only useful if a
# machine can check it. `tinytorch` ships a JSON Schema (draft 2020-12) for submissions; print it
# to see every field, its type and its unit.

# %% nbgrader={"grade": false, "grade_id": "show_schema", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
SUBMISSION_SCHEMA = load_submission_schema()
print(SUBMISSION_SCHEMA["$id"])
print(json.dumps(SUBMISSION_SCHEMA["$defs"]["metrics"]["properties"]["latency_ms_p50"], indent=2))

# %% [markdown]
# The schema checks *types*; numbers can still disagree with each other. A validator also checks
# **consistency**.
#
# ### Step 17 — `validate_submission` (4 points)

# %% nbgrader={"grade": false, "grade_id": "validate_submission", "locked": false, "schema_version": 3, "solution": true, "task": false}
def validate_submission(submission) -> list:
    """List every problem with a submission; ``[]`` means valid.

    Checks, one readable message (str) per problem found:

    - the JSON Schema ``load_submission_schema()`` (one message per schema error);
    - for ``baseline`` and ``optimized`` metrics: every latency finite and > 0;
      ``latency_ms_p50 <= p90 <= p95 <= p99``; ``model_size_mb`` finite and > 0;
      ``accuracy`` in [0, 1];
    - ``improvements`` equal, within a relative tolerance of 1e-6, to their recomputation:
      compression from model sizes, accuracy delta from accuracies, and speedup by its
      ``speedup_method`` — the median of ``speedup_rounds`` for ``"interleaved_rounds"``,
      baseline p50 / optimized p50 otherwise.

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
            if improvements.get("speedup_method") == "interleaved_rounds":
                rounds = improvements.get("speedup_rounds")
                expected["speedup"] = float(np.median(rounds)) if isinstance(rounds, list) and rounds else math.nan
        except (KeyError, TypeError, ZeroDivisionError):
            expected = {}
        for key, value in expected.items():
            claimed = improvements.get(key)
            if not isinstance(claimed, (int, float)) or not math.isclose(claimed, value, rel_tol=1e-6, abs_tol=1e-12):
                problems.append(f"improvements.{key} is {claimed!r} but the metrics give {value!r}")
    return problems
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_validate_submission", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
def _hidden_good_submission():
    info = {"platform": "Linux-test", "python_version": "3.11.7", "numpy_version": "2.0.0", "machine": "x86_64",
            "processor": "", "cpu_count": 2, "load_average": 0.25}

    def metrics(p50, size, acc, precision="fp32", params=1000):
        return {"parameter_count": params, "model_size_mb": size, "precision": precision, "batch_size": 1,
                "accuracy": acc, "latency_ms_mean": p50 * 1.05, "latency_ms_std": 0.01, "latency_ms_p50": p50,
                "latency_ms_p90": p50 * 1.1, "latency_ms_p95": p50 * 1.2, "latency_ms_p99": p50 * 1.5,
                "throughput_samples_per_sec": 1000.0 / p50, "peak_memory_mb": 0.1}

    return {
        "schema_version": SCHEMA_VERSION, "submitter": "ada", "timestamp": "2026-05-01T12:00:00+00:00",
        "system_info": dict(info),
        "baseline": {"model_name": "baseline", "timestamp": "2026-05-01T11:59:00+00:00", "system_info": dict(info),
                     "metrics": metrics(0.5, 4.0, 0.975)},
        "optimized": {"model_name": "pruned-int8", "timestamp": "2026-05-01T11:59:30+00:00",
                      "system_info": dict(info), "metrics": metrics(0.1, 0.25, 0.97, "int8"),
                      "techniques": ["structured pruning", "int8 quantization"]},
        "improvements": {"speedup": 5.0, "compression": 16.0, "accuracy_delta": 0.97 - 0.975},
    }


def _hidden_broken(edit):
    submission = _hidden_good_submission()
    edit(submission)
    return submission


def _hidden_expect_problems(label, submission):
    problems = validate_submission(submission)
    assert isinstance(problems, list) and problems, f"{label}: validate_submission found no problem, got {problems!r}."
    assert all(isinstance(p, str) and p.strip() for p in problems), f"{label}: every problem must be a readable str."


### END HIDDEN TESTS
def _public_submission():
    """A valid submission (public numbers): 2.5x faster, 4x smaller, same accuracy."""
    info = {"platform": "public", "python_version": "3.11", "numpy_version": "2", "machine": "x", "processor": "",
            "cpu_count": 4, "load_average": None}

    def report(name, p50, size):
        metrics = {"parameter_count": 2000, "model_size_mb": size, "precision": "fp32", "batch_size": 1,
                   "accuracy": 0.95, "latency_ms_mean": p50 * 1.1, "latency_ms_std": 0.05, "latency_ms_p50": p50,
                   "latency_ms_p90": p50 * 1.2, "latency_ms_p95": p50 * 1.3, "latency_ms_p99": p50 * 2.0,
                   "throughput_samples_per_sec": 1000.0 / p50, "peak_memory_mb": 0.2}
        return {"model_name": name, "timestamp": "2026-02-02T10:00:00+00:00", "system_info": dict(info),
                "metrics": metrics}

    return {"schema_version": SCHEMA_VERSION, "submitter": "public", "timestamp": "2026-02-02T10:01:00+00:00",
            "system_info": dict(info), "baseline": report("baseline", 2.0, 4.0),
            "optimized": dict(report("optimized", 0.8, 1.0), techniques=["int8 quantization"]),
            "improvements": {"speedup": 2.5, "compression": 4.0, "accuracy_delta": 0.0}}


def _edited(edit):
    """The public submission with one edit applied."""
    submission = _public_submission()
    edit(submission)
    return submission


_valid = _public_submission()
_problems = validate_submission(_valid)
assert _problems == [], (
    f"a valid submission must give [], got {_problems!r}: check the direction of each recomputed ratio "
    f"(speedup = baseline p50 / optimized p50).")
assert _valid == _public_submission(), "validate_submission must not modify the submission it checks."
for _not_a_submission in (None, "submission.json"):
    try:
        _problems = validate_submission(_not_a_submission)
    except Exception as _error:
        raise AssertionError(
            f"validate_submission({_not_a_submission!r}) raised {type(_error).__name__}: {_error}; it must never "
            f"raise, report the problem instead (check isinstance(submission, dict) first).") from None
    assert isinstance(_problems, list) and _problems, (
        f"validate_submission({_not_a_submission!r}) must report a problem, got {_problems!r}.")
print("validate_submission: a valid submission passes, non-submissions are reported")
### BEGIN HIDDEN TESTS
def _check_validate_submission_valid():
    good = _hidden_good_submission()
    result = validate_submission(good)
    assert result == [], f"a valid submission must give [], got {result!r}."
    assert good == _hidden_good_submission(), "validate_submission must not modify the submission."
    for not_a_submission in (None, [], "submission.json", 42):
        try:
            problems = validate_submission(not_a_submission)
        except Exception as error:
            raise AssertionError(f"validate_submission({not_a_submission!r}) raised {error!r}; report it.") from None
        assert isinstance(problems, list) and problems, f"{not_a_submission!r} must be reported as a problem."


_check_validate_submission_valid()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_validate_submission__schema", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
for _label, _submission in (
    ("a missing 'improvements'", _edited(lambda s: s.pop("improvements"))),
    ("an unknown top-level key", _edited(lambda s: s.update(notes="hi"))),
    ("a compression given as text", _edited(lambda s: s["improvements"].update(compression="4x"))),
):
    _problems = validate_submission(_submission)
    assert isinstance(_problems, list) and _problems, (
        f"a submission with {_label} must be reported (the JSON Schema forbids it), got {_problems!r}: "
        f"check it against load_submission_schema().")
    assert all(isinstance(_p, str) and _p.strip() for _p in _problems), (
        f"each problem must be a readable message (str), got {_problems!r}.")
print("validate_submission: schema errors are reported")
### BEGIN HIDDEN TESTS
def _check_validate_submission_schema():
    _hidden_expect_problems("missing field", _hidden_broken(lambda s: s.pop("improvements")))
    _hidden_expect_problems("extra field", _hidden_broken(lambda s: s.update(bonus=1)))
    _hidden_expect_problems("wrong type", _hidden_broken(lambda s: s["improvements"].update(speedup="fast")))
    _hidden_expect_problems("techniques as text", _hidden_broken(lambda s: s["optimized"].update(techniques="int8")))


_check_validate_submission_schema()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_validate_submission__consistency", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# Schema-valid, but the numbers disagree with each other: a validator must catch each one.
for _label, _submission in (
    ("a speedup of 3.0 where the p50 latencies give 2.5", _edited(lambda s: s["improvements"].update(speedup=3.0))),
    ("a compression of 2.0 where the sizes give 4.0", _edited(lambda s: s["improvements"].update(compression=2.0))),
    ("a p95 below the p90", _edited(lambda s: s["optimized"]["metrics"].update(latency_ms_p95=0.9))),
    ("an accuracy of 95 (a percentage)", _edited(lambda s: s["baseline"]["metrics"].update(accuracy=95.0))),
):
    _problems = validate_submission(_submission)
    assert isinstance(_problems, list) and _problems, (
        f"a submission with {_label} must be reported, got {_problems!r}: the schema checks types only; "
        f"also recompute the improvements and check percentile order and ranges.")
_two = _edited(lambda s: (s["improvements"].update(speedup=3.0), s["baseline"]["metrics"].update(accuracy=95.0)))
assert len(validate_submission(_two)) >= 2, "report every problem found, not only the first."
# Measured in interleaved rounds, the speedup is the median of its per-round ratios (here 2.4, not 2.0 / 0.8).
_interleaved_fields = {"speedup_method": "interleaved_rounds", "speedup_rounds": [2.3, 2.4, 2.6, 2.35, 2.5],
           "speedup_interval": {"low": 2.3, "high": 2.6, "confidence": 0.95, "resamples": 2000, "seed": 0,
                                "method": "percentile_bootstrap_median"}}
_interleaved = _edited(lambda s: s["improvements"].update(_interleaved_fields, speedup=2.4))
_problems = validate_submission(_interleaved)
assert _problems == [], (
    f"a submission whose speedup is the median of its speedup_rounds (speedup_method 'interleaved_rounds') is "
    f"valid, got {_problems!r}: recompute the speedup the way speedup_method says.")
_problems = validate_submission(_edited(lambda s: s["improvements"].update(_interleaved_fields, speedup=2.5)))
assert isinstance(_problems, list) and _problems, (
    f"an interleaved speedup of 2.5 whose rounds give a median of 2.4 must be reported, got {_problems!r}.")
print("validate_submission: inconsistent numbers are reported")
### BEGIN HIDDEN TESTS
def _check_validate_submission_consistency():
    cases = {
        "inconsistent speedup": lambda s: s["improvements"].update(speedup=5.5),
        "inconsistent compression": lambda s: s["improvements"].update(compression=8.0),
        "inconsistent accuracy delta": lambda s: s["improvements"].update(accuracy_delta=0.0),
        "percentile order": lambda s: s["baseline"]["metrics"].update(latency_ms_p90=0.9, latency_ms_p95=0.8),
        "negative latency": lambda s: s["optimized"]["metrics"].update(latency_ms_mean=-0.1),
        "accuracy range": lambda s: s["baseline"]["metrics"].update(accuracy=97.5),
        "nan latency": lambda s: s["optimized"]["metrics"].update(latency_ms_p99=float("nan")),
        "zero size": lambda s: s["optimized"]["metrics"].update(model_size_mb=0.0),
    }
    for label, edit in cases.items():
        _hidden_expect_problems(label, _hidden_broken(edit))
    two = _hidden_broken(lambda s: (s["baseline"]["metrics"].update(accuracy=1.5), s.update(extra=True)))
    assert len(validate_submission(two)) >= 2, "report every problem, not only the first."
    rounds = {"speedup_method": "interleaved_rounds", "speedup_rounds": [4.6, 5.2, 4.8, 4.9, 4.85],
              "speedup_interval": {"low": 4.6, "high": 5.2, "confidence": 0.95, "resamples": 2000, "seed": 0,
                                   "method": "percentile_bootstrap_median"}}
    interleaved = _hidden_broken(lambda s: s["improvements"].update(rounds, speedup=4.85))
    assert validate_submission(interleaved) == [], "an interleaved speedup equal to the median of its rounds is valid."
    _hidden_expect_problems("interleaved speedup is not the median of its rounds",
                            _hidden_broken(lambda s: s["improvements"].update(rounds, speedup=5.0)))
    p50_ratio = _hidden_broken(lambda s: s["improvements"].update(speedup_method="p50_ratio"))
    assert validate_submission(p50_ratio) == [], "speedup_method 'p50_ratio' with speedup = p50 ratio is valid."


_check_validate_submission_consistency()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 18 — `save_submission` (2 points)
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


# %% nbgrader={"grade": true, "grade_id": "test_save_submission", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# save_submission runs here with a public stand-in validator (it accepts a dict whose "ok" is
# True), so a bug in validate_submission costs only step 17. "Your submission" below uses both.
def _with_stand_in_validator(check):
    """Run ``check(folder)`` in a temporary folder with the stand-in validator, then restore yours."""
    namespace = globals()
    saved = namespace.get("validate_submission")
    namespace["validate_submission"] = lambda submission: (
        [] if submission.get("ok") else ["improvements.speedup is 3.0 but the metrics give 2.5",
                                          "baseline.accuracy must be in [0, 1], got 95.0"])
    try:
        with tempfile.TemporaryDirectory() as folder:
            return check(Path(folder))
    finally:
        namespace["validate_submission"] = saved


def _check_public_save(folder):
    content = {"ok": True, "numbers": [0.5, 3], "name": "public"}
    target = folder / "public.json"
    returned = save_submission(content, target)
    assert returned is not None and Path(returned) == target, f"return the path written ({target}), got {returned!r}."
    assert target.exists(), "a valid submission must be written to the path given."
    assert json.loads(target.read_text(encoding="utf-8")) == content, "the file must hold the submission as JSON."


_with_stand_in_validator(_check_public_save)
print("save_submission: a valid submission is written")
### BEGIN HIDDEN TESTS
def _check_save_submission_writes():
    seen = []

    def fake_validate(submission):
        seen.append(submission)
        return [] if submission.get("ok") else ["improvements.speedup is wrong"]

    namespace = globals()
    saved = namespace.get("validate_submission")
    namespace["validate_submission"] = fake_validate
    try:
        with tempfile.TemporaryDirectory() as folder:
            good = {"ok": True, "values": [1.5, 2, "x"], "nested": {"a": None}}
            target = Path(folder) / "submission.json"
            returned = save_submission(good, str(target))
            assert returned is not None and Path(returned) == target, f"return the path written, got {returned!r}."
            assert json.loads(target.read_text(encoding="utf-8")) == good, "the file must hold the submission."
            assert seen, "save_submission must call validate_submission."
    finally:
        namespace["validate_submission"] = saved


_check_save_submission_writes()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_save_submission__refuses", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
def _check_public_refusal(folder):
    refused = folder / "refused.json"
    try:
        save_submission({"ok": False}, refused)
    except ValueError as error:
        assert "speedup" in str(error) and "accuracy" in str(error), (
            f"the ValueError must list the problems the validator found, it says {str(error)!r}.")
    except Exception as error:
        raise AssertionError(
            f"an invalid submission must raise ValueError, got {type(error).__name__}: {error}") from None
    else:
        raise AssertionError("save_submission wrote an invalid submission: call validate_submission and raise "
                             "ValueError when it finds problems.")
    assert not refused.exists(), "nothing may be written for an invalid submission."
    nan_path = folder / "nan.json"
    try:
        save_submission({"ok": True, "p50": float("nan")}, nan_path)
    except ValueError:
        pass
    if nan_path.exists():
        text = nan_path.read_text(encoding="utf-8")
        assert "NaN" not in text, "NaN was written: JSON has no NaN or Infinity; use json.dumps(..., allow_nan=False)."
        try:
            json.loads(text)
        except ValueError:
            raise AssertionError(
                "a half-written file was left behind when the JSON could not be encoded: build the text first "
                "(json.dumps), then write it.") from None


_with_stand_in_validator(_check_public_refusal)
print("save_submission: invalid submissions are refused")
### BEGIN HIDDEN TESTS
def _check_save_submission_refuses():
    namespace = globals()
    saved = namespace.get("validate_submission")
    namespace["validate_submission"] = lambda s: [] if s.get("ok") else ["improvements.speedup is wrong",
                                                                         "baseline.accuracy out of range"]
    try:
        with tempfile.TemporaryDirectory() as folder:
            refused = Path(folder) / "refused.json"
            try:
                save_submission({"ok": False}, refused)
            except ValueError as error:
                assert "speedup" in str(error) and "accuracy" in str(error), "the error must list the problems."
            else:
                raise AssertionError("an invalid submission must raise ValueError.")
            assert not refused.exists(), "nothing may be written for an invalid submission."
            nan_path = Path(folder) / "nan.json"
            try:
                save_submission({"ok": True, "bad": float("inf")}, nan_path)
            except ValueError:
                pass
            if nan_path.exists():
                def reject(constant):
                    raise AssertionError(f"{constant} written: JSON has no NaN or Infinity.")

                try:
                    json.loads(nan_path.read_text(encoding="utf-8"), parse_constant=reject)
                except json.JSONDecodeError:
                    raise AssertionError("a half-written file was left behind for an unencodable submission.") from None
    finally:
        namespace["validate_submission"] = saved


_check_save_submission_refuses()
### END HIDDEN TESTS

# %% [markdown]
# ## Your submission
#
# Choose your recipe: the sweep shows which choices meet the floor, and any recipe is yours to try.
# The cell after it builds your model, benchmarks it and the baseline with the same settings on the
# **test** set (the one time it is used), compares the two in interleaved rounds for the speedup,
# saves `model.npz` with the claim, then checks, validates and saves `submission.json`. Set
# `SUBMITTER` to your name or student id first: the course ranks one submission per submitter, so
# the placeholder would name nobody.

# %%
MY_RECIPE = Recipe(keep_ratio=0.5, fine_tune_epochs=4, precision="int8")
SUBMITTER = "your-name"

# %% nbgrader={"grade": false, "grade_id": "make_submission", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
if SUBMITTER.strip().casefold() in ("", SUBMITTER_PLACEHOLDER):
    print(f"SUBMITTER is still {SUBMITTER!r}: set it to your name or student id in the cell above, then run this "
          f"cell again. Nothing was saved.")
else:
    try:
        mine = optimize_model(baseline, MY_RECIPE, X_train, y_train)
        my_model_name = f"keep{mine.recipe.keep_ratio:g}-ft{mine.recipe.fine_tune_epochs}-{mine.recipe.precision}"
        baseline_report = BenchmarkReport("baseline")
        baseline_report.benchmark_model(baseline, X_test, y_test, batch_size=1, precision=baseline.precision)
        optimized_report = BenchmarkReport(my_model_name)
        optimized_report.benchmark_model(mine.model, X_test, y_test, batch_size=1, precision=mine.model.precision)
        comparison = compare_latency(baseline, mine.model, x_one)
        submission = generate_submission(baseline_report, optimized_report, mine.recipe.technique_ids(),
                                         submitter=SUBMITTER, comparison=comparison)
        submission = attach_artifact(submission, mine.model, mine.recipe, ".")
        print(json.dumps({_k: _v for _k, _v in submission["improvements"].items() if _k != "speedup_rounds"}, indent=2))
        # Counted (step 8) against stored (the arrays as saved): int8 also stores float32 scales and biases.
        _base_m, _mine_m = baseline_report.metrics, optimized_report.metrics
        print(f"size counted: {_base_m['model_size_mb']:.3f} -> {_mine_m['model_size_mb']:.3f} MB "
              f"({_base_m['model_size_mb'] / _mine_m['model_size_mb']:.2f}x); stored: {_base_m['stored_bytes']:,} -> "
              f"{_mine_m['stored_bytes']:,} bytes ({_base_m['stored_bytes'] / _mine_m['stored_bytes']:.2f}x, what the "
              f"leaderboard ranks)")
        print(f"test accuracy, measured once: baseline {_base_m['accuracy']:.4f}, {my_model_name} {_mine_m['accuracy']:.4f}")
        print(f"{my_model_name} vs baseline: speed {verdicts.speed_clause(comparison)}; "
              f"{verdicts.size_clause(submission['improvements']['compression'])}; "
              f"test {verdicts.floor_clause(_mine_m['accuracy'], _base_m['accuracy'] - 0.01)}")
        print("artifact:", submission["optimized"]["artifact"])
        print("success criteria:", check_success(submission))
        print("problems:", validate_submission(submission) or "none")
        print("saved to", save_submission(submission, "submission.json"))
    except NotImplementedError:
        print("complete the steps above to generate your submission")

# %% nbgrader={"grade": false, "grade_id": "latency_plot_final", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
try:
    plot_latency_distribution({"baseline": baseline_report.latencies_ms, my_model_name: optimized_report.latencies_ms})
    plt.show()
except (NotImplementedError, NameError, AttributeError, TypeError):
    print("complete the steps above to plot your submission's latencies")

# %% [markdown]
# ### The engineering reality, filled in
#
# Back to section 1: every blank now comes from your report, not from memory — and the claim
# itself comes with its 95% interval.

# %% nbgrader={"grade": false, "grade_id": "reality_card", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
try:
    print(viz.engineering_reality_card(optimized_report.to_dict(), optimized_report.latencies_ms, comparison))
except (NotImplementedError, NameError, AttributeError, KeyError, TypeError):
    print("complete the steps above to fill in the card")

# %% [markdown]
# ## 12. The complete ML lifecycle
#
# Benchmarking is not the end of the pipeline but the gate in the middle of a loop: data → train →
# optimize → **benchmark** → **validate** → submit / deploy → monitor, and back to data when the
# numbers drift. A typed, validated submission is what lets machines run that gate: CI rejects a
# regression, a leaderboard ranks fairly.

# %% nbgrader={"grade": false, "grade_id": "lifecycle", "locked": true, "schema_version": 3, "solution": false, "task": false} tags=["demonstration"]
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
# 1. The `magnitude-90` model has 90% of its weights at zero. What did your run's verdicts in
#    section 8 say about its size and speed against the baseline, and how do the way it is stored
#    and the way it is computed explain that? What would have to change for sparsity to pay off?
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
