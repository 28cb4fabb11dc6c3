"""Grading on an existing Dask cluster (``--scheduler tcp://host:8786``, ``c.GradeSubmissions.scheduler``).

`grade_submissions` takes any `concurrent.futures.Executor`; this module makes one from a
scheduler address. Dask reruns the task of a worker that dies mid-run on another worker
(``distributed.scheduler.allowed-failures`` times); past that the future raises `KilledWorker`,
which the orchestrator records as a ``grader-error`` naming it, never as a silent 0.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def cluster_executor(address: str) -> Iterator[concurrent.futures.Executor]:
    """An executor running jobs on the Dask scheduler at ``address``; the client closes on exit.

    Raises ValueError naming the address when no scheduler answers there within 30 s.
    """
    from distributed import Client

    try:
        client = Client(address, timeout="30s")
    except OSError as error:
        raise ValueError(f"no Dask scheduler answers at {address!r}: {error}") from error
    try:
        # pure=False: two identical jobs (a regrade) must both run, not share a cached result.
        yield client.get_executor(pure=False)
    finally:
        client.close()
