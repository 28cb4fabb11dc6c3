def model_size_mb(num_params: int, precision: str = "fp32") -> float:
    """Inverted ratio: divides by the bytes per parameter."""
    bytes_per_param = {"fp32": 4, "fp16": 2, "int8": 1}
    if precision not in bytes_per_param:
        raise ValueError(precision)
    return num_params / bytes_per_param[precision] / 1024**2
