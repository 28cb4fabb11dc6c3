import time


def measure_throughput(fn, x_batch, warmup: int = 3, runs: int = 20) -> float:
    """Wrong units: samples per millisecond."""
    for _ in range(warmup):
        fn(x_batch)
    start = time.perf_counter()
    for _ in range(runs):
        fn(x_batch)
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    return len(x_batch) * runs / elapsed_ms
