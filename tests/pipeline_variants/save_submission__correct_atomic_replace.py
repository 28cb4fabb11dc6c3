import json
import os
import tempfile


def save_submission(submission, path):
    """Serialise first, write a temporary file beside the target, then rename it into place."""
    problems = validate_submission(submission)
    if problems:
        raise ValueError(f"refusing to save an invalid submission ({len(problems)} problems): " + "; ".join(problems))
    text = json.dumps(submission, indent=2, sort_keys=True, allow_nan=False)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".json.tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text + "\n")
    os.replace(temporary, path)
    return path
