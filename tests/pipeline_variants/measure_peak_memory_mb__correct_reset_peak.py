import tracemalloc


def measure_peak_memory_mb(fn, x) -> float:
    """Peak above the memory already traced when the call starts, in MiB; restores tracing state."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    try:
        fn(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return (peak - before) / 2**20
