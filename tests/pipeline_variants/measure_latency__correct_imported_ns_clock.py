from time import perf_counter_ns

import numpy as np

NS_PER_MS = 1_000_000


def _time_one_call_ns(fn, x) -> int:
    begin = perf_counter_ns()
    fn(x)
    return perf_counter_ns() - begin


def measure_latency(fn, x, warmup=10, runs=100):
    """Per-call latencies in ms from an integer nanosecond clock imported by name."""
    for _ in range(warmup):
        fn(x)
    return np.fromiter((_time_one_call_ns(fn, x) for _ in range(runs)), dtype=np.int64, count=runs) / NS_PER_MS
