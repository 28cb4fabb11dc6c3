"""The grader's side of the tamper guard (kernel_guard.py runs inside the kernel).

The guard is installed at kernel start, before student code, from its source text (the kernel
cannot import this package: it is not in its view). Each request is a ``comm_open`` on the
guard's private target; the answer comes back as a ``comm_msg`` on iopub, handled outside
IPython's cell machinery.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from queue import Empty
from time import monotonic

from jupyter_core.utils import ensure_async
from nbformat import NotebookNode

GUARD_SOURCE = Path(__file__).with_name("kernel_guard.py").read_text(encoding="utf-8")


class GuardClient:
    """Mixin of `SandboxedExecute`: install the guard, ask it to snapshot/restore/mark/capture."""

    async def _install_guard(self) -> None:
        call = (
            f"{GUARD_SOURCE}\ninstall({self._guard_target!r}, {list(self.guarded_modules)!r}, "
            f"{list(self.trusted_callback_packages)!r})\n"
        )
        statement = f"exec({call!r}, {{'__name__': '__course_tools_guard__'}})"
        status = await self._execute_quietly(statement, self.startup_timeout, silent=True)
        reply = await self._guard("snapshot") if status == "ok" else None
        if not reply or not reply.get("ok"):
            raise RuntimeError(f"the tamper guard could not be installed in the kernel ({status}, {reply})")

    async def _guard(self, action: str) -> dict | None:
        """Ask the kernel-side guard to do ``action``; its answer, or None without one in time."""
        msg = self.kc.session.msg(
            "comm_open", {"comm_id": uuid.uuid4().hex, "target_name": self._guard_target, "data": {"action": action}}
        )
        self.kc.shell_channel.send(msg)
        msg_id = msg["header"]["msg_id"]
        deadline = monotonic() + self.guard_timeout_s
        answer = None
        while monotonic() < deadline:
            try:
                reply = await ensure_async(self.kc.get_iopub_msg(timeout=max(0.0, deadline - monotonic())))
            except Empty:
                break
            if reply["parent_header"].get("msg_id") != msg_id:
                continue
            if reply["msg_type"] == "comm_msg":
                answer = reply["content"]["data"]
            elif reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
                break
        return answer

    async def _guard_before_grade_cell(self, index: int, cell: NotebookNode, mark: bool) -> bool:
        """Restore what the test relies on; False (cell failed, not run) if the guard is gone."""
        answer = await self._guard("restore_and_mark" if mark else "restore")
        if not answer or not answer.get("ok"):
            problem = (answer or {}).get("error", "no answer")
            self._fail_cell(
                cell,
                "GraderIntegrityError",
                f"the grader could not restore what this test relies on ({problem}); "
                "the test is not trusted and was not run",
            )
            self._incident("tamper-reverted", index, cell, f"the tamper guard failed ({problem}); scored 0")
            return False
        if answer["changed"]:
            self._incident("tamper-reverted", index, cell, "restored before the test: " + ", ".join(answer["changed"]))
        return True
