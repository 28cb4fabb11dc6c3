from time import perf_counter


def measure_throughput(fn, x_batch, warmup=3, runs=20):
    """Samples per second from the sum of individually timed calls."""
    for _ in range(warmup):
        fn(x_batch)
    timed_seconds = 0.0
    for _ in range(runs):
        t0 = perf_counter()
        fn(x_batch)
        timed_seconds += perf_counter() - t0
    samples = len(x_batch) * runs
    return float(samples / timed_seconds)
