import json
from datetime import datetime, timezone


class BenchmarkReport:
    """Report whose to_dict goes through JSON, with an offset-style UTC timestamp."""

    def __init__(self, model_name: str = "model"):
        self.model_name = model_name
        self.metrics: dict = {}
        self.system_info = self._get_system_info()
        self.timestamp = datetime.now(tz=timezone.utc).isoformat(timespec="seconds")
        self.latencies_ms = None

    def _get_system_info(self) -> dict:
        return get_system_info()

    def benchmark_model(self, model, X, y, batch_size: int = 1, precision: str = "fp32",
                        warmup: int = 10, runs: int = 100) -> dict:
        x = X[:batch_size]
        self.latencies_ms = measure_latency(model, x, warmup, runs)
        summary = latency_stats(self.latencies_ms)
        params = count_parameters(model)
        self.metrics.clear()
        self.metrics["parameter_count"] = int(params)
        self.metrics["model_size_mb"] = float(model_size_mb(params, precision=precision))
        self.metrics["precision"] = str(precision)
        self.metrics["batch_size"] = int(batch_size)
        self.metrics["accuracy"] = float(measure_accuracy(model, X, y))
        for name in ("mean", "std", "p50", "p90", "p95", "p99"):
            self.metrics["latency_ms_" + name] = float(summary[name])
        self.metrics["throughput_samples_per_sec"] = float(measure_throughput(model, x, warmup=3, runs=20))
        self.metrics["peak_memory_mb"] = float(measure_peak_memory_mb(model, x))
        return self.metrics

    def to_dict(self) -> dict:
        return json.loads(json.dumps({
            "model_name": self.model_name,
            "timestamp": self.timestamp,
            "system_info": self.system_info,
            "metrics": self.metrics,
        }))
