import tracemalloc


def measure_peak_memory_mb(fn, x) -> float:
    """Off by a convention: decimal megabytes (10**6 bytes) instead of 1024**2."""
    tracemalloc.start()
    try:
        fn(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6
