import time

import numpy as np


def measure_latency(fn, x, warmup: int = 10, runs: int = 100) -> np.ndarray:
    """Wrong units: seconds instead of milliseconds."""
    for _ in range(warmup):
        fn(x)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(x)
        samples.append(time.perf_counter() - start)
    return np.array(samples)
