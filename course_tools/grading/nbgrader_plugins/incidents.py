"""The incident log one autograde run writes and the orchestrator reads.

The grading preprocessors run inside an ``nbgrader autograde`` subprocess. What they had to
contain (a kernel crash, a timeout, a reverted tampering, a repaired notebook) and which kernel
processes they started is appended, one JSON object per line, to the file named by the
environment variable `REPORT_ENV`. The orchestrator sets it for each submission and turns the
lines into the submission's status and message. Without the variable (a plain
``nbgrader autograde`` run) incidents only go to nbgrader's log.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

REPORT_ENV = "COURSE_TOOLS_GRADING_REPORT"

# Incident kinds, most severe first: a submission's status is the first kind it had.
KIND_PRIORITY: tuple[str, ...] = (
    "kernel-died",
    "cell-timeout",
    "memory-limit",
    "tamper-reverted",
    "output-truncated",
    "notebook-repaired",
)


@dataclass(frozen=True)
class Incident:
    """Something the grader contained while grading one notebook.

    ``kind`` is one of `KIND_PRIORITY`; ``where`` names the cell (``cell 7 (test_square)``) or
    ``notebook``; ``detail`` is one readable sentence.
    """

    kind: str
    where: str
    detail: str

    def describe(self) -> str:
        return f"{self.where}: {self.detail}"


@dataclass(frozen=True)
class KernelRecord:
    """A kernel the sandbox started: what the orchestrator must kill if it stops a run early.

    ``uid`` is the unprivileged uid the kernel runs as, or None when it runs as the grader's user.
    ``workdir`` is its private working copy (removed after the run).
    """

    pid: int
    pgid: int
    uid: int | None
    workdir: str


def _append(record: dict) -> None:
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def record_incident(incident: Incident) -> None:
    """Append ``incident`` to the run's report file (no-op outside an orchestrated run)."""
    if incident.kind not in KIND_PRIORITY:
        raise ValueError(f"unknown incident kind {incident.kind!r}; known: {KIND_PRIORITY}")
    _append({"incident": asdict(incident)})


def record_kernel(kernel: KernelRecord) -> None:
    """Append a started kernel to the run's report file (no-op outside an orchestrated run)."""
    _append({"kernel": asdict(kernel)})


def read_report(path: Path) -> tuple[list[Incident], list[KernelRecord]]:
    """The incidents and kernels a run recorded in ``path`` (empty when the file is missing).

    A truncated last line (the run was killed while writing) is ignored.
    """
    incidents: list[Incident] = []
    kernels: list[KernelRecord] = []
    if not path.exists():
        return incidents, kernels
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "incident" in record:
            incidents.append(Incident(**record["incident"]))
        elif "kernel" in record:
            kernels.append(KernelRecord(**record["kernel"]))
    return incidents, kernels


def worst_kind(incidents: list[Incident]) -> str | None:
    """The most severe incident kind among ``incidents``, or None when there are none."""
    kinds = {incident.kind for incident in incidents}
    for kind in KIND_PRIORITY:
        if kind in kinds:
            return kind
    return None
