"""The output cap of `SandboxedExecute`: at most ``max_output_bytes_per_cell`` kept per cell.

nbclient's output handling is overridden so that past the cap stream text and displays are
dropped as they arrive (a print loop cannot exhaust the grader's memory or bloat the feedback).
Errors are always kept (they decide the grade), shortened; results of grade cells are kept
shortened (nbgrader reads partial credit from them); dropped stderr is remembered so a grade cell
cannot pass by flooding.
"""

from __future__ import annotations

import copy

from .nbclient_adapter import output_was_cleared


class OutputCap:
    """Mixin of `SandboxedExecute`, before nbclient's `NotebookClient` in the method order."""

    def output(self, outs, msg, display_id, cell_index):
        content = msg["content"]
        msg_type = msg["msg_type"]
        if output_was_cleared(self):
            self._output_bytes[cell_index] = 0
        cap = self.max_output_bytes_per_cell
        used = self._output_bytes.get(cell_index, 0)
        size = _payload_size(content)
        if msg_type == "error" or used + size <= cap:
            if msg_type == "error":
                msg = _with_content(msg, _trim_error(content, cap))
            self._output_bytes[cell_index] = used + min(size, cap)
            return super().output(outs, msg, display_id, cell_index)
        self._truncated.add(cell_index)
        room = max(0, cap - used)
        self._output_bytes[cell_index] = cap
        if msg_type == "stream" and content.get("name") == "stderr":
            self._dropped_stderr.add(cell_index)
        if msg_type == "stream" and room > 0:
            return super().output(
                outs, _with_content(msg, {**content, "text": content["text"][:room]}), display_id, cell_index
            )
        if msg_type == "execute_result":
            # Kept (shortened): nbgrader reads partial credit from a grade cell's result.
            text = str(content.get("data", {}).get("text/plain", ""))[:1000]
            return super().output(
                outs, _with_content(msg, {**content, "data": {"text/plain": text}}), display_id, cell_index
            )
        return None

    def clear_output(self, outs, msg, cell_index):
        if not msg["content"].get("wait"):
            self._output_bytes[cell_index] = 0
        return super().clear_output(outs, msg, cell_index)


def _payload_size(content: dict) -> int:
    if "text" in content:
        return len(content["text"])
    if "traceback" in content:
        return sum(len(line) for line in content["traceback"]) + len(str(content.get("evalue", "")))
    return sum(len(str(value)) for value in content.get("data", {}).values())


def _trim_error(content: dict, cap: int) -> dict:
    """An error is always kept (it decides the grade) but its text is cut to ``cap`` bytes."""
    evalue = str(content.get("evalue", ""))[:cap]
    kept, total = [], len(evalue)
    for line in content.get("traceback", []):
        if total + len(line) > cap:
            kept.append("[traceback truncated by the grader]")
            break
        kept.append(line)
        total += len(line)
    return {**content, "evalue": evalue, "traceback": kept}


def _with_content(msg: dict, content: dict) -> dict:
    changed = copy.copy(msg)
    changed["content"] = content
    return changed
