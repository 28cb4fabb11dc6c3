"""The instructor demo: the whole pipeline on three sample submissions, in this course.

``python -m course_tools demo`` (``make demo``):

1. registers the assignment in the gradebook from the source (the release is generated in a
   temporary folder: committed files are never touched) and says whether the committed
   ``release/`` is what the source generates;
2. writes three submissions to ``submitted/``: ``demo-reference`` (the instructor's solution),
   ``demo-untouched`` (the release as handed out) and ``demo-partial`` (three classic bugs and
   one step left undone, see `PARTIAL_BUGS`);
3. grades them with ``grade`` (isolated, parallel), writes feedback HTML and ``grades.csv``;
4. prints the points of every step (summed over its grade cells) for every demo student;
5. validates the ``submission.json`` the graded notebooks wrote and prints their leaderboard.

Only ``demo-*`` students' folders are (re)written; other students in the course stay as they are.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from course_tools.course import ASSIGNMENT_ID, NOTEBOOK_ID, nbgrader_config, open_gradebook, step_of_grade_cell
from course_tools.export import AWAITING_GRADING, StepGradesCsvExportPlugin, points_text
from course_tools.pipeline import grade_course
from course_tools.release import register_assignment
from course_tools.samples import SubmissionBuilder, with_settings
from course_tools.submissions.cli import leaderboard_main, validate_main

REFERENCE, UNTOUCHED, PARTIAL = "demo-reference", "demo-untouched", "demo-partial"
DEMO_STUDENTS = (REFERENCE, UNTOUCHED, PARTIAL)

_NO_WARMUP = '''import time

import numpy as np


def measure_latency(fn, x, warmup=10, runs=100):
    """Latencies in ms -- but the cold first calls are timed too."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(x)
        samples.append((time.perf_counter() - start) * 1000.0)
    return np.array(samples)
'''

_SAMPLE_STD = '''import numpy as np


def latency_stats(samples_ms):
    """Summary of latencies in ms -- with the sample std (ddof=1) where the population std belongs."""
    samples = np.asarray(samples_ms, dtype=float)
    if samples.size == 0:
        raise ValueError("no samples")
    std = float(samples.std(ddof=1)) if samples.size > 1 else 0.0
    p50, p90, p95, p99 = (float(v) for v in np.percentile(samples, [50, 90, 95, 99]))
    return {"n": int(samples.size), "mean": float(samples.mean()), "std": std, "min": float(samples.min()),
            "max": float(samples.max()), "p50": p50, "p90": p90, "p95": p95, "p99": p99,
            "cv": std / float(samples.mean())}
'''

_DECIMAL_MB = '''def model_size_mb(num_params, precision="fp32"):
    """Size in MB -- decimal MB (10**6 bytes) where the notebook asks for 1024**2."""
    bytes_per_param = {"fp32": 4, "fp16": 2, "int8": 1}
    if precision not in bytes_per_param:
        raise ValueError(f"unknown precision {precision!r}")
    return num_params * bytes_per_param[precision] / 1e6
