def count_parameters(model) -> int:
    """Wrong units: bytes (nbytes) instead of elements."""
    return sum(int(param.data.nbytes) for param in model.parameters())
