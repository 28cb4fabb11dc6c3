import time

import numpy as np


def measure_latency(fn, x, warmup: int = 10, runs: int = 100) -> np.ndarray:
    """Not per call: times the whole loop and repeats the mean, hiding the distribution."""
    for _ in range(warmup):
        fn(x)
    start = time.perf_counter()
    for _ in range(runs):
        fn(x)
    mean_ms = (time.perf_counter() - start) * 1e3 / runs
    return np.full(runs, mean_ms)
