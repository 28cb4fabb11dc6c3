import time


def measure_throughput(fn, x_batch, warmup: int = 3, runs: int = 20) -> float:
    """No warm-up: cold calls are part of the timed block."""
    start = time.perf_counter()
    for _ in range(runs):
        fn(x_batch)
    return len(x_batch) * runs / (time.perf_counter() - start)
