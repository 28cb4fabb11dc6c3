import numpy as np


def measure_accuracy(model, X, y) -> float:
    """Inverted: the error rate."""
    return float(np.mean(np.argmax(model(X), axis=1) != np.asarray(y)))
