import math


def count_parameters(model):
    """Total element count, one math.prod per parameter tensor."""
    sizes = [math.prod(p.data.shape) for p in model.parameters()]
    return sum(sizes, start=0)
