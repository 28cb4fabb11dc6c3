"""tinytorch.quantization: per-channel symmetric INT8 of a SimpleMLP."""

import numpy as np
import pytest

from tinytorch import SimpleMLP, quantize_int8
from tinytorch.quantization import quantize_weight_per_channel
from tinytorch.quantized import QuantizedMLP


@pytest.fixture
def model():
    return SimpleMLP(input_size=8, hidden_sizes=(16, 12), num_classes=4, seed=3)


def test_codes_are_int8_and_scales_per_output_channel():
    weight = np.random.default_rng(0).standard_normal((5, 7)).astype(np.float32)
    codes, scale = quantize_weight_per_channel(weight)
    assert codes.dtype == np.int8 and codes.shape == (5, 7)
    assert scale.dtype == np.float32 and scale.shape == (7,)
    assert np.allclose(scale, np.abs(weight).max(axis=0) / 127)
    # each column's largest magnitude lands on +-127
    assert np.array_equal(np.abs(codes).max(axis=0), np.full(7, 127))


def test_round_trip_error_is_at_most_half_a_step():
    weight = np.random.default_rng(1).standard_normal((64, 32)).astype(np.float32) * 3
    codes, scale = quantize_weight_per_channel(weight)
    error = np.abs(weight - codes.astype(np.float32) * scale)
    assert np.all(error <= scale / 2 + 1e-7)


def test_zero_column_quantizes_to_zero_without_dividing_by_zero():
    weight = np.array([[0.0, 1.0], [0.0, -0.5]], dtype=np.float32)
    codes, scale = quantize_weight_per_channel(weight)
    assert np.all(codes[:, 0] == 0) and np.isfinite(scale).all()
    assert np.array_equal(codes[:, 1], [127, -64])


def test_quantized_model_structure_parameters_and_storage(model):
    quantized = quantize_int8(model)
    assert isinstance(quantized, QuantizedMLP)
    assert quantized.precision == "int8"
    assert quantized.hidden_sizes == model.hidden_sizes
    params = quantized.parameters()
    assert [p.dtype for p in params] == [np.int8, np.float32] * 3
    assert [p.shape for p in params] == [p.shape for p in model.parameters()]
    n_weights = 8 * 16 + 16 * 12 + 12 * 4
    n_outputs = 16 + 12 + 4
    assert quantized.stored_nbytes() == n_weights * 1 + n_outputs * 4 + n_outputs * 4


def test_quantized_forward_tracks_the_float_model(model):
    quantized = quantize_int8(model)
    X = np.random.default_rng(4).random((20, 8), dtype=np.float32)
    expected = model(X)
    logits = quantized(X)
    assert logits.shape == (20, 4) and logits.dtype == np.float32
    assert np.max(np.abs(logits - expected)) <= 0.02 * np.max(np.abs(expected))
    # exactly the float model built from the dequantized weights
    dequantized = SimpleMLP.from_state_dict(
        {
            **{f"linear{i}.weight": layer.dequantized_weight() for i, layer in enumerate(quantized.linears)},
            **{f"linear{i}.bias": layer.bias.data for i, layer in enumerate(quantized.linears)},
        }
    )
    assert np.allclose(logits, dequantized(X), atol=1e-5)
    with pytest.raises(ValueError, match=r"\(batch, 8\)"):
        quantized(np.zeros((1, 9), dtype=np.float32))


def test_quantize_leaves_the_model_unchanged_and_rejects_other_inputs(model):
    before = [p.data.copy() for p in model.parameters()]
    quantize_int8(model)
    assert all(np.array_equal(a, p.data) for a, p in zip(before, model.parameters()))
    with pytest.raises(TypeError, match="SimpleMLP"):
        quantize_int8(quantize_int8(model))


def test_state_dict_round_trip(model):
    quantized = quantize_int8(model)
    rebuilt = QuantizedMLP.from_state_dict(quantized.state_dict())
    X = np.random.default_rng(5).random((3, 8), dtype=np.float32)
    assert np.array_equal(rebuilt(X), quantized(X))
