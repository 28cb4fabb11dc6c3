def model_size_mb(num_params: int, precision: str = "fp32") -> float:
    """Size in MiB with an if/elif chain and a bit shift for 1024**2."""
    if precision == "fp32":
        bytes_per_param = 4
    elif precision == "fp16":
        bytes_per_param = 2
    elif precision == "int8":
        bytes_per_param = 1
    else:
        raise ValueError(f"unsupported precision: {precision}")
    return float(num_params * bytes_per_param) / (1 << 20)
