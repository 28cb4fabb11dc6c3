"""The demo's last stage: its students' submissions validated, their claims re-measured, then ranked.

Each student's notebook writes ``submission.json`` and the model its claim is about, ``model.npz``,
when they run it; the grader takes both from their submission into
``autograded/<student>/<assignment>/``. Then:

1. ``validate`` checks every ``submission.json`` there (printed with paths relative to the course);
2. both files of each student are copied into the pool ``leaderboard/<student>/`` of the course,
   the layout ``reproduce`` and ``leaderboard`` read (one folder per student, the artifact next to
   the submission that references it);
3. ``reproduce`` re-measures every artifact side by side with the baseline and writes
   ``leaderboard/reproduced.json``: a verdict per submission, printed with the progress lines;
4. ``leaderboard`` ranks the re-measured numbers (``leaderboard/leaderboard.md`` and ``.png``,
   the Markdown printed), and flags every claim that did not reproduce.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from course_tools.cli import main as command
from course_tools.facts import ASSIGNMENT_ID
from course_tools.reproduce.run import reproduce, verdict_line, write_reproduced
from course_tools.submissions.leaderboard import REPRODUCED_FILE

POOL = "leaderboard"
# What the grader takes from each submission (c.GradeSubmissions.collect_files).
POOLED_FILES = ("submission.json", "model.npz")


def _captured(argv: list[str]) -> str:
    """What ``python -m course_tools ARGV`` prints on stdout."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        command(argv)
    return output.getvalue().rstrip()


def gather_pool(root: Path, students: Sequence[str], assignment: str = ASSIGNMENT_ID) -> Path:
    """Copy the `POOLED_FILES` each student's graded notebook wrote into ``root/POOL/<student>/``
    (emptied first) and return the pool; a student without ``submission.json`` gets no folder."""
    pool = root / POOL
    if pool.exists():
        shutil.rmtree(pool)
    pool.mkdir()
    for student in students:
        graded = root / "autograded" / student / assignment
        if not (graded / POOLED_FILES[0]).is_file():
            continue
        (pool / student).mkdir()
        for name in POOLED_FILES:
            if (graded / name).is_file():
                shutil.copyfile(graded / name, pool / student / name)
    return pool


def check_demo_submissions(
    root: Path, students: Sequence[str], echo: Callable[[str], None], assignment: str = ASSIGNMENT_ID
) -> Path | None:
    """Validate, re-measure and rank the ``submission.json`` files ``students``' graded notebooks
    wrote in the course at ``root`` (module docstring); return the pool, ``None`` when no notebook
    wrote a submission."""
    files = [root / "autograded" / s / assignment / POOLED_FILES[0] for s in students]
    files = [path for path in files if path.is_file()]
    if not files:
        echo("no submission.json was written by the demo notebooks")
        return None
    with contextlib.chdir(root):
        report = _captured(["validate", *(str(path.relative_to(root)) for path in files)])
    echo(report)
    pool = gather_pool(root, students, assignment)
    echo(f"re-measuring every claim in {pool.relative_to(root)}/ (`python -m course_tools reproduce`):")
    reproduction = reproduce(pool, progress=lambda message: echo(f"  {message}"))
    for outcome in reproduction.submissions:
        echo(verdict_line(outcome))
    reproduced = write_reproduced(reproduction, pool / REPRODUCED_FILE)
    board = _captured(["leaderboard", str(pool), "--reproduced", str(reproduced)])
    echo(board)
    return pool
