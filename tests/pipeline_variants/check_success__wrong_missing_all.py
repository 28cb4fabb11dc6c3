def check_success(submission: dict, accuracy_tolerance: float = 0.01) -> dict:
    """Missing key: no 'all'."""
    imp = submission["improvements"]
    return {
        "speedup": bool(imp["speedup"] > 1.0),
        "compression": bool(imp["compression"] > 1.0),
        "accuracy": bool(abs(imp["accuracy_delta"]) <= accuracy_tolerance),
    }
