"""course_tools.submissions leaderboard: ranking rule, duplicates, rejected files, outputs."""

from __future__ import annotations

import json
import math
import shutil
import statistics
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from test_submissions_validation import corpus_script

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.submissions import leaderboard
from course_tools.submissions.leaderboard import Entry, accuracy_holds, score, submission_files
from course_tools.submissions.markdown import escape, render_markdown
from course_tools.submissions.plot import pareto_front, render_png
from course_tools.submissions.remeasured import events, remeasure, score_interval

CORPUS = Path(__file__).parent / "submission_corpus"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture()
def class_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "submitted"
    shutil.copytree(CORPUS / "good", folder / "good")
    shutil.copytree(CORPUS / "bad", folder / "bad")
    return folder


def _write(folder: Path, name: str, document: Any) -> Path:
    """Write a submission, with the corpus artifact next to it when it references one."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    artifact = document.get("optimized", {}).get("artifact", {}).get("file") if isinstance(document, dict) else None
    if artifact:
        shutil.copyfile(CORPUS / "good" / artifact, path.parent / artifact)
    return path


def test_ranking_of_the_corpus(class_folder: Path) -> None:
    board = leaderboard(class_folder)
    assert [entry.submitter for entry in board.ranked] == ["alice", "Erin", "Carol Diaz", "bob", "frank"]
    assert [entry.rank for entry in board.ranked] == [1, 2, 3, 4, 5]
    assert [entry.submitter for entry in board.unranked] == ["dave"]
    assert board.message is None


def test_score_is_log2_speedup_plus_log2_compression_from_rounds_and_metrics(class_folder: Path) -> None:
    alice = json.loads((CORPUS / "good" / "alice.json").read_text(encoding="utf-8"))
    base, opt = alice["baseline"]["metrics"], alice["optimized"]["metrics"]
    assert alice["improvements"]["speedup_method"] == "interleaved_rounds"
    speedup = statistics.median(alice["improvements"]["speedup_rounds"])
    assert not math.isclose(speedup, base["latency_ms_p50"] / opt["latency_ms_p50"], rel_tol=1e-3)
    # Size by stored bytes (schema 1.3.0): her int8 model's float32 scales and biases count, so the
    # leaderboard's compression is below the counted one her improvements record.
    compression = base["stored_bytes"] / opt["stored_bytes"]
    assert compression < base["model_size_mb"] / opt["model_size_mb"] * 0.99
    entries = {entry.file: entry for entry in leaderboard(class_folder).ranked}
    top = leaderboard(class_folder).ranked[0]
    assert top.file == "good/alice.json"
    assert math.isclose(top.compression, compression)
    assert math.isclose(top.score, math.log2(speedup) + math.log2(compression))
    frank = json.loads((CORPUS / "good" / "frank.json").read_text(encoding="utf-8"))
    assert frank["schema_version"] == "1.0.0" and "speedup_method" not in frank["improvements"]
    frank_base, frank_opt = frank["baseline"]["metrics"], frank["optimized"]["metrics"]
    assert math.isclose(entries["good/frank.json"].speedup, frank_base["latency_ms_p50"] / frank_opt["latency_ms_p50"])
    # Before schema 1.3.0 there are no stored bytes: the counted compression ranks.
    assert math.isclose(entries["good/frank.json"].compression, frank_base["model_size_mb"] / frank_opt["model_size_mb"])
    assert math.isclose(score(2.0, 8.0), 4.0) and math.isclose(score(0.5, 4.0), 1.0)


def test_accuracy_criterion_is_one_point_inclusive() -> None:
    assert accuracy_holds(0.97 - 0.98)  # -0.010000000000000009 in floats: still one point
    assert accuracy_holds(0.01) and not accuracy_holds(0.0101) and not accuracy_holds(-0.02)


def test_rejected_files_are_listed_with_their_codes(class_folder: Path) -> None:
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    board = leaderboard(class_folder)
    rejected = {item.file: sorted({problem.code for problem in item.problems}) for item in board.rejected}
    bad = {name: codes for name, codes in expected.items() if name.startswith("bad/")}
    assert {name: rejected[name] for name in bad} == bad
    assert rejected["good/erin_first.json"] == ["duplicate-submitter"]
    assert len(board.rejected) == len(bad) + 1


def test_duplicate_submitter_keeps_the_newest_valid(tmp_path: Path) -> None:
    older = corpus_script.alice()
    newer = corpus_script.alice()
    newer["submitter"] = "  ALICE "
    newer["timestamp"] = "2026-04-01T00:00:00+00:00"
    newest_but_broken = corpus_script.alice()
    newest_but_broken["timestamp"] = "2026-05-01T00:00:00+00:00"
    newest_but_broken["improvements"]["speedup"] = 99.0
    _write(tmp_path, "a_newer.json", newer)
    _write(tmp_path, "b_older.json", older)
    _write(tmp_path, "c_broken.json", newest_but_broken)
    board = leaderboard(tmp_path)
    assert [entry.file for entry in board.ranked] == ["a_newer.json"]
    assert board.ranked[0].submitter == "ALICE"
    rejected = {item.file: [problem.code for problem in item.problems] for item in board.rejected}
    assert rejected == {"b_older.json": ["duplicate-submitter"], "c_broken.json": ["inconsistent-improvement"]}
    assert "a_newer.json" in board.rejected[0].problems[0].message


def test_equal_scores_share_a_rank_and_the_earlier_is_listed_first(tmp_path: Path) -> None:
    first = corpus_script.alice()
    first["timestamp"] = "2026-03-03T00:00:00+00:00"
    second = corpus_script.alice()
    second["submitter"] = "zed"
    _write(tmp_path, "first.json", first)
    _write(tmp_path, "second.json", second)
    board = leaderboard(tmp_path)
    assert [(entry.rank, entry.submitter) for entry in board.ranked] == [(1, "zed"), (1, "alice")]


def test_empty_folder_gives_a_clear_message_and_outputs(tmp_path: Path) -> None:
    board = leaderboard(tmp_path)
    assert board.ranked == board.unranked == board.rejected == ()
    assert board.message is not None and "No submission files" in board.message
    assert "No submission files" in render_markdown(board)
    png = render_png(board, tmp_path / "empty.png")
    assert png.read_bytes().startswith(PNG_SIGNATURE)


def test_folder_with_only_invalid_files(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{", encoding="utf-8")
    board = leaderboard(tmp_path)
    assert board.message == "No valid submission"
    assert [problem.code for problem in board.rejected[0].problems] == ["not-json"]


def test_missing_directory_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="not an existing directory"):
        leaderboard(tmp_path / "nowhere")
    (tmp_path / "file.json").write_text("{}", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        leaderboard(tmp_path / "file.json")


def test_nbgrader_layout_is_searched_and_hidden_folders_skipped(tmp_path: Path) -> None:
    submission = f"ada/{ASSIGNMENT_ID}/submission.json"
    _write(tmp_path, submission, corpus_script.alice())
    _write(tmp_path, f"ada/{ASSIGNMENT_ID}/.ipynb_checkpoints/submission-checkpoint.json", {"junk": 1})
    _write(tmp_path, ".hidden.json", {"junk": 1})
    (tmp_path / "ada" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb").write_text("{}", encoding="utf-8")
    assert [path.relative_to(tmp_path).as_posix() for path in submission_files(tmp_path)] == [submission]
    assert leaderboard(tmp_path).ranked[0].file == submission


def test_markdown_table_survives_hostile_names(tmp_path: Path) -> None:
    document = corpus_script.alice()
    document["submitter"] = "a|b <script>*x*</script> $y$"
    document["optimized"]["techniques"] = [
        {"id": "structured-pruning", "detail": "structured\tpruning"},
        {"id": "fine-tuning"},
        {"id": "int8-quantization", "detail": "int8 | quantization"},
    ]
    _write(tmp_path, "odd|name.json", document)
    markdown = render_markdown(leaderboard(tmp_path))
    rows = [line for line in markdown.splitlines() if line.startswith("| 1 |")]
    assert len(rows) == 1
    unescaped_pipes = rows[0].replace("\\|", "").count("|")
    assert unescaped_pipes == 10, "9 cells need exactly 10 separators"
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert escape("a\nb") == "a b"


def test_markdown_lists_the_scoring_rule_and_all_sections(class_folder: Path) -> None:
    markdown = render_markdown(leaderboard(class_folder))
    assert "log2(speedup) + log2(compression)" in markdown
    assert "| 1 | alice | 8.05 | 5.22× | 50.82× | -0.56 | 1 |" in markdown  # compression by stored bytes
    assert "## Not ranked" in markdown and "| dave |" in markdown
    assert "## Rejected files (63)" in markdown
    assert "bad/nan\\_token.json: \\$.optimized.metrics.latency\\_ms\\_p50:" in markdown


def test_png_is_written(class_folder: Path, tmp_path: Path) -> None:
    path = render_png(leaderboard(class_folder), tmp_path / "board.png")
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 20_000


def _entry(name: str, speedup: float, compression: float) -> Entry:
    return Entry(name, f"{name}.json", "2026-01-01T00:00:00+00:00", ("x",), 1, speedup, compression, 0.0, 0.0)


def test_pareto_front() -> None:
    entries = [
        _entry("a", 5, 50),
        _entry("b", 10, 10),
        _entry("c", 4, 40),
        _entry("d", 2, 60),
        _entry("e", 10, 5),
        _entry("f", 5, 50),
    ]
    assert [entry.submitter for entry in pareto_front(entries)] == ["d", "a", "f", "b"]
    assert pareto_front([]) == []


# --- re-measured numbers with their intervals: ties and the events' uncertainty --------------------


def remeasured_board(folder: Path, scores: dict[str, tuple[float, float | None]]) -> Any:
    """The corpus board re-measured: each submitter's speedup set so that the score is the first
    number, with a 95% speedup interval moving the score by -+ the second (``None``: a
    ``reproduced.json`` written before intervals)."""
    board = leaderboard(folder)
    outcomes = {}
    for entry in board.ranked:
        target, half_width = scores[entry.submitter]
        speedup = 2 ** (target - math.log2(entry.compression))
        measured: dict[str, Any] = {"speedup": speedup, "accuracy_delta": entry.accuracy_delta}
        if half_width is not None:
            measured["speedup_interval"] = {"low": speedup / 2**half_width, "high": speedup * 2**half_width}
        outcomes[entry.file] = SimpleNamespace(verdict="reproduced", measured=measured)
    return remeasure(board, outcomes)


def test_overlapping_intervals_are_marked_tied_and_ranks_follow_the_points(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "good", tmp_path / "good")
    board = remeasured_board(
        tmp_path,
        {"alice": (6.0, 0.1), "Erin": (5.95, 0.1), "Carol Diaz": (5.0, 0.02), "bob": (4.0, None), "frank": (3.0, 0.5)},
    )
    ranked = {entry.submitter: entry for entry in board.ranked}
    assert [entry.submitter for entry in board.ranked] == ["alice", "Erin", "Carol Diaz", "bob", "frank"]
    assert [entry.rank for entry in board.ranked] == [1, 2, 3, 4, 5]
    assert ranked["alice"].tied_with == ("Erin",) and ranked["Erin"].tied_with == ("alice",)
    assert ranked["Carol Diaz"].tied_with == () and ranked["frank"].tied_with == ()
    assert ranked["bob"].speedup_interval is None and ranked["bob"].tied_with == (), "no interval, no tie claimed"
    low, high = score_interval(ranked["alice"]) or (0.0, 0.0)
    assert (low, high) == (pytest.approx(5.9), pytest.approx(6.1))

    fastest, smallest, best = events(board)
    assert [entry.submitter for entry in best.winners] == ["alice"] and best.interval == (low, high)
    assert [entry.submitter for entry in best.within_uncertainty] == ["Erin"]
    assert smallest.interval is None and smallest.within_uncertainty == ()
    winner = fastest.winners[0]
    assert fastest.interval == winner.speedup_interval
    assert all(
        other.speedup_interval[0] <= winner.speedup_interval[1] for other in fastest.within_uncertainty
    )

    markdown = render_markdown(board)
    assert "| 1 | alice | 6.00 | Erin |" in markdown and "| 3 | Carol Diaz | 5.00 | - |" in markdown
    assert "| Best all-round | log2(speedup) + log2(compression) | alice | 6.00 | 95% interval [5.90, 6.10]; tied within the intervals: Erin |" in markdown
    assert "| exact: sizes are counted, not timed |" in markdown
    alice_speedup = ranked["alice"].speedup
    assert f"{alice_speedup:.2f}× [{alice_speedup / 2**0.1:.2f}, {alice_speedup * 2**0.1:.2f}]" in markdown
    assert render_png(board, tmp_path / "board.png").read_bytes().startswith(PNG_SIGNATURE)


def test_separate_intervals_are_not_tied(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "good", tmp_path / "good")
    board = remeasured_board(
        tmp_path,
        {"alice": (6.0, 0.1), "Erin": (5.7, 0.1), "Carol Diaz": (5.0, 0.1), "bob": (4.0, 0.1), "frank": (3.0, 0.1)},
    )
    assert all(entry.tied_with == () for entry in board.ranked)
    assert "no other interval overlaps" in render_markdown(board)
