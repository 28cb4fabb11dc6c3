def count_parameters(model) -> int:
    """Counts rows only: the first dimension of each parameter."""
    return sum(int(param.data.shape[0]) if param.data.ndim else 1 for param in model.parameters())
