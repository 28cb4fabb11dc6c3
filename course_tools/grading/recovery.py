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
from queue import Empty
from time import monotonic

from jupyter_core.utils import ensure_async
from nbgrader import utils


class CrashRecovery:
    """Mixin of `SandboxedExecute` (uses its kernel manager/client, sandbox, guard and settings)."""

    async def _death_cause(self) -> tuple[str, str]:
        """(incident kind, readable cause) for a kernel that stopped."""
        process = self.km.provisioner.process if self.km.provisioner else None
        code = None
        if process is not None:
            for _ in range(20):
                code = process.poll()
                if code is not None:
                    break
                await asyncio.sleep(0.05)
        if code is None:
            return "kernel-died", "it stopped responding"
        if self._sandbox.bwrap is not None and 128 < code < 128 + 65:
            code = 128 - code  # bwrap exits with 128 + the signal that ended the kernel
        if code >= 0:
            return "kernel-died", f"the kernel process exited with status {code} (os._exit, exit() or a fatal error)"
        number = -code
        name = signal.Signals(number).name if number in signal.valid_signals() else f"signal {number}"
        if number == signal.SIGSEGV:
            return "kernel-died", f"segmentation fault ({name})"
        if number == signal.SIGXCPU:
            return "kernel-died", f"CPU time limit of {self.cpu_time_limit_s} s exceeded ({name})"
        if number == signal.SIGKILL:
            return "memory-limit", f"killed ({name}), most likely out of memory (limit {self.memory_limit_mb} MB)"
        return "kernel-died", f"killed by {name}"

    async def _recover_from_exit(self, index: int) -> None:
        """The kernel quit between cells: blame the cell that asked (``exit()``, ``quit()``), else
        the last cell run (e.g. a thread that called ``os._exit`` later); restart without it.

        A kernel asked to exit stops a moment later, while later cells may already run, so it is
        replaced at once instead of waiting to see where it dies.
        """
        if self._exit_requested is not None:
            culprit, kind, cause = self._exit_requested, "kernel-died", "the cell called exit() or quit()"
        else:
            culprit = self._last_executed
            kind, cause = await self._death_cause()
        if culprit is not None:
            cell = self.nb.cells[culprit]
            self._fail_cell(
                cell,
                "KernelDied",
                f"the kernel exited after this cell: {cause}. It was restarted and the cells above were run again.",
            )
            self._incident(kind, culprit, cell, f"the kernel exited after this cell ({cause}); restarted")
        else:
            self._incident(kind, None, None, f"the kernel died before the first cell ({cause}); restarted")
        self._exit_requested = None
        await self._restart_and_replay(index, culprit=culprit)

    async def _restart_and_replay(self, upto: int, culprit: int | None) -> None:
        """New kernel, fresh working copy, cells [0, upto) re-run quietly except skipped ones."""
        if culprit is not None:
            self._skip_on_replay.add(culprit)
        while True:
            await self._async_stop_kernel()
            if self._restarts >= self.max_kernel_restarts:
                self._gave_up = True
                self._incident(
                    "kernel-died", None, None, f"gave up after {self._restarts} kernel restarts; later cells not run"
                )
                return
            self._restarts += 1
            self._sandbox.reset_work()
            await self._async_start_kernel()
            failed = await self._replay(upto)
            if failed is None:
                return
            self._skip_on_replay.add(failed)

    async def _replay(self, upto: int) -> int | None:
        """Re-run earlier cells to rebuild the kernel's state; the index of one that fails hard."""
        for index in range(upto):
            cell = self.nb.cells[index]
            if cell.cell_type != "code" or not cell.source.strip() or index in self._skip_on_replay:
                continue
            if utils.is_grade(cell):
                await self._guard("restore")
            if utils.is_locked(cell):
                await self._guard("mark")
            status = await self._execute_quietly(cell.source, self._get_timeout(cell))
            if status in ("dead", "timeout"):
                return index
            if utils.is_locked(cell):
                await self._guard("capture")
        return None

    async def _execute_quietly(self, code: str, timeout: float | None, silent: bool = False) -> str:
        """Run ``code`` discarding its outputs: 'ok', 'error', 'dead' or 'timeout'."""
        msg_id = self.kc.execute(code, silent=silent, store_history=False, allow_stdin=False, stop_on_error=False)
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            if deadline is not None and monotonic() > deadline:
                return "timeout"
            if not await ensure_async(self.km.is_alive()):
                return "dead"
            try:
                reply = await ensure_async(self.kc.get_shell_msg(timeout=0.2))
            except Empty:
                await self._drain_iopub()
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                await self._drain_iopub()
                return reply["content"]["status"]

    async def _drain_iopub(self) -> None:
        while True:
            try:
                await ensure_async(self.kc.get_iopub_msg(timeout=0))
            except Empty:
                return
