import time

import numpy as np


def measure_latency(fn, x, warmup: int = 10, runs: int = 100) -> np.ndarray:
    """No warm-up: the first (cold) calls are timed as if they were typical."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(x)
        samples.append((time.perf_counter() - start) * 1e3)
    return np.array(samples)
