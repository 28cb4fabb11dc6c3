"""Turn JSON Schema violations into ``Problem`` records: every violation, each at its JSON path.

Lower-bound violations of measured quantities (under ``metrics`` or ``improvements``) get the
code ``non-positive``, accuracy bounds ``accuracy-range``, a wrong ``schema_version``
``schema-version``; everything else is ``schema``. Missing and unexpected fields are reported
at the path of the field itself (``$.improvements.speedup``), not of the object holding it.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from typing import Any

# Importing jsonschema compiles an RFC 3987 grammar (about a second of CPU) when the optional
# rfc3987-syntax package is installed (Jupyter installs it), only to check the "iri" formats this
# schema never uses. Unless jsonschema is already loaded, keep that package out: `validate` then
# starts in a fraction of a second. It only removes jsonschema's "iri"/"iri-reference" checks.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from jsonschema import Draft202012Validator  # noqa: E402
from jsonschema.exceptions import ValidationError  # noqa: E402

from course_tools.submissions.problems import Problem, json_path, show
from tinytorch.schema import load_submission_schema

_LOWER_BOUND_KEYWORDS = frozenset({"minimum", "exclusiveMinimum"})
_BOUND_KEYWORDS = _LOWER_BOUND_KEYWORDS | {"maximum", "exclusiveMaximum"}
_MEASURED_SECTIONS = frozenset({"metrics", "improvements"})
_ACCURACY_FIELDS = frozenset({"accuracy", "accuracy_delta"})
_BOUND_WORDS = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}
_REQUIRED_MESSAGE = re.compile(r"^(?P<name>'.*'|\".*\") is a required property$")


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_submission_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problems(document: Any) -> list[Problem]:
    """All schema violations of ``document``, sorted by path, without duplicates."""
    problems: list[Problem] = []
    for error in _validator().iter_errors(document):
        problems.extend(_problems_for(error))
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda problem: problem.path)


def _problems_for(error: ValidationError) -> Iterator[Problem]:
    parts = list(error.absolute_path)
    keyword = error.validator
    instance = error.instance
    if keyword == "required":
        yield from _missing_field_problems(parts, error)
        return
    if keyword == "additionalProperties" and error.validator_value is False and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for key in sorted(set(instance) - allowed, key=str):
            yield Problem(
                json_path(parts + [key]), "schema", "unexpected field: this schema version allows no extra fields here"
            )
        return
    path = json_path(parts)
    described = _described(error.schema)
    if keyword == "type":
        yield Problem(
            path,
            "schema",
            f"expected {_expected_types(error.validator_value)}, got {_json_type(instance)} {show(instance)}{described}",
        )
    elif keyword in ("const", "enum") and parts == ["schema_version"]:
        supported = error.validator_value if keyword == "enum" else [error.validator_value]
        yield Problem(
            path,
            "schema-version",
            f"schema_version {show(instance)} is not supported: this tool validates versions "
            f"{', '.join(show(version) for version in supported)}",
        )
    elif keyword in _BOUND_KEYWORDS:
        yield Problem(
            path,
            _bound_code(parts, keyword),
            f"{show(instance)} must be {_BOUND_WORDS[keyword]} {error.validator_value}{described}",
        )
    elif keyword == "enum":
        yield Problem(
            path,
            "schema",
            f"{show(instance)} is not one of {', '.join(show(choice) for choice in error.validator_value)}",
        )
    elif keyword in ("format", "pattern") and parts[-1:] == ["timestamp"]:
        yield Problem(
            path,
            "schema",
            f"{show(instance)} is not an ISO 8601 date-time in UTC, e.g. 2026-03-01T12:00:00.123456+00:00",
        )
    elif keyword == "pattern":
        yield Problem(path, "schema", f"{show(instance)} must contain a non-whitespace character")
    elif keyword == "minLength":
        yield Problem(path, "schema", f"must not be empty{described}")
    elif keyword == "minItems":
        yield Problem(path, "schema", f"must list at least {error.validator_value} item(s){described}")
    elif keyword == "uniqueItems":
        yield Problem(path, "schema", f"items must be unique, got {show(instance)}")
    elif keyword in ("maxLength", "maxItems", "maxProperties"):
        yield Problem(path, "schema", f"too long: at most {error.validator_value} {_unit_of(keyword)} allowed")
    else:
        yield Problem(path, "schema", _one_line(error.message))


def _missing_field_problems(parts: list[str | int], error: ValidationError) -> Iterator[Problem]:
    match = _REQUIRED_MESSAGE.match(error.message)
    instance = error.instance if isinstance(error.instance, dict) else {}
    if match:
        names = [match.group("name")[1:-1]]
    else:
        names = [name for name in error.validator_value if name not in instance]
    for name in names:
        yield Problem(json_path(parts + [name]), "schema", "required field is missing")


def _bound_code(parts: list[str | int], keyword: str) -> str:
    if parts and parts[-1] in _ACCURACY_FIELDS:
        return "accuracy-range"
    if keyword in _LOWER_BOUND_KEYWORDS and _MEASURED_SECTIONS.intersection(str(part) for part in parts):
        return "non-positive"
    return "schema"


def _described(subschema: Any) -> str:
    """The field's description (it states the unit) for scalar fields; objects and arrays have
    descriptions too long for a one-line message."""
    if not isinstance(subschema, dict) or subschema.get("type") in ("object", "array"):
        return ""
    description = subschema.get("description")
    return f" ({description.rstrip('.')})" if isinstance(description, str) and description else ""


def _expected_types(types: str | list[str]) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(names)


# Python type -> JSON Schema type name; bool before int, since a bool is an int in Python.
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (type(None), "null"),
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def _json_type(value: Any) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), type(value).__name__)


def _unit_of(keyword: str) -> str:
    return {"maxLength": "characters", "maxItems": "items", "maxProperties": "fields"}[keyword]


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
