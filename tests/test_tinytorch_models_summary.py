"""benchmarks/models_summary.py: the table's structure and its size figures (no timing asserted)."""

import importlib.util
import sys
from pathlib import Path

import pytest

from tinytorch import MODEL_NAMES

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "models_summary.py"


@pytest.fixture(scope="module")
def summary():
    spec = importlib.util.spec_from_file_location("models_summary", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_rows_cover_every_model_with_consistent_sizes(summary):
    rows, context = summary.collect(runs=3, rounds=1, warmup=1)
    by_name = {row.model: row for row in rows}
    assert list(by_name) == list(MODEL_NAMES)
    assert by_name["baseline"].speedup == 1.0 and by_name["baseline"].compression == 1.0
    assert by_name["int8"].compression == pytest.approx(4.0)
    assert by_name["pruned-int8"].compression >= 10
    assert by_name["magnitude-90"].compression == 1.0
    assert by_name["magnitude-90"].zero_fraction == pytest.approx(0.9, abs=1e-3)
    for row in rows:
        assert row.size_mb == pytest.approx(row.params * (1 if row.precision == "int8" else 4) / 1024**2)
        assert row.p50_min_ms <= row.p50_ms <= row.p50_max_ms
        assert row.p50_ms > 0
    assert context["batch_size"] == 1 and context["rounds"] == 1
    table = summary.format_table(rows)
    assert table.count("\n") == len(rows) + 1
    assert "pruned-int8" in table
