"""Technique ids: the fixed vocabulary of the schema, and the ids a submission's techniques name.

Since schema 1.2.0 a technique is an object ``{"id": ..., "detail": ...}`` with an id from
``TECHNIQUE_IDS`` (the schema's ``$defs/technique_id``). A text label (every technique before
1.2.0, still valid) is read through one fixed table: the label is lower-cased with its runs of
spaces written as one ``-``; if that is an id, or a key of ``LABEL_IDS`` (labels the course's
notebooks have written), it names that id; any other label is ``other``. Nothing is guessed from
parts of words, so a label reads the same for every student.
"""

from __future__ import annotations

from typing import Any

from tinytorch.schema import load_submission_schema

TECHNIQUE_IDS: tuple[str, ...] = tuple(load_submission_schema()["$defs"]["technique_id"]["enum"])
OTHER = "other"
LABEL_IDS: dict[str, str] = {
    "structured-neuron-pruning": "structured-pruning",
    "neuron-pruning": "structured-pruning",
    "int8": "int8-quantization",
    "int8-weight-quantization": "int8-quantization",
    "fp16": "fp16-storage",
    "fp16-quantization": "fp16-storage",
    "half-precision": "fp16-storage",
    "fine-tune": "fine-tuning",
    "finetuning": "fine-tuning",
}


def label_id(label: str) -> str:
    """The id a text label names (module docstring), ``other`` when the table does not know it."""
    key = "-".join(label.casefold().split())
    if key in TECHNIQUE_IDS:
        return key
    return LABEL_IDS.get(key, OTHER)


def technique_id(item: Any) -> str | None:
    """The id of one technique entry (object or label); ``None`` for a value of neither shape."""
    if isinstance(item, dict):
        value = item.get("id")
        return value if isinstance(value, str) and value in TECHNIQUE_IDS else None
    if isinstance(item, str) and item.strip():
        return label_id(item)
    return None


def technique_ids(techniques: Any) -> list[str] | None:
    """The ids of a ``techniques`` list in order; ``None`` when it is not a usable list."""
    if not isinstance(techniques, list) or not techniques:
        return None
    ids = [technique_id(item) for item in techniques]
    return None if any(value is None for value in ids) else [value for value in ids if value is not None]


def technique_text(item: Any) -> str:
    """One technique for people: ``id (detail)`` for an object, the label itself for text."""
    if isinstance(item, dict):
        detail = item.get("detail")
        return f"{item.get('id')} ({detail})" if detail else str(item.get("id"))
    return str(item)
