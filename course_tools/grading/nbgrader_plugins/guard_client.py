"""The grader's side of the tamper guard (in_kernel/kernel_guard.py runs inside the kernel).

The guard is installed at kernel start, before student code, from its source text (the kernel
cannot import this package: it is not in its view). Each request is a ``comm_open`` on the
guard's private target; the answer comes back as a ``comm_msg`` on iopub, handled outside
IPython's cell machinery.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from time import monotonic
from typing import Any

from .kernel_channel import KernelChannel

GUARD_SOURCE = (Path(__file__).parents[1] / "in_kernel" / "kernel_guard.py").read_text(encoding="utf-8")


@dataclass(frozen=True)
class GuardClient:
    """Talks to the guard of one kernel: ``target`` is its private comm target name."""

    channel: KernelChannel
    target: str
    timeout_s: float

    async def install(self, guarded_modules: list[str], trusted_packages: list[str], timeout: float) -> None:
        """Install the guard in the kernel and take its first snapshot; RuntimeError if that fails."""
        call = f"{GUARD_SOURCE}\ninstall({self.target!r}, {guarded_modules!r}, {trusted_packages!r})\n"
        statement = f"exec({call!r}, {{'__name__': '__course_tools_guard__'}})"
        reply = await self.channel.execute_quietly(statement, timeout, silent=True)
        answer = await self.request("snapshot") if reply.status == "ok" else None
        if not answer or not answer.get("ok"):
            raise RuntimeError(f"the tamper guard could not be installed in the kernel ({reply.status}, {answer})")

    async def request(self, action: str) -> dict[str, Any] | None:
        """Ask the kernel-side guard to do ``action``; its answer, or None without one in time."""
        client = self.channel.client
        msg = client.session.msg(
            "comm_open", {"comm_id": uuid.uuid4().hex, "target_name": self.target, "data": {"action": action}}
        )
        client.shell_channel.send(msg)
        msg_id = msg["header"]["msg_id"]
        deadline = monotonic() + self.timeout_s
        answer: dict[str, Any] | None = None
        while monotonic() < deadline:
            try:
                reply = await client.get_iopub_msg(timeout=max(0.0, deadline - monotonic()))
            except Empty:
                break
            if reply["parent_header"].get("msg_id") != msg_id:
                continue
            if reply["msg_type"] == "comm_msg":
                answer = reply["content"]["data"]
            elif reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
                break
        return answer
