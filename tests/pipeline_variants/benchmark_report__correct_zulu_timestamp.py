import time

import numpy as np


class BenchmarkReport:
    """Report with a 'Z'-suffixed UTC timestamp and metrics assembled from the stats dict."""

    LATENCY_KEYS = ("mean", "std", "p50", "p90", "p95", "p99")

    def __init__(self, model_name="model"):
        self.model_name = model_name
        self.metrics = {}
        self.latencies_ms = None
        self.system_info = self._get_system_info()
        self.timestamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def _get_system_info(self):
        return dict(get_system_info())

    def benchmark_model(self, model, X, y, batch_size=1, precision="fp32", warmup=10, runs=100):
        batch = X[:batch_size]
        count = int(count_parameters(model))
        samples = np.asarray(measure_latency(model, batch, warmup=warmup, runs=runs), dtype=float)
        stats = latency_stats(samples)
        metrics = {"parameter_count": count, "model_size_mb": float(model_size_mb(count, precision)),
                   "precision": precision, "batch_size": int(batch_size),
                   "accuracy": float(measure_accuracy(model, X, y))}
        metrics.update({f"latency_ms_{key}": float(stats[key]) for key in self.LATENCY_KEYS})
        metrics["throughput_samples_per_sec"] = float(measure_throughput(model, batch))
        metrics["peak_memory_mb"] = float(measure_peak_memory_mb(model, batch))
        self.latencies_ms = samples
        self.metrics = metrics
        return self.metrics

    def to_dict(self):
        return {"model_name": self.model_name, "timestamp": self.timestamp,
                "system_info": self.system_info, "metrics": self.metrics}
