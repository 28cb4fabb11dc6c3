def model_size_mb(num_params: int, precision: str = "fp32") -> float:
    """Off by a convention: decimal megabytes (10**6 bytes) instead of 1024**2."""
    bytes_per_param = {"fp32": 4, "fp16": 2, "int8": 1}
    if precision not in bytes_per_param:
        raise ValueError(precision)
    return num_params * bytes_per_param[precision] / 1e6
