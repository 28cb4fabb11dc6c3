def recipes_meeting_floor(results, baseline_accuracy, tolerance=0.01):
    """A loop that keeps what meets the floor, then list.sort on that new list."""
    floor = baseline_accuracy - tolerance
    kept = []
    for result in results:
        if not result["accuracy"] < floor:
            kept.append(result)
    kept.sort(key=lambda r: (r["model_size_mb"], r["latency_ms_p50"]))
    return kept
