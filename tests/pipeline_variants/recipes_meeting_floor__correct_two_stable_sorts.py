from operator import itemgetter


def recipes_meeting_floor(results: list, baseline_accuracy: float, tolerance: float = 0.01) -> list:
    """Filter by the accuracy lost; then two stable sorts, the tie-breaker first."""
    meeting = list(filter(lambda r: baseline_accuracy - r["accuracy"] <= tolerance, results))
    by_latency = sorted(meeting, key=itemgetter("latency_ms_p50"))
    return sorted(by_latency, key=itemgetter("model_size_mb"))
