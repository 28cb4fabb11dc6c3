import json
from pathlib import Path


def save_submission(submission: dict, path):
    """Writes NaN/Infinity tokens, which strict JSON does not allow."""
    problems = validate_submission(submission)
    if problems:
        raise ValueError("invalid submission:\n" + "\n".join(problems))
    Path(path).write_text(json.dumps(submission, indent=2), encoding="utf-8")
    return path
