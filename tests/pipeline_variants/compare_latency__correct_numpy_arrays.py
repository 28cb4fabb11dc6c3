import time

import numpy as np


def compare_latency(fn_a, fn_b, x, rounds: int = 41, runs: int = 30, warmup: int = 10, pause_s: float = 0.15) -> dict:
    """Round p50s collected in a (rounds, 2) array; ratios and spread computed with numpy."""
    if min(rounds, runs) < 1:
        raise ValueError(f"need at least one round of at least one run, got rounds={rounds}, runs={runs}")
    functions = (fn_a, fn_b)
    for fn in functions:
        for _ in range(warmup):
            fn(x)
    p50s = np.zeros((rounds, 2))
    for r in range(rounds):
        if r > 0:
            time.sleep(pause_s)
        for column in ((0, 1) if r % 2 == 0 else (1, 0)):
            p50s[r, column] = np.percentile(measure_latency(functions[column], x, warmup=0, runs=runs), 50)
    ratios = p50s[:, 0] / p50s[:, 1]
    speedup = float(np.median(ratios))
    return {"rounds": int(rounds), "p50_a_ms": p50s[:, 0].tolist(), "p50_b_ms": p50s[:, 1].tolist(),
            "ratios": ratios.tolist(), "speedup": speedup, "spread": float(np.ptp(ratios) / speedup),
            "interval": None if rounds < 5 else speedup_interval(ratios.tolist())}
