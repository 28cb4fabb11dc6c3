"""tinytorch.models: SimpleMLP, the registry, and the shipped models' accuracy and size targets."""

import numpy as np
import pytest

from tinytorch import MODEL_NAMES, SimpleMLP, Tensor, load_digits, load_model
from tinytorch.quantized import QuantizedMLP
from tinytorch.schema import BYTES_PER_PARAMETER


def count(model):
    return sum(param.data.size for param in model.parameters())


def accuracy(model, X, y):
    return float(np.mean(np.argmax(model(X), axis=1) == y))


@pytest.fixture(scope="module")
def test_set():
    _, _, X_test, y_test = load_digits()
    return X_test, y_test


@pytest.fixture(scope="module")
def shipped(test_set):
    X_test, y_test = test_set
    return {name: (load_model(name), accuracy(load_model(name), X_test, y_test)) for name in MODEL_NAMES}


def test_simple_mlp_default_size_and_parameter_order():
    model = SimpleMLP()
    params = model.parameters()
    assert [p.shape for p in params] == [(64, 1024), (1024,), (1024, 1024), (1024,), (1024, 10), (10,)]
    assert count(model) == 1_126_410
    assert all(p.dtype == np.float32 for p in params)
    assert model.precision == "fp32"
    assert model.stored_nbytes() == 4 * 1_126_410
    assert not hasattr(model, "count_parameters")


def test_simple_mlp_custom_sizes_and_seed():
    small = SimpleMLP(input_size=4, hidden_sizes=(3,), num_classes=2, seed=5)
    assert count(small) == 4 * 3 + 3 + 3 * 2 + 2
    same = SimpleMLP(input_size=4, hidden_sizes=(3,), num_classes=2, seed=5)
    other = SimpleMLP(input_size=4, hidden_sizes=(3,), num_classes=2, seed=6)
    assert all(np.array_equal(a.data, b.data) for a, b in zip(small.parameters(), same.parameters()))
    assert not np.array_equal(small.parameters()[0].data, other.parameters()[0].data)


def test_forward_matches_the_same_matmuls_in_numpy():
    model = SimpleMLP(input_size=6, hidden_sizes=(5, 4), num_classes=3, seed=1)
    for layer in model.linears:
        layer.bias.data[:] = np.random.default_rng(2).standard_normal(layer.bias.shape)
    w = [layer.weight.data for layer in model.linears]
    b = [layer.bias.data for layer in model.linears]
    X = np.random.default_rng(3).standard_normal((7, 6)).astype(np.float32)
    expected = np.maximum(np.maximum(X @ w[0] + b[0], 0) @ w[1] + b[1], 0) @ w[2] + b[2]
    logits = model.forward(X)
    assert logits.shape == (7, 3) and logits.dtype == np.float32
    assert np.allclose(logits, expected, atol=1e-6)
    assert np.array_equal(model(X), logits)
    assert np.array_equal(model(Tensor(X)), logits)
    assert np.allclose(model(X.astype(np.float64)), logits, atol=1e-6)


@pytest.mark.parametrize("bad_shape", [(64,), (1, 63), (2, 65), (1, 8, 8)])
def test_wrong_input_shape_names_the_expected_one(bad_shape):
    model = load_model("baseline")
    with pytest.raises(ValueError, match=r"\(batch, 64\)"):
        model(np.zeros(bad_shape, dtype=np.float32))


def test_non_numeric_input_is_a_value_error():
    with pytest.raises(ValueError, match=r"\(batch, 64\)"):
        load_model("pruned")([["a"] * 64])


def test_unknown_model_lists_the_known_names():
    with pytest.raises(KeyError) as info:
        load_model("resnet")
    message = str(info.value)
    assert "resnet" in message
    for name in MODEL_NAMES:
        assert name in message


def test_missing_weight_file_says_how_to_recreate_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="tinytorch.train"):
        load_model("baseline", weights_dir=tmp_path)


def test_registry_names_and_kinds(shipped):
    assert MODEL_NAMES == ("baseline", "int8", "pruned", "pruned-int8", "magnitude-90")
    for name, (model, _) in shipped.items():
        assert model.precision == ("int8" if name.endswith("int8") else "fp32")
        assert isinstance(model, QuantizedMLP if model.precision == "int8" else SimpleMLP)


def test_loaded_models_are_independent():
    first, second = load_model("baseline"), load_model("baseline")
    first.parameters()[0].data[:] = 0.0
    assert np.any(second.parameters()[0].data != 0)
    assert np.any(load_model("baseline").parameters()[0].data != 0)


def test_baseline_is_the_seed_sized_model_and_accurate(shipped):
    model, acc = shipped["baseline"]
    assert model.hidden_sizes == (1024, 1024)
    assert count(model) == 1_126_410
    assert acc >= 0.97


def test_int8_is_four_times_smaller_and_as_accurate(shipped):
    base, base_acc = shipped["baseline"]
    model, acc = shipped["int8"]
    assert count(model) == count(base)
    int8_weights = [p for p in model.parameters() if p.data.ndim == 2]
    assert int8_weights and all(p.dtype == np.int8 for p in int8_weights)
    assert (base.precision, model.precision) == ("fp32", "int8")
    # true storage: int8 weights + fp32 per-channel scales + fp32 biases, so a little under 4x
    scales = sum(layer.scale.nbytes for layer in model.linears)
    assert model.stored_nbytes() == sum(p.nbytes for p in model.parameters()) + scales
    assert 3.9 < base.stored_nbytes() / model.stored_nbytes() < 4.0
    assert abs(acc - base_acc) <= 0.01


def test_pruned_int8_meets_the_size_and_accuracy_targets(shipped):
    base, base_acc = shipped["baseline"]
    pruned, pruned_acc = shipped["pruned"]
    model, acc = shipped["pruned-int8"]
    assert isinstance(pruned, SimpleMLP) and pruned.hidden_sizes == model.hidden_sizes
    assert all(width < 1024 for width in model.hidden_sizes)
    compression = (count(base) * BYTES_PER_PARAMETER[base.precision]) / (count(model) * BYTES_PER_PARAMETER[model.precision])
    assert compression >= 10
    assert base.stored_nbytes() / model.stored_nbytes() >= 10
    assert abs(acc - base_acc) <= 0.01
    assert abs(pruned_acc - base_acc) <= 0.01


def test_magnitude_90_is_ninety_percent_zeros_stored_dense(shipped):
    base, base_acc = shipped["baseline"]
    model, acc = shipped["magnitude-90"]
    assert [p.shape for p in model.parameters()] == [p.shape for p in base.parameters()]
    assert model.stored_nbytes() == base.stored_nbytes()
    for weight in (p.data for p in model.parameters() if p.data.ndim == 2):
        assert np.mean(weight == 0) == pytest.approx(0.9, abs=1e-4)
    assert acc >= 0.97
