"""Crash recovery for `SandboxedExecute`: name why a kernel died, restart it, replay the cells above.

When the kernel dies (``os._exit``, a segfault, the memory or CPU limit, ``exit()``) or ignores
the interrupt after a timeout, the cell that caused it gets an error output naming the cause, a
new kernel on a fresh working copy re-runs the cells before it quietly (their outputs are kept
from the first run; cells that crashed or timed out are skipped) and execution goes on, so only
the step that crashed loses points. At most ``max_kernel_restarts`` times per notebook.
"""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jupyter_client.provisioning import LocalProvisioner
from nbgrader import utils

if TYPE_CHECKING:
    from .execute import SandboxedExecute


async def death_cause(
    provisioner: LocalProvisioner | None, isolated: bool, cpu_limit_s: int | None, memory_limit_mb: int | None
) -> tuple[str, str]:
    """(incident kind, readable cause) for a kernel that stopped; ``isolated``: it ran in bwrap."""
    process = provisioner.process if provisioner is not None else None
    code = None
    if process is not None:
        for _ in range(20):
            code = process.poll()
            if code is not None:
                break
            await asyncio.sleep(0.05)
    if code is None:
        return "kernel-died", "it stopped responding"
    if isolated and 128 < code < 128 + 65:
        code = 128 - code  # bwrap exits with 128 + the signal that ended the kernel
    if code >= 0:
        return "kernel-died", f"the kernel process exited with status {code} (os._exit, exit() or a fatal error)"
    number = -code
    name = signal.Signals(number).name if number in signal.valid_signals() else f"signal {number}"
    if number == signal.SIGSEGV:
        return "kernel-died", f"segmentation fault ({name})"
    if number == signal.SIGXCPU:
        return "kernel-died", f"CPU time limit of {cpu_limit_s} s exceeded ({name})"
    if number == signal.SIGKILL:
        return "memory-limit", f"killed ({name}), most likely out of memory (limit {memory_limit_mb} MB)"
    return "kernel-died", f"killed by {name}"


@dataclass
class CrashRecovery:
    """The restarts of one notebook run on ``executor`` (its kernel life cycle, cells and guard).

    ``skip_on_replay``: cells that crashed or timed out, never run again; ``exit_requested``: the
    cell whose reply asked the kernel to exit; ``gave_up``: the restart limit was reached."""

    executor: SandboxedExecute
    max_restarts: int
    restarts: int = 0
    gave_up: bool = False
    skip_on_replay: set[int] = field(default_factory=set)
    exit_requested: int | None = None

    async def death_cause(self) -> tuple[str, str]:
        executor = self.executor
        return await death_cause(
            executor.provisioner(),
            executor.sandbox().bwrap is not None,
            executor.cpu_time_limit_s,
            executor.memory_limit_mb,
        )

    async def recover_from_exit(self, index: int, last_executed: int | None) -> None:
        """The kernel quit between cells: blame the cell that asked (``exit()``, ``quit()``), else
        the last cell run (e.g. a thread that called ``os._exit`` later); restart without it.

        A kernel asked to exit stops a moment later, while later cells may already run, so it is
        replaced at once instead of waiting to see where it dies.
        """
        executor = self.executor
        culprit: int | None
        if self.exit_requested is not None:
            culprit, kind, cause = self.exit_requested, "kernel-died", "the cell called exit() or quit()"
        else:
            culprit = last_executed
            kind, cause = await self.death_cause()
        if culprit is not None:
            cell = executor.nb.cells[culprit]
            executor.fail_cell(
                cell,
                "KernelDied",
                f"the kernel exited after this cell: {cause}. It was restarted and the cells above were run again.",
            )
            executor.incident(kind, culprit, cell, f"the kernel exited after this cell ({cause}); restarted")
        else:
            executor.incident(kind, None, None, f"the kernel died before the first cell ({cause}); restarted")
        self.exit_requested = None
        await self.restart_and_replay(index, culprit=culprit)

    async def restart_and_replay(self, upto: int, culprit: int | None) -> None:
        """New kernel, fresh working copy, cells [0, upto) re-run quietly except skipped ones."""
        executor = self.executor
        if culprit is not None:
            self.skip_on_replay.add(culprit)
        while True:
            await executor.stop_kernel()
            if self.restarts >= self.max_restarts:
                self.gave_up = True
                executor.incident(
                    "kernel-died", None, None, f"gave up after {self.restarts} kernel restarts; later cells not run"
                )
                return
            self.restarts += 1
            executor.sandbox().reset_work()
            await executor.start_kernel()
            failed = await self._replay(upto)
            if failed is None:
                return
            self.skip_on_replay.add(failed)

    async def _replay(self, upto: int) -> int | None:
        """Re-run earlier cells to rebuild the kernel's state; the index of one that fails hard."""
        executor = self.executor
        guard = executor.guard()
        for index in range(upto):
            cell = executor.nb.cells[index]
            if not executor.runs(cell) or index in self.skip_on_replay:
                continue
            if utils.is_grade(cell):
                await guard.request("restore")
            if utils.is_locked(cell):
                await guard.request("mark")
            reply = await guard.channel.execute_quietly(cell.source, executor.cell_timeout(cell))
            if reply.status in ("dead", "timeout"):
                return index
            if utils.is_locked(cell):
                await guard.request("capture")
        return None
