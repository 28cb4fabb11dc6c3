"""The output cap of `SandboxedExecute`: at most ``max_output_bytes_per_cell`` kept per cell.

`SandboxedExecute.output` asks `OutputCap.admit` about every output message before nbclient
stores it: past the cap stream text and displays are dropped as they arrive (a print loop cannot
exhaust the grader's memory or bloat the feedback). Errors are always kept (they decide the
grade), shortened; results of grade cells are kept shortened (nbgrader reads partial credit from
them); dropped stderr is remembered so a grade cell cannot pass by flooding. This is the course's
only output limit (nbgrader's ``LimitOutput`` would cut the same outputs again, after the fact).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from nbformat import NotebookNode

Message = dict[str, Any]


@dataclass
class OutputCap:
    """Bytes of output kept so far per cell index, for one notebook run."""

    max_bytes: int
    used: dict[int, int] = field(default_factory=dict)
    truncated: set[int] = field(default_factory=set)
    dropped_stderr: set[int] = field(default_factory=set)

    def admit(self, msg: Message, cell_index: int, cleared: bool) -> Message | None:
        """The message to store for ``cell_index`` (possibly shortened), or None to drop it.

        ``cleared``: the cell's outputs are about to be replaced (a pending ``clear_output(wait=True)``).
        """
        content = msg["content"]
        msg_type = msg["msg_type"]
        if cleared:
            self.used[cell_index] = 0
        used = self.used.get(cell_index, 0)
        size = _payload_size(content)
        if msg_type == "error" or used + size <= self.max_bytes:
            self.used[cell_index] = used + min(size, self.max_bytes)
            return _with_content(msg, _trim_error(content, self.max_bytes)) if msg_type == "error" else msg
        self.truncated.add(cell_index)
        room = max(0, self.max_bytes - used)
        self.used[cell_index] = self.max_bytes
        if msg_type == "stream" and content.get("name") == "stderr":
            self.dropped_stderr.add(cell_index)
        if msg_type == "stream" and room > 0:
            return _with_content(msg, {**content, "text": content["text"][:room]})
        if msg_type == "execute_result":
            # Kept (shortened): nbgrader reads partial credit from a grade cell's result.
            text = str(content.get("data", {}).get("text/plain", ""))[:1000]
            return _with_content(msg, {**content, "data": {"text/plain": text}})
        return None

    def cleared(self, cell_index: int) -> None:
        """The cell's outputs were cleared: its budget starts again."""
        self.used[cell_index] = 0

    def notes(self, cell_index: int, outputs: list[NotebookNode]) -> list[NotebookNode]:
        """Outputs to append to a truncated cell (none for a cell within the cap).

        A note on stdout, and a stderr marker when stderr was dropped and none is left, so a
        grade cell whose warnings were cut still fails the way its full output would."""
        if cell_index not in self.truncated:
            return []
        notes = [
            NotebookNode(
                output_type="stream",
                name="stdout",
                text=(
                    f"\n[output truncated by the grader: this cell printed more than "
                    f"{self.max_bytes} bytes; the rest was dropped]\n"
                ),
            )
        ]
        if cell_index in self.dropped_stderr and not any(
            o.output_type == "stream" and o.name == "stderr" for o in outputs
        ):
            notes.append(
                NotebookNode(output_type="stream", name="stderr", text="[stderr output truncated by the grader]\n")
            )
        return notes


def _payload_size(content: dict[str, Any]) -> int:
    if "text" in content:
        return len(content["text"])
    if "traceback" in content:
        return sum(len(line) for line in content["traceback"]) + len(str(content.get("evalue", "")))
    return sum(len(str(value)) for value in content.get("data", {}).values())


def _trim_error(content: dict[str, Any], cap: int) -> dict[str, Any]:
    """An error is always kept (it decides the grade) but its text is cut to ``cap`` bytes."""
    evalue = str(content.get("evalue", ""))[:cap]
    kept: list[str] = []
    total = len(evalue)
    for line in content.get("traceback", []):
        if total + len(line) > cap:
            kept.append("[traceback truncated by the grader]")
            break
        kept.append(line)
        total += len(line)
    return {**content, "evalue": evalue, "traceback": kept}


def _with_content(msg: Message, content: dict[str, Any]) -> Message:
    changed = copy.copy(msg)
    changed["content"] = content
    return changed
