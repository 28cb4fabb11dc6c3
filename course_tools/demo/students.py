"""The demo's sample students and what each hands in.

- ``demo-reference``: the instructor's solution;
- ``demo-untouched``: the release as handed out;
- ``demo-partial``: three wrong steps, the demo's own variant files in `WRONG_STEPS_DIR`, and one
  step left undone (`PARTIAL_VARIANTS`);
- ``demo-doctored``: the instructor's solution plus a code cell of their own at the end that
  rewrites their ``submission.json`` to claim `DOCTORED_FACTOR` times the speedup they measured,
  consistently, so that ``validate`` passes (`course_tools.demo.doctored`).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from course_tools.demo.doctored import doctoring_cell
from course_tools.samples import SubmissionBuilder, variant_source, with_settings

REFERENCE, UNTOUCHED, PARTIAL, DOCTORED = "demo-reference", "demo-untouched", "demo-partial", "demo-doctored"
DEMO_STUDENTS = (REFERENCE, UNTOUCHED, PARTIAL, DOCTORED)

# The wrong steps demo-partial hands in, one variant file each (`course_tools.samples.variant_source`);
# the tests grade them with their own variants too.
WRONG_STEPS_DIR = Path(__file__).resolve().parent / "wrong_steps"

# step -> the file in WRONG_STEPS_DIR demo-partial hands in; None: the release's stub.
PARTIAL_VARIANTS: dict[str, str | None] = {
    "latency_stats": "latency_stats__wrong_sample_std.mutation",
    "measure_latency": "measure_latency__wrong_no_warmup.py",
    "model_size_mb": "model_size_mb__wrong_decimal_mb.mutation",
    "plot_latency_distribution": None,
}

# What the instructor gives demo-reference's reflection in Formgrader.
REFLECTION_POINTS = 5.0

# demo-doctored claims this many times the speedup their notebook measured.
DOCTORED_FACTOR = 3.0

# What the demo students type into the notebook's settings cell (their recipe stays the given one).
_SETTINGS = {student: {"SUBMITTER": f'"{student}"'} for student in (REFERENCE, PARTIAL, DOCTORED)}


def demo_notebooks(course: Path, release_dir: Path) -> dict[str, nbformat.NotebookNode]:
    """What each demo student hands in, built from ``release_dir`` and ``course``'s source."""
    builder = SubmissionBuilder(course, release_dir=release_dir)
    partial = builder.variant(
        {
            step: builder.stubs[step] if name is None else variant_source(WRONG_STEPS_DIR / name, builder.reference)[1]
            for step, name in PARTIAL_VARIANTS.items()
        }
    )
    doctored = with_settings(builder.reference_solution(), _SETTINGS[DOCTORED])
    doctored.cells.append(nbformat.v4.new_code_cell(doctoring_cell(DOCTORED_FACTOR)))
    return {
        REFERENCE: with_settings(builder.reference_solution(), _SETTINGS[REFERENCE]),
        UNTOUCHED: builder.untouched(),
        PARTIAL: with_settings(partial, _SETTINGS[PARTIAL]),
        DOCTORED: doctored,
    }
