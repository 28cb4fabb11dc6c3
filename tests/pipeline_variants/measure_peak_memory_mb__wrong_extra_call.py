import tracemalloc


def measure_peak_memory_mb(fn, x) -> float:
    """Calls fn twice (a warm-up call first): the contract says exactly once."""
    fn(x)
    tracemalloc.start()
    try:
        fn(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024**2
