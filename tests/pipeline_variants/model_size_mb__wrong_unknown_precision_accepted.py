def model_size_mb(num_params: int, precision: str = "fp32") -> float:
    """An unknown precision silently counts as fp32 instead of raising ValueError."""
    bytes_per_param = {"fp32": 4, "fp16": 2, "int8": 1}.get(precision, 4)
    return num_params * bytes_per_param / 1024**2
