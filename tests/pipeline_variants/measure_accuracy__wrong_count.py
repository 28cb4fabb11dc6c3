import numpy as np


def measure_accuracy(model, X, y) -> float:
    """Wrong units: the number of correct predictions, not the fraction."""
    return float(np.sum(np.argmax(model(X), axis=1) == np.asarray(y)))
