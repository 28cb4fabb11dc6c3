import statistics
import time


def compare_latency(fn_a, fn_b, x, rounds: int = 41, runs: int = 30, warmup: int = 10, pause_s: float = 0.15) -> dict:
    """Interleaved rounds with explicit branches, latency_stats for each p50, statistics.median."""
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    if runs < 1:
        raise ValueError("runs must be at least 1")
    for _ in range(warmup):
        fn_a(x)
    for _ in range(warmup):
        fn_b(x)
    p50_a_ms, p50_b_ms = [], []
    for index in range(rounds):
        if index:
            time.sleep(pause_s)
        if index % 2 == 0:
            a = latency_stats(measure_latency(fn_a, x, warmup=0, runs=runs))["p50"]
            b = latency_stats(measure_latency(fn_b, x, warmup=0, runs=runs))["p50"]
        else:
            b = latency_stats(measure_latency(fn_b, x, warmup=0, runs=runs))["p50"]
            a = latency_stats(measure_latency(fn_a, x, warmup=0, runs=runs))["p50"]
        p50_a_ms.append(float(a))
        p50_b_ms.append(float(b))
    ratios = [a / b for a, b in zip(p50_a_ms, p50_b_ms)]
    speedup = statistics.median(ratios)
    return {"rounds": rounds, "p50_a_ms": p50_a_ms, "p50_b_ms": p50_b_ms, "ratios": ratios,
            "speedup": speedup, "spread": (max(ratios) - min(ratios)) / speedup,
            "interval": speedup_interval(ratios) if len(ratios) >= 5 else None}
