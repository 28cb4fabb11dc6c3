def model_size_mb(num_params: int, precision: str = "fp32") -> float:
    """Wrong units: bits per parameter used as bytes."""
    bits_per_param = {"fp32": 32, "fp16": 16, "int8": 8}
    if precision not in bits_per_param:
        raise ValueError(precision)
    return num_params * bits_per_param[precision] / 1024**2
