import tracemalloc

BYTES_PER_MB = 1024 * 1024


def measure_peak_memory_mb(fn, x):
    """Start, call once, read the peak, stop."""
    tracemalloc.start()
    fn(x)
    peak_bytes = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak_bytes / BYTES_PER_MB
