import numpy as np


def measure_accuracy(model, X, y) -> float:
    """argmax over the batch axis instead of the class axis (compares the overlap only)."""
    predicted = np.argmax(model(X), axis=0)
    labels = np.asarray(y)
    n = min(len(predicted), len(labels))
    return float(np.mean(predicted[:n] == labels[:n]))
