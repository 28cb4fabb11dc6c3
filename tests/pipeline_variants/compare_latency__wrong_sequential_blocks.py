import time

import numpy as np


def compare_latency(fn_a, fn_b, x, rounds: int = 41, runs: int = 30, warmup: int = 10, pause_s: float = 0.15) -> dict:
    """Wrong: every round of fn_a, then every round of fn_b -- the two never share a machine state."""
    if rounds < 1 or runs < 1:
        raise ValueError("rounds and runs must be >= 1")
    p50s = {}
    for name, fn in (("a", fn_a), ("b", fn_b)):
        for _ in range(warmup):
            fn(x)
        p50s[name] = []
        for index in range(rounds):
            if index:
                time.sleep(pause_s)
            p50s[name].append(float(np.median(measure_latency(fn, x, warmup=0, runs=runs))))
    ratios = [a / b for a, b in zip(p50s["a"], p50s["b"])]
    speedup = float(np.median(ratios))
    return {"rounds": rounds, "p50_a_ms": p50s["a"], "p50_b_ms": p50s["b"], "ratios": ratios,
            "speedup": speedup, "spread": (max(ratios) - min(ratios)) / speedup,
            "interval": speedup_interval(ratios) if rounds >= 5 else None}
