"""The submission JSON Schema shipped in tinytorch: well-formed, versioned, strict, documented."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import tinytorch
from tinytorch.schema import BYTES_PER_MB, BYTES_PER_PARAMETER, SCHEMA_VERSION, load_submission_schema

CORPUS = Path(__file__).parent / "submission_corpus"
UNIT_WORDS = re.compile(
    r"\b(ms|MB|bytes?|samples per second|fraction|count|ratio|x|percentage point|processes|minute)\b"
)

INFO = {
    "platform": "Linux-6.1.0-x86_64-with-glibc2.36",
    "python_version": "3.11.7",
    "numpy_version": "1.26.4",
    "machine": "x86_64",
    "processor": "",
    "cpu_count": 4,
    "load_average": 0.3,
}


def _metrics(parameters: int, precision: str, size_mb: float, p50: float, accuracy: float) -> dict[str, Any]:
    return {
        "parameter_count": parameters,
        "model_size_mb": size_mb,
        "precision": precision,
        "batch_size": 1,
        "accuracy": accuracy,
        "latency_ms_mean": p50 * 1.05,
        "latency_ms_std": p50 * 0.1,
        "latency_ms_p50": p50,
        "latency_ms_p90": p50 * 1.1,
        "latency_ms_p95": p50 * 1.2,
        "latency_ms_p99": p50 * 1.6,
        "throughput_samples_per_sec": 1000 / (p50 * 1.05),
        "peak_memory_mb": 0.02,
        "latency_ms_round_p50s": [p50 * 0.98, p50, p50 * 1.1],
        "latency_p50_spread": 0.12,
    }


def hand_built_submission() -> dict[str, Any]:
    """Written here field by field (not by the corpus script) so the two cross-check."""
    baseline = _metrics(1_127_434, "fp32", 1_127_434 * BYTES_PER_PARAMETER["fp32"] / BYTES_PER_MB, 0.3, 0.9778)
    optimized = _metrics(85_002, "int8", 85_002 * BYTES_PER_PARAMETER["int8"] / BYTES_PER_MB, 0.06, 0.9722)
    return {
        "schema_version": "1.1.0",
        "submitter": "ada",
        "timestamp": "2026-03-01T12:00:02.5+00:00",
        "system_info": dict(INFO, blas_threads=1),
        "baseline": {
            "model_name": "baseline",
            "timestamp": "2026-03-01T12:00:00Z",
            "system_info": dict(INFO),
            "metrics": baseline,
        },
        "optimized": {
            "model_name": "pruned-int8",
            "timestamp": "2026-03-01T12:00:01Z",
            "system_info": dict(INFO),
            "metrics": optimized,
            "techniques": ["structured pruning", "int8 quantization"],
        },
        "improvements": {
            "speedup": 5.1,
            "speedup_method": "interleaved_rounds",
            "speedup_rounds": [4.9, 5.1, 5.2],
            "compression": baseline["model_size_mb"] / optimized["model_size_mb"],
            "accuracy_delta": 0.9722 - 0.9778,
        },
    }


def schema_errors(document: Any) -> list[jsonschema.ValidationError]:
    validator = jsonschema.Draft202012Validator(
        load_submission_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return list(validator.iter_errors(document))


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_submission_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_is_versioned() -> None:
    schema = load_submission_schema()
    assert SCHEMA_VERSION == "1.3.0"
    assert SCHEMA_VERSION in schema["$id"]
    assert schema["properties"]["schema_version"]["enum"][:4] == ["1.0.0", "1.1.0", "1.2.0", SCHEMA_VERSION], (
        "older minor versions stay valid"
    )
    assert "schema_version" in schema["required"]


def test_loader_returns_a_fresh_copy_each_call() -> None:
    first = load_submission_schema()
    first["properties"].clear()
    second = load_submission_schema()
    assert second["properties"], "mutating one copy must not affect the next"
    assert second is not load_submission_schema()


def test_tinytorch_reexports_the_loader() -> None:
    assert tinytorch.SCHEMA_VERSION == SCHEMA_VERSION
    assert tinytorch.load_submission_schema() == load_submission_schema()


def test_schema_file_is_declared_package_data() -> None:
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"schema/*.json"' in pyproject


def _object_schemas(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append((path, node))
        for key, child in node.items():
            found.extend(_object_schemas(child, f"{path}/{key}"))
    return found


def test_every_object_forbids_extra_properties_except_system_info_scalars() -> None:
    objects = _object_schemas(load_submission_schema())
    assert len(objects) >= 6
    for path, node in objects:
        if path.endswith("/system_info"):
            assert node["additionalProperties"]["type"] == ["string", "number", "boolean", "null"], path
        else:
            assert node.get("additionalProperties") is False, f"{path} must set additionalProperties: false"


def _properties(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            found.append((f"{path}/properties/{name}", child))
        for key, child in node.items():
            found.extend(_properties(child, f"{path}/{key}"))
    return found


def test_every_field_is_described_and_numbers_state_their_unit() -> None:
    schema = load_submission_schema()
    properties = _properties(schema)
    assert len(properties) >= 35
    for path, node in properties:
        description = node.get("description", "")
        assert description.strip(), f"{path} has no description"
        resolved = schema["$defs"][node["$ref"].split("/")[-1]] if "$ref" in node else node
        types = resolved.get("type", [])
        if {"number", "integer"} & set([types] if isinstance(types, str) else types):
            assert UNIT_WORDS.search(description), f"{path}: description states no unit: {description!r}"


def test_metrics_and_report_are_defs() -> None:
    defs = load_submission_schema()["$defs"]
    assert {"metrics", "report", "optimized_report", "system_info", "techniques"} <= set(defs)
    assert len(defs["metrics"]["required"]) == 13


def test_hand_built_submission_validates() -> None:
    assert schema_errors(hand_built_submission()) == []


def test_a_1_0_0_document_without_rounds_still_validates() -> None:
    document = hand_built_submission()
    document["schema_version"] = "1.0.0"
    for key in ("speedup_method", "speedup_rounds"):
        del document["improvements"][key]
    for role in ("baseline", "optimized"):
        for key in ("latency_ms_round_p50s", "latency_p50_spread"):
            del document[role]["metrics"][key]
    assert schema_errors(document) == []


@pytest.mark.parametrize("name", sorted(path.name for path in (CORPUS / "good").glob("*.json")))
def test_good_corpus_validates_against_the_schema_alone(name: str) -> None:
    assert schema_errors(json.loads((CORPUS / "good" / name).read_text(encoding="utf-8"))) == []


def _edit(path: str, value: Any = None, delete: bool = False) -> dict[str, Any]:
    document = copy.deepcopy(hand_built_submission())
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if delete:
        del target[last]
    else:
        target[last] = value
    return document


VIOLATIONS = {
    "missing improvements": (_edit("improvements", delete=True), "required"),
    "missing metric": (_edit("baseline.metrics.latency_ms_p99", delete=True), "required"),
    "extra top-level field": (_edit("notes", "hi"), "additionalProperties"),
    "extra metric": (_edit("optimized.metrics.latency_ms_p999", 1.0), "additionalProperties"),
    "extra improvement": (_edit("improvements.energy", 1.0), "additionalProperties"),
    "nested system_info extra": (_edit("system_info.blas", {"threads": 1}), "type"),
    "string parameter count": (_edit("baseline.metrics.parameter_count", "1.1M"), "type"),
    "fractional parameter count": (_edit("baseline.metrics.parameter_count", 1.5), "type"),
    "boolean batch size": (_edit("baseline.metrics.batch_size", True), "type"),
    "unknown precision": (_edit("optimized.metrics.precision", "int4"), "enum"),
    "zero latency": (_edit("optimized.metrics.latency_ms_p50", 0), "exclusiveMinimum"),
    "negative std": (_edit("optimized.metrics.latency_ms_std", -0.1), "minimum"),
    "accuracy in percent": (_edit("baseline.metrics.accuracy", 97.78), "maximum"),
    "zero speedup": (_edit("improvements.speedup", 0), "exclusiveMinimum"),
    "absurd parameter count": (_edit("baseline.metrics.parameter_count", 10**400), "maximum"),
    "zero cpu count": (_edit("system_info.cpu_count", 0), "minimum"),
    "negative load": (_edit("system_info.load_average", -1.0), "minimum"),
    "naive timestamp": (_edit("timestamp", "2026-03-01T12:00:00"), "pattern"),
    "non-UTC timestamp": (_edit("baseline.timestamp", "2026-03-01T13:00:00+01:00"), "pattern"),
    "empty submitter": (_edit("submitter", ""), "minLength"),
    "blank submitter": (_edit("submitter", "  "), "pattern"),
    "empty techniques": (_edit("optimized.techniques", []), "minItems"),
    "repeated techniques": (_edit("optimized.techniques", ["int8", "int8"]), "uniqueItems"),
    "empty technique": (_edit("optimized.techniques", [""]), "minLength"),
    "techniques on baseline": (_edit("baseline.techniques", ["int8"]), "additionalProperties"),
    "other schema version": (_edit("schema_version", "2.0.0"), "enum"),
    "unknown speedup method": (_edit("improvements.speedup_method", "best_of_five"), "enum"),
    "interleaved without rounds": (_edit("improvements.speedup_rounds", None), "type"),
    "zero round speedup": (_edit("improvements.speedup_rounds", [5.0, 0.0, 5.1]), "exclusiveMinimum"),
    "empty round p50s": (_edit("baseline.metrics.latency_ms_round_p50s", []), "minItems"),
    "negative spread": (_edit("optimized.metrics.latency_p50_spread", -0.1), "minimum"),
    "not an object": ([hand_built_submission()], "type"),
}


@pytest.mark.parametrize("label", sorted(VIOLATIONS))
def test_each_kind_of_violation_is_caught(label: str) -> None:
    document, keyword = VIOLATIONS[label]
    keywords = {error.validator for error in schema_errors(document)}
    assert keyword in keywords, f"{label}: expected a {keyword!r} error, got {keywords}"


def test_all_violations_are_reported_not_only_the_first() -> None:
    document = _edit("notes", "x")
    document["improvements"]["speedup"] = "fast"
    document["baseline"]["metrics"]["accuracy"] = 2.0
    assert len(schema_errors(document)) == 3


def test_the_precisions_are_those_whose_bytes_the_tools_know():
    precision = load_submission_schema()["$defs"]["metrics"]["properties"]["precision"]
    assert precision["enum"] == list(BYTES_PER_PARAMETER)
    for name, size in BYTES_PER_PARAMETER.items():
        assert f"{name} ({size} byte" in precision["description"]
