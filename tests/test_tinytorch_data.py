"""tinytorch.data.load_digits: the shipped UCI digits and their fixed stratified split."""

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

import tinytorch.data as data
from tinytorch import load_digits

DATA_DIR = Path(data.__file__).parent / "data"


@pytest.fixture(scope="module")
def split():
    return load_digits()


@pytest.fixture(scope="module")
def raw_table():
    with gzip.open(DATA_DIR / "digits.csv.gz", "rt") as handle:
        return np.loadtxt(handle, delimiter=",", dtype=np.int64)


def sorted_rows(table):
    return table[np.lexsort(table.T[::-1])]


def test_shapes_and_dtypes(split):
    X_train, y_train, X_test, y_test = split
    assert X_train.shape == (1438, 64) and X_test.shape == (359, 64)
    assert y_train.shape == (1438,) and y_test.shape == (359,)
    assert X_train.dtype == np.float32 and X_test.dtype == np.float32
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64


def test_features_scaled_to_unit_interval_and_labels_are_digits(split):
    X_train, y_train, X_test, y_test = split
    for X in (X_train, X_test):
        assert X.min() == 0.0 and X.max() == 1.0
        # pixel counts 0..16 divided by 16: every value is a multiple of 1/16
        assert np.array_equal(X * 16, np.round(X * 16))
    assert set(np.unique(y_train)) == set(range(10)) == set(np.unique(y_test))


def test_split_is_a_partition_of_the_shipped_file(split, raw_table):
    X_train, y_train, X_test, y_test = split
    assert raw_table.shape == (1797, 65)
    rows = np.vstack([np.column_stack([X_train * 16, y_train]), np.column_stack([X_test * 16, y_test])])
    as_ints = np.round(rows).astype(np.int64)
    assert np.array_equal(sorted_rows(as_ints), sorted_rows(raw_table))


def test_split_is_stratified(split, raw_table):
    _, y_train, _, y_test = split
    per_class = np.bincount(raw_table[:, 64], minlength=10)
    test_counts = np.bincount(y_test, minlength=10)
    assert np.array_equal(test_counts, np.round(0.2 * per_class).astype(int))
    assert np.array_equal(np.bincount(y_train, minlength=10) + test_counts, per_class)


def test_split_is_deterministic_and_calls_are_independent(split):
    X_train, y_train, X_test, y_test = load_digits()
    assert np.array_equal(X_train, split[0]) and np.array_equal(y_test, split[3])
    X_train[:] = -1.0
    y_test[:] = 99
    fresh = load_digits()
    assert fresh[0].min() == 0.0 and fresh[3].max() == 9


def test_shipped_file_matches_its_documented_checksum():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((DATA_DIR / "digits.csv.gz").read_bytes()).hexdigest()
    assert digest in readme
    for attribution in ("Alpaydin", "Kaynak", "CC BY 4.0", "UCI Machine Learning Repository"):
        assert attribution in readme


def test_split_is_the_one_the_shipped_weights_were_trained_on():
    # The shipped weights and every accuracy figure depend on this exact split: any change to the
    # split (seed, fraction, drawing method) must be deliberate and come with retrained weights.
    _, _, X_test, y_test = load_digits()
    content = np.round(X_test * 16).astype(np.uint8).tobytes() + y_test.astype(np.uint8).tobytes()
    assert hashlib.sha256(content).hexdigest() == (
        "691672b78937f2d346f740bc07204758334f47b3edb89d249a43283340efca20"
    )


def test_validation_split_is_carved_from_the_training_set_stratified_and_fixed(split):
    X_rest, y_rest, X_test, y_test = split
    X_train, y_train, X_val, y_val, X_test2, y_test2 = data.load_digit_splits()
    assert X_train.shape == (1151, 64) and X_val.shape == (287, 64) and y_val.shape == (287,)
    assert X_val.dtype == np.float32 and y_val.dtype == np.int64
    assert np.array_equal(X_test2, X_test) and np.array_equal(y_test2, y_test), "the test set must not change"
    rows = np.vstack([np.column_stack([X_train, y_train]), np.column_stack([X_val, y_val])])
    assert np.array_equal(sorted_rows(rows), sorted_rows(np.column_stack([X_rest, y_rest]))), (
        "train + validation must be exactly load_digits()'s training set")
    per_class = np.bincount(y_rest, minlength=10)
    assert np.array_equal(np.bincount(y_val, minlength=10), np.round(0.2 * per_class).astype(int))
    again = data.load_digit_splits()
    assert np.array_equal(again[2], X_val) and np.array_equal(again[3], y_val), "the split must be fixed"


def test_validation_split_returns_fresh_arrays():
    first = data.load_digit_splits()
    first[2][:] = -1.0
    assert data.load_digit_splits()[2].min() == 0.0
