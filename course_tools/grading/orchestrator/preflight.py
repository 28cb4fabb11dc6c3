"""Before any student code runs: is there isolation, and can a kernel start inside it?

`check_before_grading` runs once per grading run, in the orchestrator. It refuses (raises
`GradingRefused`) when no isolation is available and the risk was not accepted, and when a
sandboxed Python cannot even import ipykernel (e.g. the environment is not where the view looks
for it): one message with the cause instead of every submission failing the same way.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config

from ..sandbox.isolation import IsolationUnavailable

if TYPE_CHECKING:
    from ..nbgrader_plugins.execute import SandboxedExecute


class GradingRefused(RuntimeError):
    """Grading cannot start safely; the message says why and what to do."""


class UnsafeGradingWarning(UserWarning):
    """Student code runs without isolation because the instructor accepted the risk."""


def check_before_grading(course_root: Path, config: Config, unsafe_no_isolation: bool) -> None:
    """Refuse unsafe or hopeless runs (module docstring); warn loudly when grading unprotected.

    ``unsafe_no_isolation`` True accepts running without bwrap (as does the config key
    ``c.SandboxedExecute.unsafe_no_isolation``).
    """
    # Imported here: nbgrader's preprocessors cost seconds to import, and only a grading run needs them.
    from ..nbgrader_plugins.execute import SandboxedExecute

    execute = SandboxedExecute(config=config)
    execute.unsafe_no_isolation = execute.unsafe_no_isolation or unsafe_no_isolation
    try:
        bwrap = execute.isolation()
    except IsolationUnavailable as error:
        raise GradingRefused(f"grading refused: {error}") from None
    if bwrap is None:
        warnings.warn(
            "GRADING WITHOUT ISOLATION (--unsafe-no-isolation): every submission's code "
            "runs as this user and can read or delete the gradebook, the solutions and "
            "other submissions.",
            UnsafeGradingWarning,
            stacklevel=3,
        )
    _probe_kernel(execute, bwrap, course_root)


def _probe_kernel(execute: SandboxedExecute, bwrap: str | None, course_root: Path) -> None:
    """Import what a kernel imports, in a sandbox built as for a submission; raise on failure."""
    failure = execute.kernel_import_failure(bwrap, course_root)
    if failure is not None:
        raise GradingRefused(f"grading refused: {failure}")
