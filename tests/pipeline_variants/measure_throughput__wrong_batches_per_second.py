import time


def measure_throughput(fn, x_batch, warmup: int = 3, runs: int = 20) -> float:
    """Counts calls, not samples: batches per second."""
    for _ in range(warmup):
        fn(x_batch)
    start = time.perf_counter()
    for _ in range(runs):
        fn(x_batch)
    return runs / (time.perf_counter() - start)
