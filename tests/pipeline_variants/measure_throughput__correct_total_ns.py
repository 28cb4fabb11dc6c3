import time


def measure_throughput(fn, x_batch, warmup: int = 3, runs: int = 20) -> float:
    """Samples per second over one timed block, nanosecond clock, batch size from the shape."""
    for _ in range(warmup):
        fn(x_batch)
    begin_ns = time.perf_counter_ns()
    for _ in range(runs):
        fn(x_batch)
    total_s = (time.perf_counter_ns() - begin_ns) / 1e9
    return x_batch.shape[0] * runs / total_s
