"""``python -m course_tools demo`` (what ``make demo`` runs) from a temporary copy of the course,
into a temporary scratch folder: the exchange flow end to end, every claim re-measured (the doctored
one caught), and nothing written into the course. The demo's pieces are also tested on their own:
the notebooks its students hand in, and its last stage on fabricated graded folders."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.honest_claims import honest_submission
from course_tools.course import copy_course
from course_tools.demo.students import (
    DEMO_STUDENTS,
    DOCTORED,
    DOCTORED_FACTOR,
    PARTIAL,
    PARTIAL_VARIANTS,
    REFERENCE,
    REFLECTION_POINTS,
    UNTOUCHED,
    demo_notebooks,
)
from course_tools.demo.doctored import doctoring_cell
from course_tools.demo.submissions import POOL, check_demo_submissions
from course_tools.facts import ASSIGNMENT_ID, GRADED_STEPS, MANUAL_STEPS
from course_tools.reproduce.run import read_reproduced
from course_tools.reproduce.verdict import NOT_REPRODUCED, REPRODUCED
from course_tools.samples import SubmissionBuilder
from tinytorch import Recipe

COURSE = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "submission_corpus"


def tree_digest(root: Path, parts: tuple[str, ...]) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for part in parts if (root / part).exists()
        for path in sorted((root / part).rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    origin = copy_course(COURSE, tmp_path_factory.mktemp("course"), ("nbgrader_config.py", "source", "release"))
    before = tree_digest(origin, (".",))
    into = tmp_path_factory.mktemp("demo")
    result = subprocess.run([sys.executable, "-m", "course_tools", "--course", str(origin), "demo", "--into", str(into)],
                            capture_output=True, text=True, timeout=600)
    return into, result, (origin, before)


def table_rows(stdout: str) -> dict[str, list[str]]:
    """``{step: [cell per demo student]}`` from the printed points table."""
    header = re.search(r"^step\s+" + r"\s+".join(DEMO_STUDENTS) + r"$", stdout, re.MULTILINE)
    assert header, stdout
    rows = {}
    for line in stdout[header.end():].splitlines()[2:]:
        if not line.strip() or line.startswith("=="):
            break
        if line.startswith("-"):
            continue
        words = line.split()
        rows[" ".join(words[: -len(DEMO_STUDENTS)])] = words[-len(DEMO_STUDENTS) :]
        if rows.get("automatic total"):
            break
    return rows


def test_demo_succeeds_and_prints_the_table(demo):
    _, result, _ = demo
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = table_rows(result.stdout)
    auto = {step: cells for step, cells in rows.items() if "(manual)" not in step and step != "automatic total"}
    assert len(auto) == len(GRADED_STEPS), rows
    for step, cells in auto.items():
        by_student = dict(zip(DEMO_STUDENTS, cells))
        reference, untouched, partial, doctored = (by_student[s] for s in (REFERENCE, UNTOUCHED, PARTIAL, DOCTORED))
        got, maximum = partial.split("/")
        assert reference == f"{maximum}/{maximum}", step
        assert doctored == reference, (step, "a cell of their own after the notebook changes no grade")
        assert untouched == f"0/{maximum}", step
        if step not in PARTIAL_VARIANTS:
            assert got == maximum, (step, partial)
        elif PARTIAL_VARIANTS[step] is None:
            assert got == "0", (step, partial)
        else:
            assert float(got) < float(maximum), (step, partial)
    assert rows["reflection (manual)"][0] == f"{REFLECTION_POINTS:g}/{MANUAL_STEPS['reflection']}"
    total = dict(zip(DEMO_STUDENTS, rows["automatic total"]))
    assert total[REFERENCE].split("/")[0] == total[REFERENCE].split("/")[1] and total[UNTOUCHED].startswith("0/")
    assert total[DOCTORED] == total[REFERENCE]


def test_demo_goes_through_the_exchange_and_students_fetch_their_feedback(demo):
    into, result, _ = demo
    course = into / "course"
    inbound = sorted(path.name.split("+")[0] for path in (course / "exchange" / "tinytorch-capstone" / "inbound").iterdir())
    assert inbound == sorted(DEMO_STUDENTS), "one submission per student, under their id"
    for student in DEMO_STUDENTS:
        assert (course / "submitted" / student / ASSIGNMENT_ID / "timestamp.txt").is_file(), "collected, not written"
        fetched = list((into / "students" / student / ASSIGNMENT_ID / "feedback").glob("*/capstone.html"))
        assert len(fetched) == 1, (student, fetched)
    reference = next((into / "students" / REFERENCE / ASSIGNMENT_ID / "feedback").glob("*/capstone.html"))
    assert f"Score: {REFLECTION_POINTS:.1f} / {MANUAL_STEPS['reflection']:.1f}" in reference.read_text(encoding="utf-8")
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == sorted(DEMO_STUDENTS)
    assert float(rows[REFERENCE]["reflection"]) == REFLECTION_POINTS
    assert "== 6/6 points per step; submission.json files: validate, re-measure (`reproduce`), leaderboard" in result.stdout


def test_demo_re_measures_every_claim_and_flags_the_doctored_one(demo):
    into, result, _ = demo
    course = into / "course"
    for student in (REFERENCE, DOCTORED):
        graded = course / "autograded" / student / ASSIGNMENT_ID
        assert (graded / "model.npz").is_file(), f"{student}'s notebook saved its model and the grader collected it"
        assert f"autograded/{student}/{ASSIGNMENT_ID}/submission.json: ok" in result.stdout, "both pass validate"
        assert (course / POOL / student / "model.npz").read_bytes() == (graded / "model.npz").read_bytes()
    verdicts = read_reproduced(course / POOL / "reproduced.json")
    reference, doctored = verdicts[f"{REFERENCE}/submission.json"], verdicts[f"{DOCTORED}/submission.json"]
    assert reference.verdict == REPRODUCED, reference.reasons
    assert doctored.verdict == NOT_REPRODUCED and doctored.reasons[0].startswith("speedup"), doctored.reasons
    assert f"{REFERENCE}/submission.json: reproduced" in result.stdout
    assert f"{DOCTORED}/submission.json: not reproduced (speedup: claimed" in result.stdout
    assert re.search(rf"^\| 1 \| {REFERENCE} \|", result.stdout, re.MULTILINE), "the honest claim is ranked"
    assert f"| {DOCTORED} | **not reproduced** ⚠ |" in result.stdout, "the doctored claim is flagged"
    assert (course / POOL / "leaderboard.png").is_file() and (course / POOL / "leaderboard.md").is_file()


def test_demo_students_hand_in_the_release_with_their_edits_only():
    notebooks = demo_notebooks(COURSE, COURSE / "release" / ASSIGNMENT_ID)
    assert sorted(notebooks) == sorted(DEMO_STUDENTS)
    reference, doctored = notebooks[REFERENCE], notebooks[DOCTORED]
    release = SubmissionBuilder(COURSE).untouched()
    assert len(reference.cells) == len(release.cells) and notebooks[UNTOUCHED] == release
    *same, added = doctored.cells
    assert [cell.source for cell in same] == [
        cell.source.replace(f'"{REFERENCE}"', f'"{DOCTORED}"') for cell in reference.cells
    ], "the reference solution under their own name, nothing else changed"
    assert added.cell_type == "code" and "nbgrader" not in added.metadata, "a new, ungraded cell of their own"
    assert added.source == doctoring_cell(DOCTORED_FACTOR)
    settings = [cell.source for cell in doctored.cells if re.search(r"^SUBMITTER = ", cell.source, re.MULTILINE)]
    assert len(settings) == 1 and f'SUBMITTER = "{DOCTORED}"' in settings[0]


@pytest.fixture(scope="module")
def graded_folders(tmp_path_factory) -> Path:
    """A course after grading, fabricated: demo-reference and demo-doctored ran the same recipe
    (the reference harness measured it), demo-doctored's notebook then ran the doctoring cell;
    demo-partial wrote an invalid file and no model; demo-untouched wrote nothing."""
    root = tmp_path_factory.mktemp("graded")
    recipe = Recipe(0.25, 6, "int8")
    for student in (REFERENCE, DOCTORED):
        honest_submission(root / "autograded" / student / ASSIGNMENT_ID, student, recipe)
    doctored = root / "autograded" / DOCTORED / ASSIGNMENT_ID
    subprocess.run([sys.executable, "-c", doctoring_cell(DOCTORED_FACTOR)], cwd=doctored, check=True)
    partial = root / "autograded" / PARTIAL / ASSIGNMENT_ID
    partial.mkdir(parents=True)
    (partial / "submission.json").write_bytes((CORPUS / "bad" / "inverted_speedup.json").read_bytes())
    return root


def test_demo_last_stage_validates_re_measures_and_ranks(graded_folders: Path):
    lines: list[str] = []
    pool = check_demo_submissions(graded_folders, DEMO_STUDENTS, lines.append)
    output = "\n".join(lines)
    assert pool == graded_folders / POOL
    for student in (REFERENCE, DOCTORED):
        assert f"autograded/{student}/{ASSIGNMENT_ID}/submission.json: ok" in output
        assert sorted(path.name for path in (pool / student).iterdir()) == ["model.npz", "submission.json"]
    assert f"autograded/{PARTIAL}/{ASSIGNMENT_ID}/submission.json: $.improvements.speedup" in output
    assert sorted(path.name for path in pool.iterdir() if path.is_dir()) == sorted([REFERENCE, DOCTORED, PARTIAL])
    assert re.search(r"^  checked 3/3 submission\(s\), 1 distinct artifact\(s\) to measure$", output, re.MULTILINE)
    assert f"{REFERENCE}/submission.json: reproduced" in output
    assert f"{DOCTORED}/submission.json: not reproduced (speedup: claimed" in output
    assert f"{PARTIAL}/submission.json: invalid" in output
    assert re.search(rf"^\| 1 \| {REFERENCE} \|", output, re.MULTILINE)
    assert f"| {DOCTORED} | **not reproduced** ⚠ |" in output
    assert (pool / "reproduced.json").is_file() and (pool / "leaderboard.png").is_file()


def test_demo_last_stage_without_any_submission(tmp_path: Path):
    lines: list[str] = []
    assert check_demo_submissions(tmp_path, DEMO_STUDENTS, lines.append) is None
    assert lines == ["no submission.json was written by the demo notebooks"] and not (tmp_path / POOL).exists()


def test_demo_writes_nothing_into_the_course(demo):
    _, _, (origin, before) = demo
    assert tree_digest(origin, (".",)) == before
