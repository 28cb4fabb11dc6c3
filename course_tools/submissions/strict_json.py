"""Read a submission file as strict JSON, without trusting its size, encoding or content.

Strict means RFC 8259 JSON in UTF-8 (a leading byte order mark is tolerated): no ``NaN`` or
``Infinity`` tokens (Python's ``json`` accepts them by default), no number that overflows a
float (``1e999``), no object that repeats a key. The size is checked with ``stat`` before the
file is opened, and at most ``MAX_FILE_BYTES + 1`` bytes are ever read, so a huge file or a
device cannot exhaust memory; non-regular files (directories, FIFOs, devices) are refused
before they are opened, so reading never blocks.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from course_tools.submissions.problems import Problem, json_path, show

MAX_FILE_BYTES = 1024 * 1024
"""Size cap of a submission file in bytes (1 MiB; a real submission is about 3 KB)."""


class _NonFiniteToken:
    """Stands in for a NaN/Infinity token or an overflowing number while parsing, so that the
    walk after parsing can report each one at its JSON path."""

    def __init__(self, token: str) -> None:
        self.token = token


class _KeyRepeatingDict(dict[str, Any]):
    """A JSON object in which some keys occurred more than once (the last value wins)."""

    repeated_keys: list[str]


def read_json_file(path: str | os.PathLike[str]) -> tuple[Any, list[Problem]]:
    """Load one submission file. Returns ``(document, [])`` or ``(None, problems)``."""
    file_path = Path(path)
    try:
        status = file_path.stat()
    except FileNotFoundError:
        return None, [Problem("$", "not-found", "no such file")]
    except OSError as error:
        return None, [Problem("$", "unreadable", f"cannot inspect the file: {error.strerror or error}")]
    if stat.S_ISDIR(status.st_mode):
        return None, [Problem("$", "not-a-file", "is a directory, not a submission file")]
    if not stat.S_ISREG(status.st_mode):
        return None, [Problem("$", "not-a-file", "is not a regular file (a FIFO, socket or device)")]
    if status.st_size > MAX_FILE_BYTES:
        return None, [_too_large(status.st_size)]
    try:
        with open(file_path, "rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, [Problem("$", "unreadable", f"cannot read the file: {error.strerror or error}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(len(raw))]
    return parse_json_bytes(raw)


def _too_large(size_bytes: int) -> Problem:
    return Problem(
        "$",
        "too-large",
        f"file is {size_bytes:,} bytes, over the {MAX_FILE_BYTES:,}-byte cap (a submission is a few KB); not read",
    )


def parse_json_bytes(raw: bytes) -> tuple[Any, list[Problem]]:
    """Decode UTF-8 bytes and parse them as strict JSON."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        hint = ""
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = " (it looks like UTF-16: save it as UTF-8)"
        return None, [
            Problem(
                "$",
                "encoding",
                f"not UTF-8 text: byte 0x{raw[error.start]:02x} at offset {error.start} is invalid{hint}",
            )
        ]
    return parse_json_text(text)


def parse_json_text(text: str) -> tuple[Any, list[Problem]]:
    """Parse strict JSON text; NaN/Infinity, overflowing numbers and repeated keys are problems."""
    try:
        document = json.loads(
            text,
            parse_constant=_NonFiniteToken,
            parse_float=_finite_float_or_token,
            object_pairs_hook=_object_from_pairs,
        )
    except json.JSONDecodeError as error:
        return None, [
            Problem("$", "not-json", f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}")
        ]
    except RecursionError:
        return None, [Problem("$", "not-json", "JSON nested too deeply to parse")]
    except ValueError as error:
        # e.g. an integer literal longer than Python's 4300-digit conversion limit
        return None, [Problem("$", "not-json", f"invalid JSON: {error}")]
    problems = list(_strictness_problems(document))
    if problems:
        return None, problems
    return document, []


def _finite_float_or_token(literal: str) -> float | _NonFiniteToken:
    value = float(literal)
    return value if math.isfinite(value) else _NonFiniteToken(literal)


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) == len(keys):
        return dict(pairs)
    result = _KeyRepeatingDict(pairs)
    seen: set[str] = set()
    result.repeated_keys = []
    for key in keys:
        if key in seen and key not in result.repeated_keys:
            result.repeated_keys.append(key)
        seen.add(key)
    return result


def _strictness_problems(document: Any) -> Iterator[Problem]:
    for parts, value in walk(document):
        if isinstance(value, _NonFiniteToken):
            yield Problem(
                json_path(parts),
                "non-finite-number",
                f"{show(value.token)} is not a finite JSON number (strict JSON has no NaN or Infinity)",
            )
        elif isinstance(value, _KeyRepeatingDict):
            for key in value.repeated_keys:
                yield Problem(
                    json_path(parts), "duplicate-key", f"key {show(key)} appears more than once in this object"
                )


def walk(document: Any) -> Iterator[tuple[list[str | int], Any]]:
    """Yield ``(path parts, value)`` for the document and every value nested in it, depth first,
    without recursion (so any depth the JSON parser accepted is safe)."""
    stack: list[tuple[list[str | int], Any]] = [([], document)]
    while stack:
        parts, value = stack.pop()
        yield parts, value
        if isinstance(value, dict):
            children = [(parts + [key], child) for key, child in value.items()]
        elif isinstance(value, list):
            children = [(parts + [index], child) for index, child in enumerate(value)]
        else:
            continue
        stack.extend(reversed(children))
