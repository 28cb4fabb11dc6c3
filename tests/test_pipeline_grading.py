"""The whole grading pipeline on the real notebook, in a temporary copy of the course.

One grade run (``grade_course``, jobs=2) grades:

- ``reference``: the source notebook's solutions -> full automatic points;
- ``untouched``: the release as handed out -> 0;
- ``correct-<i>``: every step replaced by its i-th correct variant from ``pipeline_variants/``
  (``<step>__correct_<style>.py``) -> full automatic points;
- ``wrong-<i>``: several steps replaced by one wrong variant each (``<step>__wrong_<kind>.py``,
  plus each step left as the release's stub, kind ``unimplemented``) -> each of those steps loses
  points (a step's points are split over 2-3 grade cells, so a wrong variant may lose only part
  of them; a stub loses all), every cell of every other step scores full.

Packing wrong variants of different steps into one submission keeps the run short; it asks
for more than "one wrong step costs that step only" (several wrong steps must not interfere
either), and a failure names the other wrong steps of the submission for diagnosis.

The run above uses the course's grading profile (demonstration cells not executed, see
course_tools/grading/nbgrader_plugins/profile.py). The same submissions are graded once more with
every cell executed (``full``): every grade cell of every submission must score the same. That is
the suite's end-to-end grading run of whole notebooks.
"""

from __future__ import annotations

import csv
import html
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from course_tools.course import copy_course, open_gradebook
from course_tools.demo.students import WRONG_STEPS_DIR
from course_tools.facts import ASSIGNMENT_ID, AUTOGRADED_POINTS, NOTEBOOK_ID, step_of_grade_cell
from course_tools.export import AWAITING_GRADING
from course_tools.feedback import normalise_line, split_hidden_region
from course_tools.grading.nbgrader_plugins.profile import SKIPPED_NOTE
from course_tools.lint import DEMONSTRATION_TAG
from course_tools.pipeline import grade_course
from course_tools.release import release
from course_tools.samples import SubmissionBuilder, apply_mutation, solution_sources

