import time

import numpy as np


def measure_latency(fn, x, warmup: int = 10, runs: int = 100) -> np.ndarray:
    """Wrong clock: time.time() (wall clock: adjustable, coarser) instead of perf_counter."""
    for _ in range(warmup):
        fn(x)
    samples = []
    for _ in range(runs):
        start = time.time()
        fn(x)
        samples.append((time.time() - start) * 1e3)
    return np.array(samples)
