"""Can a kernel start in this sandbox at all? A Python built exactly as a kernel's imports its packages.

Run before any student code: by the orchestrator once per grading run (preflight.py), and by
`SandboxedExecute` when its first kernel of a notebook does not start. A failure has one cause
for every submission (the environment is not where the view shows it, an editable install points
at a checkout the kernel cannot see), so it is reported once with that cause instead of every
step of every submission scoring 0.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .kernel_sandbox import KernelSandbox, SandboxLimits

_PROBE_TIMEOUT_S = 60


def kernel_import_failure(
    course_root: Path,
    limits: SandboxLimits,
    *,
    bwrap: str | None,
    read_only: list[str],
    uid_base: int,
    slots: int,
    sandbox_root: str | None,
    kernel_env: Mapping[str, str],
    packages: list[str],
) -> str | None:
    """None when a sandboxed Python imports ipykernel and ``packages``; else the cause, readable.

    The arguments are those of `KernelSandbox.create` and the kernel's extra environment."""
    modules = ["ipykernel", *packages]
    with tempfile.TemporaryDirectory(prefix="preflight-") as folder:
        sandbox = KernelSandbox.create(
            Path(folder),
            course_root,
            limits,
            bwrap=bwrap,
            read_only=read_only,
            uid_base=uid_base,
            slots=slots,
            sandbox_root=sandbox_root,
        )
        try:
            command = sandbox.launcher_prefix() + [sys.executable, "-c", f"import {', '.join(modules)}"]
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=_PROBE_TIMEOUT_S,
                env=sandbox.environment(dict(kernel_env)),
                stdin=subprocess.DEVNULL,
            )
        finally:
            sandbox.close()
    if result.returncode == 0:
        return None
    cause = "\n".join(result.stderr.strip().splitlines()[-6:]) or f"exit status {result.returncode}"
    return unusable_message(modules, cause)


def unusable_message(modules: list[str], cause: str) -> str:
    """The one message for a sandbox whose kernels cannot import what the notebook needs."""
    return (
        f"a kernel cannot start in the sandbox ({sys.executable} importing {', '.join(modules)}), "
        f"so every submission would score 0. Cause:\n{cause}"
    )
