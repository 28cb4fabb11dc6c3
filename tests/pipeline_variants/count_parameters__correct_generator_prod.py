import numpy as np


def count_parameters(model) -> int:
    """Elements per parameter from its shape, summed with a generator."""
    return sum(int(np.prod(param.data.shape, dtype=np.int64)) for param in model.parameters())
