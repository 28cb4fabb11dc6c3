"""`CheckCellMetadataOnce`: nbgrader's ``CheckCellMetadata``, its JSON Schema compiled once per notebook.

nbgrader checks every cell's nbgrader metadata with ``jsonschema.validate``, which first checks the
schema itself against its meta-schema, on every call: for the capstone's cells, twice per
submission (sanitizing, and again after grading), that took about a second of grading one
submission on the course machine. This preprocessor runs nbgrader's own checks (its validator
class, schema and error messages) and validates each cell against the schema checked and
compiled once.
"""

from __future__ import annotations

import traceback
from typing import Any

import jsonschema
from nbformat import NotebookNode
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import CheckCellMetadata


class _CompiledSchema(BaseMetadataValidator):
    """The schema step of nbgrader's per-cell check, with the schema compiled once."""

    _compiled: Any = None

    def validate_cell(self, cell: NotebookNode) -> None:
        metadata = cell.metadata.get("nbgrader")
        if metadata is None or metadata.get("schema_version", 0) != self.schema_version:
            super().validate_cell(cell)  # nbgrader's own outcome: nothing to check, or a version error
            return
        if self._compiled is None:
            validator_class = jsonschema.validators.validator_for(self.schema)
            validator_class.check_schema(self.schema)
            self._compiled = validator_class(self.schema)
        error = jsonschema.exceptions.best_match(self._compiled.iter_errors(metadata))
        if error is not None:
            raise error


class _MetadataValidatorOnce(MetadataValidator, _CompiledSchema):
    """nbgrader's current validator; its call to the base class's per-cell check lands in `_CompiledSchema`."""


class CheckCellMetadataOnce(CheckCellMetadata):
    """nbgrader's ``CheckCellMetadata`` (same checks, log and error) with the schema compiled once."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        try:
            _MetadataValidatorOnce().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            message = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(message)
            raise ValidationError(message) from None
        return nb, resources
