import math


def check_success(submission, accuracy_tolerance=0.01):
    """Criteria as a dict comprehension over (value, test) pairs, then all()."""
    imp = submission["improvements"]
    tests = {
        "speedup": lambda: imp["speedup"] > 1.0,
        "compression": lambda: imp["compression"] > 1.0,
        "accuracy": lambda: math.fabs(imp["accuracy_delta"]) <= accuracy_tolerance,
    }
    result = {name: bool(test()) for name, test in tests.items()}
    result["all"] = all(result.values())
    return result
