from datetime import datetime, timezone


class BenchmarkReport:
    """Model size always at fp32, whatever the precision."""

    def __init__(self, model_name: str = "model"):
        self.model_name = model_name
        self.metrics = {}
        self.latencies_ms = None
        self.system_info = self._get_system_info()
        self.timestamp = datetime.now(timezone.utc).isoformat()

    def _get_system_info(self) -> dict:
        return get_system_info()

    def benchmark_model(self, model, X, y, batch_size: int = 1, precision: str = "fp32",
                        warmup: int = 10, runs: int = 100) -> dict:
        x_batch = X[:batch_size]
        parameter_count = count_parameters(model)
        self.latencies_ms = measure_latency(model, x_batch, warmup=warmup, runs=runs)
        stats = latency_stats(self.latencies_ms)
        self.metrics = {
            "parameter_count": int(parameter_count),
            "model_size_mb": float(model_size_mb(parameter_count)),
            "precision": precision,
            "batch_size": int(batch_size),
            "accuracy": float(measure_accuracy(model, X, y)),
            "latency_ms_mean": float(stats["mean"]),
            "latency_ms_std": float(stats["std"]),
            "latency_ms_p50": float(stats["p50"]),
            "latency_ms_p90": float(stats["p90"]),
            "latency_ms_p95": float(stats["p95"]),
            "latency_ms_p99": float(stats["p99"]),
            "throughput_samples_per_sec": float(measure_throughput(model, x_batch)),
            "peak_memory_mb": float(measure_peak_memory_mb(model, x_batch)),
        }
        return self.metrics

    def to_dict(self) -> dict:
        return {
            "model_name": self.model_name,
            "timestamp": self.timestamp,
            "system_info": dict(self.system_info),
            "metrics": dict(self.metrics),
        }
