"""tinytorch.pruning: structured neuron pruning and unstructured magnitude pruning."""

import numpy as np
import pytest

from tinytorch import SimpleMLP, magnitude_prune, prune_neurons


@pytest.fixture
def model():
    return SimpleMLP(input_size=6, hidden_sizes=(10, 8), num_classes=3, seed=2)


def test_prune_neurons_shapes_with_one_width_or_one_per_layer(model):
    pruned = prune_neurons(model, keep=4)
    assert isinstance(pruned, SimpleMLP)
    assert [p.shape for p in pruned.parameters()] == [(6, 4), (4,), (4, 4), (4,), (4, 3), (3,)]
    uneven = prune_neurons(model, keep=(7, 2))
    assert uneven.hidden_sizes == (7, 2)
    assert [p.shape for p in uneven.parameters()] == [(6, 7), (7,), (7, 2), (2,), (2, 3), (3,)]
    assert model.hidden_sizes == (10, 8)


def test_dropping_dead_neurons_keeps_the_function(model):
    # Silence 3 neurons of the first hidden layer and 2 of the second: no outgoing weight.
    linears = model.linears
    linears[1].weight.data[[0, 4, 9], :] = 0.0
    linears[2].weight.data[[1, 5], :] = 0.0
    pruned = prune_neurons(model, keep=(7, 6))
    X = np.random.default_rng(0).random((5, 6), dtype=np.float32)
    assert np.allclose(pruned(X), model(X), atol=1e-6)
    kept_first = [j for j in range(10) if j not in (0, 4, 9)]
    assert np.array_equal(pruned.linears[0].weight.data, linears[0].weight.data[:, kept_first])


def test_prune_neurons_validates_keep(model):
    with pytest.raises(ValueError, match="one width per hidden layer"):
        prune_neurons(model, keep=(4,))
    with pytest.raises(ValueError, match="1..10"):
        prune_neurons(model, keep=(11, 4))
    with pytest.raises(ValueError):
        prune_neurons(model, keep=0)


def test_magnitude_prune_zeroes_exactly_the_smallest_weights(model):
    sparse = magnitude_prune(model, sparsity=0.9)
    for original, pruned in zip(model.linears, sparse.linears):
        weight, kept = original.weight.data, pruned.weight.data
        assert kept.shape == weight.shape
        n_zero = int(round(0.9 * weight.size))
        assert np.count_nonzero(kept == 0) == n_zero
        survivors = kept != 0
        assert np.array_equal(kept[survivors], weight[survivors])
        assert np.abs(weight[~survivors]).max() <= np.abs(weight[survivors]).min()
        assert np.array_equal(pruned.bias.data, original.bias.data)
    assert sparse.stored_nbytes() == model.stored_nbytes()
    assert np.count_nonzero(model.linears[0].weight.data) == model.linears[0].weight.size


def test_magnitude_prune_bounds(model):
    unchanged = magnitude_prune(model, sparsity=0.0)
    assert all(np.array_equal(a.data, b.data) for a, b in zip(unchanged.parameters(), model.parameters()))
    for bad in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match="sparsity"):
            magnitude_prune(model, sparsity=bad)
