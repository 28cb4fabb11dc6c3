"""Runtime settings that change measurements, made explicit so they can be recorded.

OpenBLAS defaults to one thread per core. At batch 1 the matrix-vector products are too small to
gain from threads, and thread hand-offs make latency noisier, so the capstone pins BLAS to one
thread and records the setting in every report's ``system_info``.
"""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits


def pin_blas_threads(threads: int = 1) -> int | None:
    """Limit every loaded BLAS library to ``threads`` threads for the rest of the process.

    Returns the thread count now in effect (see ``blas_threads``).
    """
    threadpool_limits(limits=threads, user_api="blas")
    return blas_threads()


def blas_threads() -> int | None:
    """The largest thread count of the loaded BLAS libraries, or None when none is loaded."""
    counts = [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return max(counts) if counts else None
