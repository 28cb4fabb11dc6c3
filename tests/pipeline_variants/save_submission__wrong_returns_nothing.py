import json
from pathlib import Path


def save_submission(submission: dict, path):
    """Returns None instead of the path."""
    problems = validate_submission(submission)
    if problems:
        raise ValueError("invalid submission:\n" + "\n".join(problems))
    Path(path).write_text(json.dumps(submission, indent=2, allow_nan=False), encoding="utf-8")
    return None