COURSE = Path(__file__).resolve().parents[1]
VARIANTS = Path(__file__).resolve().parent / "pipeline_variants"
SOURCE = nbformat.read(COURSE / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb", as_version=4)
STEPS = [
    cell.metadata["nbgrader"]["grade_id"]
    for cell in SOURCE.cells
    if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
]
UNIMPLEMENTED = "unimplemented"
MIN_CORRECT, MIN_WRONG = 2, 3
AUTOMATIC_POINTS = AUTOGRADED_POINTS  # split over 2-3 grade cells per step for partial credit; the total never changes
FEEDBACK_MIN_CHARS = 6  # StripHiddenTestsFromFeedback.min_quoted_chars


@dataclass(frozen=True)
class Variant:
    """Alternative source for one step's solution cell (``code`` None: the release's stub)."""

    step: str
    correct: bool
    kind: str
    code: str | None

    @property
    def name(self) -> str:
        return f"{self.step}__{'correct' if self.correct else 'wrong'}_{self.kind}"


def load_variants() -> list[Variant]:
    """Every file of ``pipeline_variants/``: whole cells (``.py``) or the reference with a bug
    stated as line edits (``.mutation``, see `course_tools.samples.apply_mutation`)."""
    reference = solution_sources(SOURCE)
    variants = []
    for path in sorted((p for d in (VARIANTS, WRONG_STEPS_DIR) for p in [*d.glob("*.py"), *d.glob("*.mutation")]), key=lambda p: p.name):
        match = re.fullmatch(r"(?P<step>\w+?)__(?P<verdict>correct|wrong)_(?P<kind>\w+)", path.stem)
        assert match, f"{path.name}: expected <step>__correct_<style>.py or <step>__wrong_<kind>.py|.mutation"
        text = path.read_text(encoding="utf-8")
        code = apply_mutation(reference[match["step"]], text) if path.suffix == ".mutation" else text
        variants.append(Variant(match["step"], match["verdict"] == "correct", match["kind"], code))
    variants += [Variant(step, False, UNIMPLEMENTED, None) for step in STEPS]
    return variants


ALL_VARIANTS = load_variants()
WRONG = [v for v in ALL_VARIANTS if not v.correct]
CORRECT = [v for v in ALL_VARIANTS if v.correct]


def plan_submissions() -> dict[str, dict[str, Variant]]:
    """``{student: {step: variant}}``; steps not named keep the reference solution."""
    plans: dict[str, dict[str, Variant]] = {}
    by_step = {step: [v for v in CORRECT if v.step == step] for step in STEPS}
    for index in range(max(len(v) for v in by_step.values())):
        plans[f"correct-{index}"] = {step: found[index % len(found)] for step, found in by_step.items() if found}
    wrong_by_step = {step: [v for v in WRONG if v.step == step] for step in STEPS}
    packs = max(len(v) for v in wrong_by_step.values())
    for offset, (step, found) in enumerate(wrong_by_step.items()):
        # Rotating each step's list spreads the 'unimplemented' stubs over all packs.
        for index, variant in enumerate(found):
            plans.setdefault(f"wrong-{(index + offset) % packs}", {})[step] = variant
    return plans


PLANS = plan_submissions()


@dataclass
class Graded:
    root: Path
    progress: list[str]
    scores: dict[str, dict[str, float]]
    maxima: dict[str, float]
    auto_cells: list[str]
    feedback: list[Path]
    grades_csv: Path
    seconds: float

    def error_of(self, student: str, cell_id: str) -> str:
        """The error the autograded notebook shows for a cell ('' when none), for diagnostics."""
        path = self.root / "autograded" / student / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == cell_id:
                errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
                return "; ".join(f"{e.ename}: {e.evalue}"[:300] for e in errors)
        return "(cell not found)"


FULL_EXECUTION = "\n# Every cell executed, as in the student's kernel (the grading profile off).\nc.SkipDemonstrationCells.enabled = False\n"


def grade_corpus(root: Path, extra_config: str = "") -> Graded:
    """Grade the reference, the release and every planned variant submission in a copy of the course at ``root``."""
    root = copy_course(COURSE, root, ("nbgrader_config.py", "source"))
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(extra_config)
    release(root)
    builder = SubmissionBuilder(root)
    builder.write("reference", builder.reference_solution())
    builder.write("untouched", builder.untouched())
    for student, plan in PLANS.items():
        builder.write(student, builder.variant(
            {step: builder.stubs[step] if v.code is None else v.code for step, v in plan.items()}))
    progress: list[str] = []
    started = time.perf_counter()
    run = grade_course(root, jobs=2, echo=progress.append)
    seconds = time.perf_counter() - started
    print(f"\npipeline: {len(run.outcomes)} submissions graded, feedback and grades.csv written in {seconds:.0f} s")
    with open_gradebook(root) as gradebook:
        notebook = gradebook.find_notebook(NOTEBOOK_ID, ASSIGNMENT_ID)
        maxima = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
        auto_cells = [cell.name for cell in notebook.grade_cells if cell.cell_type == "code"]
        scores = {
            submission.student_id: {grade.name: float(grade.score) for nb in submission.notebooks for grade in nb.grades}
            for submission in gradebook.find_assignment(ASSIGNMENT_ID).submissions
        }
    return Graded(root, progress, scores, maxima, auto_cells, run.feedback_files, run.grades_csv, seconds)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    return grade_corpus(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def graded_full(tmp_path_factory) -> Graded:
    return grade_corpus(tmp_path_factory.mktemp("course-full"), FULL_EXECUTION)


def _skipped_cells(graded: Graded, student: str) -> list[str]:
    path = graded.root / "autograded" / student / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"
    return [cell.metadata.get("nbgrader", {}).get("grade_id", "?") for cell in nbformat.read(path, as_version=4).cells
            if any(SKIPPED_NOTE in output.get("text", "") for output in cell.get("outputs", []))]


def test_the_grading_profile_scores_every_cell_exactly_as_full_execution(graded, graded_full):
    assert graded.scores.keys() == graded_full.scores.keys()
    differences = {(student, cell): (score, graded_full.scores[student][cell])
                   for student, cells in graded.scores.items() for cell, score in cells.items()
                   if score != graded_full.scores[student][cell]}
    assert not differences, f"(student, cell): (profile, full): {differences}"


def test_the_profile_skips_exactly_the_demonstration_cells_and_full_execution_none(graded, graded_full):
    demonstrations = [cell.metadata["nbgrader"]["grade_id"] for cell in SOURCE.cells
                      if DEMONSTRATION_TAG in cell.metadata.get("tags", [])]
    assert len(demonstrations) >= 10, demonstrations
    for student in graded.scores:
        assert _skipped_cells(graded, student) == demonstrations, student
        assert _skipped_cells(graded_full, student) == [], student
    print(f"\nthe corpus graded in {graded.seconds:.0f} s with the grading profile, {graded_full.seconds:.0f} s in full")


def test_every_step_has_variants_of_each_verdict():
    assert STEPS, "no solution cells found in the source notebook"
    unknown = sorted({v.step for v in ALL_VARIANTS} - set(STEPS))
    assert not unknown, f"variants for steps the notebook does not have: {unknown}"
    for step in STEPS:
        correct = [v.kind for v in CORRECT if v.step == step]
        wrong = [v.kind for v in WRONG if v.step == step and v.kind != UNIMPLEMENTED]
        assert len(correct) >= MIN_CORRECT, f"{step}: {len(correct)} correct variants, need {MIN_CORRECT}"
        assert len(wrong) >= MIN_WRONG, f"{step}: {len(wrong)} wrong variants, need {MIN_WRONG}"


def cells_of(graded: Graded, step: str) -> list[str]:
    return [cell for cell in graded.auto_cells if step_of_grade_cell(cell) == step]


def test_each_step_has_two_or_three_grade_cells_named_after_it(graded):
    assert {step_of_grade_cell(cell) for cell in graded.auto_cells} == set(STEPS)
    for step in STEPS:
        cells = cells_of(graded, step)
        assert f"test_{step}" in cells and 2 <= len(cells) <= 3, (step, cells)
    assert sum(graded.maxima[cell] for cell in graded.auto_cells) == AUTOMATIC_POINTS


def test_reference_solution_scores_full_automatic_points(graded):
    lost = {cell: (graded.scores["reference"][cell], graded.maxima[cell], graded.error_of("reference", cell))
            for cell in graded.auto_cells if graded.scores["reference"][cell] != graded.maxima[cell]}
    assert not lost, lost


def test_untouched_release_scores_zero(graded):
    earned = {cell: score for cell, score in graded.scores["untouched"].items() if score != 0}
    assert not earned, earned


def step_points(graded: Graded, student: str, step: str) -> tuple[float, float]:
    """``(scored, maximum)`` of one step: the sum over its grade cells."""
    cells = cells_of(graded, step)
    return sum(graded.scores[student][c] for c in cells), sum(graded.maxima[c] for c in cells)


def _unexpected_cells(graded: Graded, student: str) -> dict[str, str]:
    """Steps or cells of ``student`` that did not score as its plan says (``{}``: all as expected).

    A wrong step must lose points (a stub: all of them); every cell of any other step scores full.
    """
    plan = PLANS[student]
    problems = {}
    for step in STEPS:
        variant = plan.get(step)
        if variant is not None and not variant.correct:
            got, maximum = step_points(graded, student, step)
            if (got != 0) if variant.code is None else (got >= maximum):
                errors = {c: graded.error_of(student, c) for c in cells_of(graded, step)}
                problems[step] = f"{variant.name} scored {got:g}/{maximum:g} ({errors})"
            continue
        for cell in cells_of(graded, step):
            got = graded.scores[student][cell]
            if got != graded.maxima[cell]:
                problems[cell] = (f"scored {got:g}, expected {graded.maxima[cell]:g} "
                                  f"({graded.error_of(student, cell) or 'no error'})")
    return problems


def _submission_of(variant: Variant) -> str:
    return next(student for student, plan in PLANS.items() if plan.get(variant.step) == variant)


@pytest.mark.parametrize("variant", WRONG, ids=lambda v: v.name)
def test_a_wrong_step_loses_exactly_its_points(graded, variant):
    student = _submission_of(variant)
    got, maximum = step_points(graded, student, variant.step)
    if variant.code is None:
        assert got == 0, f"the untouched stub of {variant.step} earned {got:g}/{maximum:g} in {student}"
    else:
        assert got < maximum, f"{variant.name} earned all {maximum:g} points in {student}: the hidden tests miss it"
    wrong_there = sorted(v.name for v in PLANS[student].values() if not v.correct)
    wrong_steps = {v.step for v in PLANS[student].values() if not v.correct}
    # Steps that are wrong here too are checked by their own variant's test.
    others = {c: p for c, p in _unexpected_cells(graded, student).items()
              if step_of_grade_cell(c) not in wrong_steps}
    assert not others, f"in {student} (wrong steps: {wrong_there}) correct steps lost points: {others}"


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.name)
def test_a_correct_style_scores_full_marks(graded, variant):
    student = _submission_of(variant)
    problems = _unexpected_cells(graded, student)
    own = {c: p for c, p in problems.items() if step_of_grade_cell(c) == variant.step}
    assert not own, own
    assert not problems, f"{student} lost points elsewhere: {problems}"


def test_progress_names_every_submission_with_score_time_and_status(graded):
    students = {"reference", "untouched", *PLANS}
    pattern = re.compile(r"^(\d+)/(\d+) (\S+) ([\d.]+)/([\d.]+) ([\d.]+)s (\S+)$")
    lines = [m for m in map(pattern.match, graded.progress) if m]
    assert sorted(int(m[1]) for m in lines) == list(range(1, len(students) + 1))
    assert {m[3] for m in lines} == students and {int(m[2]) for m in lines} == {len(students)}
    for m in lines:
        assert float(m[4]) == sum(graded.scores[m[3]].values()) and m[7] == "graded", m.group(0)


def test_grades_csv_agrees_with_the_gradebook(graded):
    with open(graded.grades_csv, newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(graded.scores)
    with open_gradebook(graded.root) as gradebook:
        for student, row in rows.items():
            submission = gradebook.find_submission(ASSIGNMENT_ID, student)
            for cell, score in graded.scores[student].items():
                grade = gradebook.find_grade(cell, NOTEBOOK_ID, ASSIGNMENT_ID, student)
                pending = grade.auto_score is None and grade.manual_score is None
                assert row[cell] == AWAITING_GRADING if pending else float(row[cell]) == score, (student, cell, row[cell])
            assert float(row["score"]) == submission.score and float(row["max_score"]) == submission.max_score
            assert float(row["code_score"]) == submission.code_score
            assert row["needs_manual_grade"] == ("yes" if submission.needs_manual_grade else "no")


class _Text(HTMLParser):
    """Visible text of an HTML page (script and style contents dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return html.unescape("".join(parser.parts))


def _normalised(text: str) -> str:
    return "\n".join(normalise_line(line) for line in text.splitlines())


HIDDEN_LINES = sorted({
    normalise_line(line)
    for cell in SOURCE.cells if cell.metadata.get("nbgrader", {}).get("grade")
    for line in split_hidden_region(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "")[1]
} - {""})


def test_feedback_shows_every_step_score_but_no_hidden_test_text(graded):
    assert HIDDEN_LINES, "the source notebook has no hidden tests"
    students = set(graded.scores)
    assert {path.parts[-3] for path in graded.feedback} == students
    for path in graded.feedback:
        student = path.parts[-3]
        text = _normalised(_visible_text(path.read_text(encoding="utf-8")))
        submitted = nbformat.read(graded.root / "submitted" / student / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb", 4)
        own_text = _normalised("\n".join(cell.source for cell in submitted.cells))
        leaked = [line for line in HIDDEN_LINES
                  if len(line) >= FEEDBACK_MIN_CHARS and line in text and line not in own_text]
        assert not leaked, f"{path}: hidden test text in feedback: {leaked[:5]}"
        for cell in graded.auto_cells:
            shown = re.search(rf"Grade cell: {re.escape(cell)}\s+Score: ([\d.]+) / ([\d.]+)", text)
            assert shown, f"{path}: no score shown for {cell}"
            assert (float(shown[1]), float(shown[2])) == (graded.scores[student][cell], graded.maxima[cell]), (path, cell)


def test_an_answered_reflection_awaits_grading_in_feedback_and_grades_csv(graded):
    with open(graded.grades_csv, newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    manual = [cell for cell in graded.maxima if cell not in graded.auto_cells]
    assert manual == ["reflection"], manual
    for student, awaiting in (("reference", True), ("untouched", False)):
        page = next(p for p in graded.feedback if p.parts[-3] == student).read_text(encoding="utf-8")
        text = _normalised(_visible_text(page))
        assert ("Awaiting your instructor's grading (6 points)" in text) is awaiting, (student, text[-1500:])
        shows_score = re.search(r"Written response \(Score: [\d.]+ / 6\.0\)", text) is not None
        assert shows_score is not awaiting, student
        assert (rows[student]["reflection"] == AWAITING_GRADING) is awaiting, rows[student]
        assert (rows[student]["written_score"] == AWAITING_GRADING) is awaiting, rows[student]
