import statistics

BYTES_PER_PARAMETER = {"fp32": 4, "fp16": 2, "int8": 1}


def evaluate_recipe(baseline, recipe, X_train, y_train, X_val, y_val):
    """Bytes from a precision table instead of model_size_mb; the median with the statistics module."""
    optimized = optimize_model(baseline, recipe, X_train, y_train)
    model = optimized.model
    params = count_parameters(model)
    samples = measure_latency(model, X_val[:1], warmup=10, runs=100)
    return dict(
        recipe=optimized.recipe,
        model=model,
        parameter_count=params,
        model_size_mb=params * BYTES_PER_PARAMETER[model.precision] / (1024 * 1024),
        accuracy=measure_accuracy(model, X_val, y_val),
        latency_ms_p50=statistics.median(float(sample) for sample in samples),
    )
