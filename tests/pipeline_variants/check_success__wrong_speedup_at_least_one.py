def check_success(submission: dict, accuracy_tolerance: float = 0.01) -> dict:
    """Off by a boundary: speedup >= 1.0 counts 'no faster' as success."""
    imp = submission["improvements"]
    result = {
        "speedup": bool(imp["speedup"] >= 1.0),
        "compression": bool(imp["compression"] > 1.0),
        "accuracy": bool(abs(imp["accuracy_delta"]) <= accuracy_tolerance),
    }
    result["all"] = all(result.values())
    return result
