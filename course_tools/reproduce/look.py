"""One look: the baseline and some artifacts measured side by side in a fresh Python process.

A process keeps states of its own for its whole life (where the allocator put the arrays, which
pages are hot), and the machine has states lasting seconds; rounds inside one process see
neither. ``reproduce`` therefore measures in several looks, each one a separate process started
after a pause, and reads the variation between their medians (`verdict`).

`measure_look` runs ``python -m course_tools.reproduce.look``: the request (artifact files by
digest, timing settings) goes in as JSON on stdin, the paired round p50s come back as JSON on
stdout, progress lines on stderr (passed on to ``progress`` when the process ends).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from course_tools.reproduce.measure import SideBySide, measure_side_by_side

Progress = Callable[[str], None]


class LookFailed(RuntimeError):
    """The look's process exited with an error (its stderr is in the message)."""


def measure_look(
    artifacts: Mapping[str, Path], progress: Progress | None = None, **timing: Any
) -> dict[str, SideBySide]:
    """Every artifact file of ``artifacts`` (by digest) against the course baseline, in a new
    process with the timing settings of `measure.measure_side_by_side` (``rounds``, ``runs``,
    ``warmup``, ``pause_s``). Raises `LookFailed` when the process fails."""
    request = {"artifacts": {digest: str(path) for digest, path in artifacts.items()}, "timing": timing}
    finished = subprocess.run(
        [sys.executable, "-m", "course_tools.reproduce.look"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
    )
    if progress is not None:
        for line in finished.stderr.splitlines():
            progress(line)
    if finished.returncode != 0:
        raise LookFailed(f"a look's process exited with {finished.returncode}: {finished.stderr.strip()[-2000:]}")
    measured = json.loads(finished.stdout)
    return {digest: SideBySide(**measured[digest]) for digest in artifacts}


def main() -> None:
    """The look's process: request on stdin, result on stdout (module docstring)."""
    from tinytorch import load_digits, load_model
    from tinytorch.artifact import load_model_artifact

    request = json.loads(sys.stdin.read())
    _, _, X_test, _ = load_digits()
    models = {digest: load_model_artifact(path) for digest, path in request["artifacts"].items()}
    measured = measure_side_by_side(
        load_model("baseline"),
        models,
        X_test[:1],
        progress=lambda message: print(message, file=sys.stderr, flush=True),
        **request["timing"],
    )
    json.dump(
        {
            digest: {"model_p50s_ms": side.model_p50s_ms, "baseline_p50s_ms": side.baseline_p50s_ms}
            for digest, side in measured.items()
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
