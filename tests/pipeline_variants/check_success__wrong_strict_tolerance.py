def check_success(submission: dict, accuracy_tolerance: float = 0.01) -> dict:
    """Off by a boundary: |delta| < tolerance rejects a delta of exactly the tolerance."""
    imp = submission["improvements"]
    result = {
        "speedup": bool(imp["speedup"] > 1.0),
        "compression": bool(imp["compression"] > 1.0),
        "accuracy": bool(abs(imp["accuracy_delta"]) < accuracy_tolerance),
    }
    result["all"] = all(result.values())
    return result
