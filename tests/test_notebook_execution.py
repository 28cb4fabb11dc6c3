"""The source notebook runs top to bottom in a fresh kernel with no error (nbval), from a copy so
that the `submission.json` it writes never lands in source/."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from course_tools.facts import ASSIGNMENT_ID, NOTEBOOK_ID

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "source" / ASSIGNMENT_ID / f"{NOTEBOOK_ID}.ipynb"


def test_source_notebook_runs_clean_under_nbval(tmp_path):
    source_files_before = sorted(path.name for path in NOTEBOOK.parent.iterdir())
    copy = tmp_path / "capstone.ipynb"
    shutil.copy(NOTEBOOK, copy)
    env = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
         "-q", "--rootdir", str(tmp_path), str(copy)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout

    submission = json.loads((tmp_path / "submission.json").read_text(encoding="utf-8"))
    assert submission["optimized"]["model_name"] == "pruned-int8"
    improvements = submission["improvements"]
    assert improvements["speedup"] > 1.0 and improvements["compression"] > 1.0
    assert abs(improvements["accuracy_delta"]) <= 0.01
    assert sorted(path.name for path in NOTEBOOK.parent.iterdir()) == source_files_before, "the run wrote into source/"
