import time

import numpy as np


def measure_latency(fn, x, warmup: int = 10, runs: int = 100) -> np.ndarray:
    """Per-call latencies in ms, perf_counter in seconds, collected in a list."""
    for _ in range(warmup):
        fn(x)
    latencies = []
    for _ in range(runs):
        started = time.perf_counter()
        fn(x)
        latencies.append((time.perf_counter() - started) * 1000.0)
    return np.array(latencies)
