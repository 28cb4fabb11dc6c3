import json


def save_submission(submission: dict, path):
    """Strict JSON text written with open(); problems listed one per line in the error."""
    problems = validate_submission(submission)
    if len(problems) > 0:
        raise ValueError("\n".join(["submission not saved:"] + problems))
    encoded = json.dumps(submission, allow_nan=False, ensure_ascii=False)
    with open(path, "w", encoding="utf-8") as file:
        file.write(encoded)
    return path
