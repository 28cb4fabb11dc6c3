"""The source notebook runs top to bottom in a fresh kernel with no error (nbval), from a copy so
that the `submission.json` and `model.npz` it writes never land in source/; the course's
`validate` accepts the submission and `reproduce` confirms its claim from the artifact. The copy
sets `SUBMITTER`, as a student must: with the placeholder the notebook saves nothing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID
from course_tools.samples import with_settings
from tinytorch import file_sha256

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"


def test_source_notebook_runs_clean_under_nbval(tmp_path):
    source_files_before = sorted(path.name for path in NOTEBOOK.parent.iterdir())
    copy = tmp_path / "capstone.ipynb"
    nbformat.write(with_settings(nbformat.read(NOTEBOOK, as_version=4), {"SUBMITTER": '"nbval-run"'}), copy)
    env = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
         "-q", "--rootdir", str(tmp_path), str(copy)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout

    submission = json.loads((tmp_path / "submission.json").read_text(encoding="utf-8"))
    artifact = submission["optimized"]["artifact"]
    assert artifact["file"] == "model.npz" and artifact["recipe"] == {
        "keep_ratio": 0.5, "fine_tune_epochs": 4, "precision": "int8"}, artifact
    assert artifact["sha256"] == file_sha256(tmp_path / "model.npz")
    assert submission["optimized"]["model_name"] == "keep0.5-ft4-int8" and submission["submitter"] == "nbval-run"
    for report in ("baseline", "optimized"):
        metrics = submission[report]["metrics"]
        assert metrics["stored_bytes"] >= metrics["model_size_mb"] * 1024**2, metrics
    assert [technique["id"] for technique in submission["optimized"]["techniques"]] == [
        "structured-pruning", "fine-tuning", "int8-quantization"]
    improvements = submission["improvements"]
    assert improvements["compression"] > 1.0 and abs(improvements["accuracy_delta"]) <= 0.01
    assert sorted(path.name for path in NOTEBOOK.parent.iterdir()) == source_files_before, "the run wrote into source/"

    pool = tmp_path / "pool" / "reference"
    pool.mkdir(parents=True)
    for name in ("submission.json", "model.npz"):
        shutil.copy(tmp_path / name, pool / name)
    checked = subprocess.run([sys.executable, "-m", "course_tools", "validate", str(pool / "submission.json")],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    remeasured = subprocess.run([sys.executable, "-m", "course_tools", "reproduce", str(pool.parent)],
                                cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert remeasured.returncode == 0, remeasured.stdout + remeasured.stderr
    verdicts = json.loads((pool.parent / "reproduced.json").read_text(encoding="utf-8"))["submissions"]
    assert [entry["verdict"] for entry in verdicts] == ["reproduced"], verdicts
