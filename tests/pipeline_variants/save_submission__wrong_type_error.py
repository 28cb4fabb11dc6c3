import json
from pathlib import Path


def save_submission(submission: dict, path):
    """Refuses with TypeError instead of ValueError."""
    problems = validate_submission(submission)
    if problems:
        raise TypeError("invalid submission:\n" + "\n".join(problems))
    Path(path).write_text(json.dumps(submission, indent=2, allow_nan=False), encoding="utf-8")
    return path
