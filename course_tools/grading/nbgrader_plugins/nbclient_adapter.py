"""The nbclient (and nbconvert) internals `SandboxedExecute` cannot do without, pinned to versions.

nbclient has no public hook to run a notebook on a kernel the caller starts, stops and restarts
itself (what crash recovery needs), nor to know that an output was cleared. These few calls reach
into it; `check_supported` (run when the grading package is imported by nbgrader, and by a test)
refuses an nbclient they were not written for, naming the versions, instead of grading wrongly.
"""

from __future__ import annotations

import inspect

import nbclient
from nbclient.client import NotebookClient
from nbconvert.preprocessors import ExecutePreprocessor

# nbclient releases whose internals below were read and tested (requirements.txt allows these).
SUPPORTED_VERSIONS = ("0.10", "0.11")


def check_supported(version: str = nbclient.__version__) -> None:
    """Raise RuntimeError unless ``version`` is a supported nbclient and every internal used here exists."""
    if ".".join(version.split(".")[:2]) not in SUPPORTED_VERSIONS:
        raise RuntimeError(
            f"nbclient {version} is not one the sandboxed grader was written for "
            f"({', '.join(SUPPORTED_VERSIONS)}): check course_tools/grading/nbclient_adapter.py "
            "against it, then add it to SUPPORTED_VERSIONS"
        )
    missing = [
        f"NotebookClient.{name}"
        for name in ("_async_cleanup_kernel", "set_widgets_metadata", "reset_execution_trackers")
        if not hasattr(NotebookClient, name)
    ]
    if "self.clear_before_next_output = True" not in inspect.getsource(nbclient.client):
        missing.append("NotebookClient.clear_before_next_output")
    if not hasattr(ExecutePreprocessor, "_check_assign_resources"):
        missing.append("nbconvert's ExecutePreprocessor._check_assign_resources")
    if missing:
        raise RuntimeError(f"nbclient {version} / nbconvert lack {', '.join(missing)}: update nbclient_adapter.py")


def prepare_run(client: NotebookClient, nb, resources: dict) -> None:
    """Bind ``client`` to ``nb`` with a fresh execution state, as nbconvert's `ExecutePreprocessor.preprocess` would."""
    NotebookClient.__init__(client, nb, None)
    client.reset_execution_trackers()
    client._check_assign_resources(resources)  # type: ignore[attr-defined]  # the private call this adapter pins


async def cleanup_kernel(client: NotebookClient) -> None:
    """Shut down the client's kernel and channels (nbclient's own cleanup)."""
    await client._async_cleanup_kernel()


def output_was_cleared(client: NotebookClient) -> bool:
    """Whether the next output replaces the cell's outputs (a ``clear_output(wait=True)`` pending)."""
    return bool(getattr(client, "clear_before_next_output", False))
