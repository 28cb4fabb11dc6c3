"""``python -m course_tools demo`` (what ``make demo`` runs) from a temporary copy of the course,
into a temporary scratch folder: the exchange flow end to end, and nothing written into the course."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools.course import copy_course
from course_tools.facts import ASSIGNMENT_ID
from course_tools.demo import DEMO_STUDENTS, PARTIAL, PARTIAL_VARIANTS, REFERENCE, REFLECTION_POINTS, check_demo_submissions

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
    origin = copy_course(COURSE, tmp_path_factory.mktemp("course"), ("nbgrader_config.py", "source", "release", "tests"))
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
        *label, a, b, c = line.split()
        rows[" ".join(label)] = [a, b, c]
        if rows.get("automatic total"):
            break
    return rows


def test_demo_succeeds_and_prints_the_table(demo):
    _, result, _ = demo
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = table_rows(result.stdout)
    auto = {step: cells for step, cells in rows.items() if "(manual)" not in step and step != "automatic total"}
    assert len(auto) == 15, rows
    for step, (reference, untouched, partial) in auto.items():
        got, maximum = partial.split("/")
        assert reference == f"{maximum}/{maximum}", step
        assert untouched == f"0/{maximum}", step
        if step not in PARTIAL_VARIANTS:
            assert got == maximum, (step, partial)
        elif PARTIAL_VARIANTS[step] is None:
            assert got == "0", (step, partial)
        else:
            assert float(got) < float(maximum), (step, partial)
    assert rows["reflection (manual)"][0] == f"{REFLECTION_POINTS:g}/6"
    total = rows["automatic total"]
    assert total[0].split("/")[0] == total[0].split("/")[1] and total[1].startswith("0/")


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
    assert f"Score: {REFLECTION_POINTS:.1f} / 6.0" in reference.read_text(encoding="utf-8")
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == sorted(DEMO_STUDENTS)
    assert float(rows[REFERENCE]["reflection"]) == REFLECTION_POINTS
    assert "== 6/6 points per step; submission.json files: validate, leaderboard" in result.stdout


def test_demo_validates_and_ranks_the_submission_files_of_its_students(tmp_path):
    good = CORPUS / "good" / "carol.json"  # valid and ranked; references no model artifact to copy
    bad = CORPUS / "bad" / "inverted_speedup.json"
    for student, example in ((REFERENCE, good), (PARTIAL, bad)):
        folder = tmp_path / "autograded" / student / ASSIGNMENT_ID
        folder.mkdir(parents=True)
        (folder / "submission.json").write_bytes(example.read_bytes())
    lines: list[str] = []
    check_demo_submissions(tmp_path, lines.append)
    output = "\n".join(lines)
    assert f"autograded/{REFERENCE}/{ASSIGNMENT_ID}/submission.json: ok" in output
    assert f"autograded/{PARTIAL}/{ASSIGNMENT_ID}/submission.json: $.improvements.speedup" in output
    assert re.search(r"^\| 1 \| ", output, re.MULTILINE) and "Rejected files (1)" in output
    assert (tmp_path / "feedback" / "demo-leaderboard" / "leaderboard.png").is_file()


def test_demo_writes_nothing_into_the_course(demo):
    _, _, (origin, before) = demo
    assert tree_digest(origin, (".",)) == before
