import math

import jsonschema

from tinytorch import load_submission_schema


def validate_submission(submission) -> list:
    """Checks the schema only: inconsistent numbers pass."""
    if not isinstance(submission, dict):
        return [f"submission must be a dict, got {type(submission).__name__}"]
    problems = [
        f"schema: {'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in jsonschema.Draft202012Validator(load_submission_schema()).iter_errors(submission)
    ]
    return problems
