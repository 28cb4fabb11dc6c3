"""Before any student code runs: is there isolation, and can a kernel start inside it?

`check_before_grading` runs once per grading run, in the orchestrator. It refuses (raises
`GradingRefused`) when no isolation is available and the risk was not accepted, and when a
sandboxed Python cannot even import ipykernel (e.g. the environment is not where the view looks
for it): one message with the cause instead of every submission failing the same way.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from traitlets.config import Config

from .isolation import IsolationUnavailable
from .sandbox import KernelSandbox

_PROBE_TIMEOUT_S = 60


class GradingRefused(RuntimeError):
    """Grading cannot start safely; the message says why and what to do."""


class UnsafeGradingWarning(UserWarning):
    """Student code runs without isolation because the instructor accepted the risk."""


def check_before_grading(course_root: Path, config: Config, unsafe_no_isolation: bool) -> None:
    """Refuse unsafe or hopeless runs (module docstring); warn loudly when grading unprotected.

    ``unsafe_no_isolation`` True accepts running without bwrap (as does the config key
    ``c.SandboxedExecute.unsafe_no_isolation``).
    """
    from .execute import SandboxedExecute

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


def _probe_kernel(execute, bwrap: str | None, course_root: Path) -> None:
    """Import what a kernel imports, in a sandbox built as for a submission; raise on failure."""
    modules = ["ipykernel", *execute.kernel_packages]
    with tempfile.TemporaryDirectory(prefix="preflight-") as folder:
        sandbox = KernelSandbox.create(
            Path(folder),
            course_root,
            execute.limits(),
            bwrap=bwrap,
            read_only=execute.visible_paths(course_root),
            uid_base=execute.sandbox_uid_base,
            slots=execute.sandbox_slots,
            sandbox_root=execute.sandbox_root or None,
        )
        try:
            command = sandbox.launcher_prefix() + [sys.executable, "-c", f"import {', '.join(modules)}"]
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=_PROBE_TIMEOUT_S,
                env=sandbox.environment(dict(execute.kernel_env)),
                stdin=subprocess.DEVNULL,
            )
        finally:
            sandbox.close()
    if result.returncode != 0:
        cause = "\n".join(result.stderr.strip().splitlines()[-6:]) or f"exit status {result.returncode}"
        raise GradingRefused(
            f"grading refused: a kernel cannot start in the sandbox ({sys.executable} importing "
            f"{', '.join(modules)}), so every submission would score 0. Cause:\n{cause}"
        )
