"""`load_digits`: the UCI optical handwritten digits, shipped in ``tinytorch/data/`` (CC BY 4.0);
`load_digit_splits`: the same digits with a validation set carved from the training set.

See ``tinytorch/data/README.md`` for the source, the licence and the attribution.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

DIGITS_PATH = Path(__file__).resolve().parent / "data" / "digits.csv.gz"
N_SAMPLES = 1797
N_FEATURES = 64
N_CLASSES = 10
TEST_FRACTION = 0.2
SPLIT_SEED = 20
VALIDATION_FRACTION = 0.2
VALIDATION_SEED = 21
PIXEL_MAX = 16.0


def load_digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The digits as ``(X_train, y_train, X_test, y_test)``, read from the package (no network).

    - ``X_*``: float32, shape ``(n, 64)``, each row an 8x8 image flattened row-major, pixels
      scaled from counts 0..16 to [0, 1];
    - ``y_*``: int64, shape ``(n,)``, the digit 0..9.

    The split is fixed and stratified: for each digit, ``round(0.2 * count)`` of its images (drawn
    with ``numpy.random.default_rng(20)``) form the test set, giving 1,438 training and 359 test
    images with the same class balance. Both sets keep the file's order. Every call returns fresh
    arrays, so changing them changes nothing for the next caller.
    """
    X, y = _read_digits()
    test = _stratified_mask(y, TEST_FRACTION, SPLIT_SEED)
    return X[~test].copy(), y[~test].copy(), X[test].copy(), y[test].copy()


def load_digit_splits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The digits as ``(X_train, y_train, X_val, y_val, X_test, y_test)``: choose on validation, claim on test.

    The test set is exactly ``load_digits()``'s. The validation set is carved from its training
    set, stratified the same way: for each digit, ``round(0.2 * count)`` of its training images
    (drawn with ``numpy.random.default_rng(21)``) form the validation set, giving 1,151 training,
    287 validation and 359 test images. Dtypes, shapes and scaling as in ``load_digits``; every set
    keeps the file's order and every call returns fresh arrays.

    Fit on train, make every choice (recipes, thresholds) on validation, and measure test once for
    the model you claim: a choice made on the test set makes its accuracy optimistic.
    """
    X_rest, y_rest, X_test, y_test = load_digits()
    val = _stratified_mask(y_rest, VALIDATION_FRACTION, VALIDATION_SEED)
    return X_rest[~val], y_rest[~val], X_rest[val], y_rest[val], X_test, y_test


@lru_cache(maxsize=1)
def _read_digits() -> tuple[np.ndarray, np.ndarray]:
    if not DIGITS_PATH.exists():
        raise FileNotFoundError(f"the digits data file {DIGITS_PATH} is missing from the package")
    table = np.loadtxt(DIGITS_PATH, delimiter=",", dtype=np.int64)
    if table.shape != (N_SAMPLES, N_FEATURES + 1):
        raise ValueError(f"{DIGITS_PATH} should hold {N_SAMPLES} rows of {N_FEATURES + 1} values, found {table.shape}")
    X = (table[:, :N_FEATURES] / PIXEL_MAX).astype(np.float32)
    y = table[:, N_FEATURES].astype(np.int64)
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


def _stratified_mask(y: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """True for ``round(fraction * count)`` rows of each digit, drawn with ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    chosen = np.zeros(len(y), dtype=bool)
    for label in range(N_CLASSES):
        members = np.flatnonzero(y == label)
        n_chosen = int(round(fraction * len(members)))
        chosen[rng.choice(members, size=n_chosen, replace=False)] = True
    return chosen
