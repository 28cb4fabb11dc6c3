import json
from pathlib import Path


def save_submission(submission: dict, path):
    """Writes without validating: invalid submissions are saved."""
    Path(path).write_text(json.dumps(submission, indent=2, allow_nan=False), encoding="utf-8")
    return path
