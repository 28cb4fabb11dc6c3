import time

import numpy as np


def measure_latency(fn, x, warmup: int = 10, runs: int = 100) -> np.ndarray:
    """Times the warm-up calls too and keeps the first ``runs`` samples: the right count, the wrong calls."""
    samples = []
    for _ in range(warmup + runs):
        start = time.perf_counter()
        fn(x)
        samples.append((time.perf_counter() - start) * 1e3)
    return np.array(samples[:runs])
