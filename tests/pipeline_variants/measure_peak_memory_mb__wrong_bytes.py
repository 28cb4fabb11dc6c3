import tracemalloc


def measure_peak_memory_mb(fn, x) -> float:
    """Wrong units: bytes."""
    tracemalloc.start()
    try:
        fn(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return float(peak)
