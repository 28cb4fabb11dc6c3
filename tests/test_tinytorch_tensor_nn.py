"""tinytorch.tensor and tinytorch.nn: Tensor properties, parameter discovery, layers."""

import numpy as np
import pytest

from tinytorch import Linear, Module, ReLU, Sequential, Tensor


def test_tensor_properties_describe_its_array():
    tensor = Tensor(np.zeros((3, 4), dtype=np.float32))
    assert tensor.shape == (3, 4)
    assert tensor.size == 12
    assert tensor.dtype == np.float32
    assert tensor.nbytes == 48
    assert Tensor(np.zeros(5, dtype=np.int8)).nbytes == 5


def test_tensor_wraps_without_copy_and_converts_lists():
    array = np.arange(6, dtype=np.float32)
    assert Tensor(array).data is array
    assert Tensor(Tensor(array)).data is array
    converted = Tensor([[1, 2], [3, 4]], dtype=np.float32)
    assert isinstance(converted.data, np.ndarray)
    assert converted.dtype == np.float32 and converted.shape == (2, 2)
    assert np.asarray(converted) is converted.data


def test_linear_shapes_dtypes_and_seeded_init():
    layer = Linear(5, 3, rng=np.random.default_rng(7))
    assert layer.weight.shape == (5, 3) and layer.weight.dtype == np.float32
    assert layer.bias.shape == (3,) and layer.bias.dtype == np.float32
    assert np.all(layer.bias.data == 0)
    again = Linear(5, 3, rng=np.random.default_rng(7))
    assert np.array_equal(layer.weight.data, again.weight.data)
    other = Linear(5, 3, rng=np.random.default_rng(8))
    assert not np.array_equal(layer.weight.data, other.weight.data)


def test_linear_computes_x_at_w_plus_b():
    layer = Linear.from_arrays(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -1.0]))
    out = layer(np.array([[1.0, 1.0]], dtype=np.float32))
    assert np.allclose(out, [[4.5, 5.0]])
    assert out.dtype == np.float32


def test_linear_rejects_bad_sizes_and_arrays():
    with pytest.raises(ValueError):
        Linear(0, 3)
    with pytest.raises(ValueError, match="weight"):
        Linear.from_arrays(np.zeros((2, 3)), np.zeros(2))


def test_relu_clips_negatives_and_leaves_input_untouched():
    x = np.array([[-1.0, 0.0, 2.0]], dtype=np.float32)
    out = ReLU()(x)
    assert np.array_equal(out, [[0.0, 0.0, 2.0]])
    assert np.array_equal(x, [[-1.0, 0.0, 2.0]])


def test_sequential_applies_layers_in_order():
    double = Linear.from_arrays(np.array([[2.0]]), np.array([0.0]))
    shift = Linear.from_arrays(np.array([[1.0]]), np.array([-3.0]))
    x = np.array([[1.0]], dtype=np.float32)
    assert Sequential(double, shift)(x)[0, 0] == pytest.approx(-1.0)
    assert Sequential(shift, double)(x)[0, 0] == pytest.approx(-4.0)
    assert len(Sequential(double, shift)) == 2
    with pytest.raises(TypeError):
        Sequential(double, "not a layer")


def test_parameters_recurse_in_assignment_order():
    first, second, third = Linear(2, 3), Linear(3, 4), Linear(4, 1)

    class Net(Module):
        def __init__(self):
            self.scale = Tensor(np.ones(1, dtype=np.float32))
            self.body = Sequential(first, ReLU(), second)
            self.heads = [third]
            self.metadata = np.zeros(10)  # a bare array is not a parameter
            self.name = "net"

    net = Net()
    params = net.parameters()
    assert params == [
        net.scale, first.weight, first.bias, second.weight, second.bias, third.weight, third.bias
    ]
    assert sum(p.data.size for p in params) == 1 + (2 * 3 + 3) + (3 * 4 + 4) + (4 * 1 + 1)


def test_shared_tensor_is_listed_once():
    shared = Linear(2, 2)
    params = Sequential(shared, ReLU(), shared).parameters()
    assert params == [shared.weight, shared.bias]


def test_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="forward"):
        Module()(np.zeros(1))
