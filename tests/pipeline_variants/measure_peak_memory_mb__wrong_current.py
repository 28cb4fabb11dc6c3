import tracemalloc


def measure_peak_memory_mb(fn, x) -> float:
    """Reports the memory still allocated after the call, not the peak during it."""
    tracemalloc.start()
    try:
        fn(x)
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current / 1024**2
