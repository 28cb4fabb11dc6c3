"""tinytorch.half: fp16 storage of a SimpleMLP."""

import numpy as np
import pytest

from tinytorch import SimpleMLP
from tinytorch.half import HalfMLP, to_fp16


@pytest.fixture
def model():
    return SimpleMLP(input_size=6, hidden_sizes=(10, 8), num_classes=3, seed=4)


def test_fp16_stores_half_the_bytes_and_keeps_the_parameter_count(model):
    half = to_fp16(model)
    assert isinstance(half, HalfMLP) and half.precision == "fp16"
    assert all(p.dtype == np.float16 for p in half.parameters())
    assert sum(p.size for p in half.parameters()) == sum(p.size for p in model.parameters())
    assert half.stored_nbytes() * 2 == model.stored_nbytes()


def test_fp16_outputs_match_within_half_precision_rounding(model):
    X = np.random.default_rng(1).random((5, 6), dtype=np.float32)
    expected = model(X)
    got = to_fp16(model)(X)
    assert got.dtype == np.float32 and got.shape == (5, 3)
    assert np.allclose(got, expected, rtol=1e-2, atol=1e-2)
    assert not np.array_equal(got, expected), "control: fp16 rounding must change something"


def test_to_fp16_leaves_the_model_unchanged_and_rejects_other_models(model):
    before = [p.data.copy() for p in model.parameters()]
    to_fp16(model)
    assert all(np.array_equal(a, p.data) for a, p in zip(before, model.parameters()))
    with pytest.raises(TypeError, match="SimpleMLP"):
        to_fp16(to_fp16(model))


def test_state_dict_round_trip(model):
    half = to_fp16(model)
    again = HalfMLP.from_state_dict(half.state_dict())
    X = np.ones((2, 6), dtype=np.float32)
    assert np.array_equal(again(X), half(X))
