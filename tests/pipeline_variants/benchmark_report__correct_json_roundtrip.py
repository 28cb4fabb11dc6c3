import json
import time
from datetime import datetime, timezone

import numpy as np


class BenchmarkReport:
    """Report whose to_dict goes through JSON, with an offset-style UTC timestamp."""

    def __init__(self, model_name: str = "model"):
        self.model_name = model_name
        self.metrics: dict = {}
        self.system_info = self._get_system_info()
        self.timestamp = datetime.now(tz=timezone.utc).isoformat(timespec="seconds")
        self.latencies_ms = None
        self.round_p50s_ms = None

    def _get_system_info(self) -> dict:
        return get_system_info()

    def benchmark_model(self, model, X, y, batch_size: int = 1, precision: str = "fp32", warmup: int = 10,
                        runs: int = 50, rounds: int = 7, pause_s: float = 0.05, bursts: int = 5,
                        burst_runs: int = 10) -> dict:
        x = X[:batch_size]
        per_round = [measure_latency(model, x, warmup, runs)]
        rates = [measure_throughput(model, x, 0, burst_runs) for _ in range(bursts)]
        while len(per_round) < rounds:
            time.sleep(pause_s)
            per_round.append(measure_latency(model, x, 0, runs))
            rates.extend(measure_throughput(model, x, 0, burst_runs) for _ in range(bursts))
        self.latencies_ms = np.concatenate(per_round)
        self.round_p50s_ms = np.array([latency_stats(samples)["p50"] for samples in per_round])
        summary = latency_stats(self.latencies_ms)
        summary["p50"] = np.median(self.round_p50s_ms)
        params = count_parameters(model)
        self.metrics.clear()
        self.metrics["parameter_count"] = int(params)
        self.metrics["model_size_mb"] = float(model_size_mb(params, precision=precision))
        self.metrics["stored_bytes"] = model.stored_nbytes()
        self.metrics["precision"] = str(precision)
        self.metrics["batch_size"] = int(batch_size)
        self.metrics["accuracy"] = float(measure_accuracy(model, X, y))
        for name in ("mean", "std", "p50", "p90", "p95", "p99"):
            self.metrics["latency_ms_" + name] = float(summary[name])
        self.metrics["throughput_samples_per_sec"] = float(np.percentile(rates, 100))
        self.metrics["peak_memory_mb"] = float(measure_peak_memory_mb(model, x))
        self.metrics["latency_ms_round_p50s"] = self.round_p50s_ms.tolist()
        self.metrics["latency_p50_spread"] = float(np.ptp(self.round_p50s_ms) / summary["p50"])
        return self.metrics

    def to_dict(self) -> dict:
        return json.loads(json.dumps({
            "model_name": self.model_name,
            "timestamp": self.timestamp,
            "system_info": self.system_info,
            "metrics": self.metrics,
        }))
