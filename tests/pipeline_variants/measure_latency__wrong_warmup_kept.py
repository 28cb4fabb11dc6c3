import time

import numpy as np


def measure_latency(fn, x, warmup: int = 10, runs: int = 100) -> np.ndarray:
    """Warm-up calls are timed and kept in the samples."""
    samples = []
    for _ in range(warmup + runs):
        start = time.perf_counter()
        fn(x)
        samples.append((time.perf_counter() - start) * 1e3)
    return np.array(samples)
