"""The grader's own line to a running kernel, beside nbclient's per-cell loop.

Crash recovery replays cells and the tamper guard is installed and asked over the same kernel
client nbclient uses, but without recording outputs: `KernelChannel` holds that client and its
manager, both known to be started (nbclient types them as optional).
"""

from __future__ import annotations

from dataclasses import dataclass
from queue import Empty
from time import monotonic
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import KernelManager
from jupyter_core.utils import ensure_async


@dataclass(frozen=True)
class QuietReply:
    """How a quietly run piece of code ended: ``status`` is 'ok', 'error', 'dead' or 'timeout';
    ``error`` the ``ename: evalue`` of an 'error' reply."""

    status: str
    error: str = ""


@dataclass(frozen=True)
class KernelChannel:
    """A started kernel's manager and its (asynchronous, as nbclient makes it) client."""

    manager: KernelManager
    client: AsyncKernelClient

    async def is_alive(self) -> bool:
        return bool(await ensure_async(self.manager.is_alive()))

    async def execute_quietly(self, code: str, timeout: float | None, silent: bool = False) -> QuietReply:
        """Run ``code`` discarding its outputs."""
        msg_id = self.client.execute(code, silent=silent, store_history=False, allow_stdin=False, stop_on_error=False)
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            if deadline is not None and monotonic() > deadline:
                return QuietReply("timeout")
            if not await self.is_alive():
                return QuietReply("dead")
            try:
                reply: dict[str, Any] = await self.client.get_shell_msg(timeout=0.2)
            except Empty:
                await self.drain_iopub()
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                await self.drain_iopub()
                content = reply["content"]
                error = (
                    f"{content.get('ename', '')}: {content.get('evalue', '')}" if content["status"] == "error" else ""
                )
                return QuietReply(str(content["status"]), error)

    async def drain_iopub(self) -> None:
        while True:
            try:
                await self.client.get_iopub_msg(timeout=0)
            except Empty:
                return
