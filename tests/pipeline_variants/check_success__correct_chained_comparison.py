def check_success(submission: dict, accuracy_tolerance: float = 0.01) -> dict:
    """Criteria with a chained comparison for the accuracy band."""
    speedup = submission["improvements"]["speedup"]
    compression = submission["improvements"]["compression"]
    delta = submission["improvements"]["accuracy_delta"]
    faster = speedup > 1
    smaller = compression > 1
    accurate = -accuracy_tolerance <= delta <= accuracy_tolerance
    return {"speedup": faster, "compression": smaller, "accuracy": accurate, "all": faster and smaller and accurate}
