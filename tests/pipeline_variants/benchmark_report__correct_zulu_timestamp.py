import time

import numpy as np


class BenchmarkReport:
    """Report with a 'Z'-suffixed UTC timestamp and metrics assembled from the stats dict."""

    LATENCY_KEYS = ("mean", "std", "p50", "p90", "p95", "p99")

    def __init__(self, model_name="model"):
        self.model_name = model_name
        self.metrics = {}
        self.latencies_ms = None
        self.round_p50s_ms = None
        self.system_info = self._get_system_info()
        self.timestamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def _get_system_info(self):
        return dict(get_system_info())

    def benchmark_model(self, model, X, y, batch_size=1, precision="fp32", warmup=10, runs=50, rounds=7, pause_s=0.05,
                        bursts=5, burst_runs=10):
        batch = X[:batch_size]
        count = int(count_parameters(model))
        rows, rates = [], []
        for r in range(rounds):
            if r:
                time.sleep(pause_s)
            rows.append(np.asarray(measure_latency(model, batch, warmup=0 if r else warmup, runs=runs), dtype=float))
            rates.append([float(measure_throughput(model, batch, warmup=0, runs=burst_runs)) for _ in range(bursts)])
        samples = np.concatenate(rows)
        round_p50s = np.array([float(np.percentile(row, 50)) for row in rows])
        stats = dict(latency_stats(samples), p50=float(np.median(round_p50s)))
        metrics = {"parameter_count": count, "model_size_mb": float(model_size_mb(count, precision)),
                   "stored_bytes": int(model.stored_nbytes()), "precision": precision, "batch_size": int(batch_size),
                   "accuracy": float(measure_accuracy(model, X, y))}
        metrics.update({f"latency_ms_{key}": float(stats[key]) for key in self.LATENCY_KEYS})
        metrics["throughput_samples_per_sec"] = max(max(row) for row in rates)
        metrics["peak_memory_mb"] = float(measure_peak_memory_mb(model, batch))
        metrics["latency_ms_round_p50s"] = [float(v) for v in round_p50s]
        metrics["latency_p50_spread"] = float((round_p50s.max() - round_p50s.min()) / stats["p50"])
        self.round_p50s_ms = round_p50s
        self.latencies_ms = samples
        self.metrics = metrics
        return self.metrics

    def to_dict(self):
        return {"model_name": self.model_name, "timestamp": self.timestamp,
                "system_info": self.system_info, "metrics": self.metrics}
