import numpy as np


def measure_accuracy(model, X, y) -> float:
    """Fraction correct with np.count_nonzero."""
    predicted = np.asarray(model.forward(X)).argmax(axis=-1)
    labels = np.asarray(y)
    return np.count_nonzero(predicted == labels) / labels.shape[0]
