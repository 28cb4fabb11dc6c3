def evaluate_recipe(baseline, recipe, X_train, y_train, X_val, y_val) -> dict:
    """The row filled in step by step with the harness's helpers; the p50 with np.percentile."""
    made = optimize_model(baseline, recipe, X_train, y_train)
    done, model = made.recipe, made.model
    row = {"recipe": done, "model": model}
    row["parameter_count"] = count_parameters(model)
    row["model_size_mb"] = model_size_mb(row["parameter_count"], precision=done.precision)
    row["accuracy"] = measure_accuracy(model, X_val, y_val)
    one_sample = X_val[0:1]
    row["latency_ms_p50"] = float(np.percentile(measure_latency(model, one_sample, 10, 100), 50))
    return row