'''

# step -> (what is wrong, replacement source; None keeps the release's stub)
PARTIAL_BUGS: dict[str, tuple[str, str | None]] = {
    "latency_stats": ("sample std (ddof=1) instead of population std", _SAMPLE_STD),
    "measure_latency": ("no warm-up: cold calls are timed", _NO_WARMUP),
    "model_size_mb": ("decimal MB (10**6 bytes) instead of 1024**2", _DECIMAL_MB),
    "plot_latency_distribution": ("left unfinished (the release's stub)", None),
}

# What the demo students type into the notebook's settings cell.
_SETTINGS = {
    REFERENCE: {"SUBMITTER": '"demo-reference"'},
    PARTIAL: {"SUBMITTER": '"demo-partial"', "OPTIMIZED_NAME": '"int8"', "TECHNIQUES": '["int8 quantization"]'},
}


def write_demo_submissions(root: Path, release_dir: Path) -> dict[str, Path]:
    """Write the three demo submissions into ``root/submitted``; return their notebook paths."""
    builder = SubmissionBuilder(root, release_dir=release_dir)
    partial = builder.variant({
        step: builder.stubs[step] if code is None else code for step, (_, code) in PARTIAL_BUGS.items()
    })
    notebooks = {
        REFERENCE: with_settings(builder.reference_solution(), _SETTINGS[REFERENCE]),
        UNTOUCHED: builder.untouched(),
        PARTIAL: with_settings(partial, _SETTINGS[PARTIAL]),
    }
    return {student: builder.write(student, nb) for student, nb in notebooks.items()}


def points_table(root: Path, students: Sequence[str], assignment: str = ASSIGNMENT_ID) -> str:
    """A text table: one row per graded step (notebook order), one column per student, ``got/max``.

    A step's points are the sum over its grade cells (partial credit); an answer nobody graded
    yet shows as awaiting grading.
    """
    config = nbgrader_config(root)
    with open_gradebook(root, config) as gradebook:
        plugin = StepGradesCsvExportPlugin(config=config, assignment=[assignment], student=list(students))
        header, rows = plugin.rows(gradebook)
        notebook = gradebook.find_notebook(NOTEBOOK_ID, assignment)
        maximum = {cell.name: cell.max_score for cell in notebook.grade_cells}
        manual = {cell.name for cell in notebook.grade_cells if cell.cell_type == "markdown"}
    by_student = {row["student_id"]: row for row in rows}
    steps: dict[str, list[str]] = {}
    for column in header:
        if column in maximum:
            steps.setdefault(step_of_grade_cell(column), []).append(column)

    def points(student: str, cells: list[str]) -> str:
        row = by_student.get(student, {})
        values = [row.get(cell) or "-" for cell in cells]
        if AWAITING_GRADING in values:
            return AWAITING_GRADING.replace(" ", "-")
        if "-" in values:
            return "-"
        return points_text(sum(float(value) for value in values))

    def cell(student: str, column: str) -> str:
        return by_student.get(student, {}).get(column) or "-"

    body = [[step + (" (manual)" if cells[0] in manual else ""),
             *(f"{points(s, cells)}/{sum(maximum[c] for c in cells):g}" for s in students)]
            for step, cells in steps.items()]
    total = ["automatic total", *(f"{cell(s, 'code_score')}/{cell(s, 'max_code_score')}" for s in students)]
    head = ["step", *students]
    widths = [max(len(row[i]) for row in [head, *body, total]) for i in range(len(head))]

    def line(row: list[str]) -> str:
        return "  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(head), rule, *map(line, body), rule, line(total)])


def _captured(command: Callable[[list[str]], int], argv: list[str]) -> tuple[int, str]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        status = command(argv)
    return status, output.getvalue().rstrip()


def check_demo_submissions(root: Path, echo: Callable[[str], None], assignment: str = ASSIGNMENT_ID) -> None:
    """Validate the demo students' ``submission.json`` files and print their leaderboard.

    The files are those the graded notebooks wrote (``autograded/<student>/<assignment>/``); the
    leaderboard (Markdown and PNG) goes to ``feedback/demo-leaderboard/``.
    """
    files = [root / "autograded" / s / assignment / "submission.json" for s in DEMO_STUDENTS]
    files = [path for path in files if path.is_file()]
    if not files:
        echo("no submission.json was written by the demo notebooks")
        return
    with contextlib.chdir(root):
        _, report = _captured(validate_main, [str(path.relative_to(root)) for path in files])
    echo(report)
    with tempfile.TemporaryDirectory(prefix="demo-leaderboard-") as pool:
        for path in files:
            target = Path(pool) / path.parts[-3]
            target.mkdir()
            (target / "submission.json").write_bytes(path.read_bytes())
        out = root / "feedback" / "demo-leaderboard"
        _, board = _captured(leaderboard_main, [pool, "--out", str(out)])
    echo(board)


def run_demo(root: Path, jobs: int | None = 2, echo: Callable[[str], None] = print) -> int:
    """Run the demo (module docstring) in the course at ``root``; 1 when grading failed, else 0."""
    echo("== 1/5 release: generate the student notebook from the source, register it in the gradebook")
    with tempfile.TemporaryDirectory(prefix="demo-release-") as workdir:
        generated, differences = register_assignment(root, Path(workdir))
        if differences:
            echo("release/ is NOT what the source generates (run `make release`):")
            for difference in differences:
                echo(f"  {difference}")
        else:
            echo("release/ matches what the source generates")
        echo("== 2/5 sample submissions in submitted/")
        for student, path in write_demo_submissions(root, generated).items():
            echo(f"  {student}: {path.relative_to(root)}")
    for step, (problem, _) in PARTIAL_BUGS.items():
        echo(f"  {PARTIAL} / {step}: {problem}")

    echo(f"== 3/5 grade (jobs={jobs}): n/N student score/max seconds status")
    run = grade_course(root, jobs=jobs, students=DEMO_STUDENTS, echo=echo, register=False)

    echo("== 4/5 points per step")
    echo(points_table(root, DEMO_STUDENTS))

    echo("== 5/5 submission.json files: validate, leaderboard")
    check_demo_submissions(root, echo)
    feedback = ", ".join(str(path.relative_to(root)) for path in run.feedback_files)
    echo(f"feedback HTML: {feedback}")
    echo(f"grades: {run.grades_csv.relative_to(root) if run.grades_csv else 'not written'}")
    return 1 if run.failed else 0
