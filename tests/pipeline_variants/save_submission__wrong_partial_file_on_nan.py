import json
from pathlib import Path


def save_submission(submission: dict, path):
    """Streams into the open file: a NaN leaves a truncated file behind."""
    problems = validate_submission(submission)
    if problems:
        raise ValueError("invalid submission:\n" + "\n".join(problems))
    with open(path, "w", encoding="utf-8") as out:
        json.dump(submission, out, allow_nan=False)
    return path
