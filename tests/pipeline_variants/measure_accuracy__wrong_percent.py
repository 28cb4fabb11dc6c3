import numpy as np


def measure_accuracy(model, X, y) -> float:
    """Wrong units: percent instead of a fraction."""
    return float(np.mean(np.argmax(model(X), axis=1) == np.asarray(y)) * 100)
