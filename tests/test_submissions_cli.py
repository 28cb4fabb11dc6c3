"""python -m course_tools validate and leaderboard: output format and exit status; each command has one entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools.bootstrap import percentile_interval
from course_tools.cli import main
from tinytorch.schema import SCHEMA_VERSION

CORPUS = Path(__file__).parent / "submission_corpus"
GOOD = CORPUS / "good" / "alice.json"
BAD = CORPUS / "bad" / "inverted_speedup.json"


def test_valid_file_prints_ok_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(GOOD)]) == 0
    assert capsys.readouterr().out.startswith(f"{GOOD}: ok")


def test_newest_version_prints_ok_without_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newest = tmp_path / "alice.json"
    document = json.loads(GOOD.read_text(encoding="utf-8"))
    document["schema_version"] = "1.4.0"
    interval = percentile_interval(document["improvements"]["speedup_rounds"])
    document["improvements"]["speedup_interval"] = interval.to_dict()
    newest.write_text(json.dumps(document), encoding="utf-8")
    shutil.copyfile(GOOD.with_suffix(".npz"), tmp_path / "alice.npz")
    assert main(["validate", str(newest)]) == 0
    assert capsys.readouterr().out == f"{newest}: ok\n"


def test_valid_older_version_prints_ok_with_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    older = CORPUS / "good" / "frank.json"
    assert json.loads(older.read_text(encoding="utf-8"))["schema_version"] == "1.0.0"
    assert main(["validate", str(older)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{older}: ok (note: schema 1.0.0: ")
    assert "not interleaved rounds" in line and "no model artifact" in line and SCHEMA_VERSION in line


def test_invalid_file_prints_file_path_message_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BAD)]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{BAD}: $.improvements.speedup: speedup ")
    assert line.endswith("[inconsistent-improvement]")


def test_one_line_per_problem_and_any_invalid_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = CORPUS / "bad" / "missing_fields.json"
    assert main(["validate", str(GOOD), str(missing), str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{GOOD}: ok")
    assert [line.split(": ")[1] for line in lines[1:4]] == [
        "$.baseline.metrics.latency_ms_p99",
        "$.improvements",
        "$.optimized.techniques",
    ]
    assert lines[4] == f"{tmp_path}: $: is a directory, not a submission file [not-a-file]"
    assert len(lines) == 5


def test_every_corpus_file_gets_its_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    for relative, codes in expected.items():
        assert main(["validate", str(CORPUS / relative)]) == (1 if codes else 0), relative
    capsys.readouterr()


def test_validate_needs_a_file() -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["validate"])
    assert stopped.value.code == 2


def test_leaderboard_prints_markdown_and_writes_md_and_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    shutil.copytree(CORPUS / "good", folder)
    out = tmp_path / "out"
    assert main(["leaderboard", str(folder), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# Class leaderboard")
    assert "| 1 | alice |" in captured.out
    assert (out / "leaderboard.md").read_text(encoding="utf-8") + "\n" == captured.out
    assert (out / "leaderboard.png").read_bytes().startswith(b"\x89PNG")
    assert str(out / "leaderboard.png") in captured.err


def test_leaderboard_defaults_to_writing_into_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["leaderboard", str(tmp_path)]) == 0
    assert "No submission files" in capsys.readouterr().out
    assert (tmp_path / "leaderboard.md").exists() and (tmp_path / "leaderboard.png").exists()


def test_leaderboard_of_a_missing_folder_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["leaderboard", str(tmp_path / "nowhere")]) == 1
    assert "not an existing directory" in capsys.readouterr().err


def test_leaderboard_output_that_cannot_be_written_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    assert main(["leaderboard", str(tmp_path), "--out", str(blocker)]) == 1
    assert "cannot write the leaderboard" in capsys.readouterr().err


def test_module_entry_point_runs_as_a_program() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "course_tools", "validate", str(GOOD), str(BAD)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout.splitlines()[0].startswith(f"{GOOD}: ok")
    assert "[inconsistent-improvement]" in completed.stdout


def test_the_submission_commands_have_no_second_program() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "course_tools.submissions", "validate", str(GOOD)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0 and "No module named course_tools.submissions.__main__" in completed.stderr


# Runs `python -m course_tools ARGS` in this interpreter and prints the heavy packages it loaded.
_LOADED_PROBE = """
import json, runpy, sys
sys.argv = ["course_tools", *sys.argv[1:]]
try:
    runpy.run_module("course_tools", run_name="__main__")
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules if sys.modules[name] is not None})))
"""


def _loaded(*args: str) -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-c", _LOADED_PROBE, *args], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(completed.stdout.strip().splitlines()[-1]))


def test_validate_starts_without_nbgrader_matplotlib_or_the_iri_grammar() -> None:
    loaded = _loaded("validate", str(GOOD))
    assert "course_tools" in loaded and "jsonschema" in loaded  # control: the probe sees imports
    assert not loaded & {"nbgrader", "matplotlib", "nbclient", "rfc3987_syntax"}


def test_leaderboard_loads_matplotlib_for_its_plot_but_never_nbgrader(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "alice.json")
    loaded = _loaded("leaderboard", str(tmp_path))
    assert "matplotlib" in loaded and "nbgrader" not in loaded
    assert (tmp_path / "leaderboard.png").is_file()
