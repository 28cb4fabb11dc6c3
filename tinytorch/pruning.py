"""Pruning: structured (whole hidden neurons) `prune_neurons`, unstructured `magnitude_prune`.

Both return a new float32 `SimpleMLP` and leave their input unchanged. Neither fine-tunes;
``python -m tinytorch.train`` fine-tunes the shipped pruned models afterwards.
"""

from __future__ import annotations

import numpy as np

from tinytorch.models import SimpleMLP


def neuron_importance(model: SimpleMLP) -> list[np.ndarray]:
    """One score per hidden neuron, per hidden layer: ``||incoming weights|| * ||outgoing weights||``.

    Neuron ``j`` of hidden layer ``l`` reads column ``j`` of layer ``l``'s weight and feeds row
    ``j`` of layer ``l + 1``'s weight; the product of the two L2 norms bounds how much it can pass
    on, so low scores mark the neurons whose removal changes the output least.
    """
    linears = model.linears
    return [
        np.linalg.norm(layer.weight.data, axis=0) * np.linalg.norm(following.weight.data, axis=1)
        for layer, following in zip(linears, linears[1:])
    ]


def prune_neurons(model: SimpleMLP, keep: int | tuple[int, ...]) -> SimpleMLP:
    """A smaller `SimpleMLP` keeping the ``keep`` most important neurons of each hidden layer.

    ``keep`` is one width for every hidden layer or a tuple with one width per hidden layer, each
    in ``1..current width``. Whole neurons go: their column in the layer's weight and bias, and
    their row in the next layer's weight, so the result is a plain dense model with hidden sizes
    ``keep``. Importance is `neuron_importance`; kept neurons keep their original order.
    """
    if not isinstance(model, SimpleMLP):
        raise TypeError(f"prune_neurons takes a SimpleMLP, got {type(model).__name__}")
    widths = _keep_widths(model.hidden_sizes, keep)
    kept = [
        np.sort(np.argsort(-scores, kind="stable")[:width]) for scores, width in zip(neuron_importance(model), widths)
    ]
    state = {}
    for index, layer in enumerate(model.linears):
        rows = kept[index - 1] if index > 0 else slice(None)
        cols = kept[index] if index < len(kept) else slice(None)
        state[f"linear{index}.weight"] = layer.weight.data[rows][:, cols].copy()
        state[f"linear{index}.bias"] = layer.bias.data[cols].copy()
    return SimpleMLP.from_state_dict(state)


def magnitude_prune(model: SimpleMLP, sparsity: float = 0.9) -> SimpleMLP:
    """A copy of ``model`` where, in each weight matrix, the smallest-magnitude weights are zero.

    Exactly ``round(sparsity * weight.size)`` weights of each layer become 0 (ties broken by
    position); biases are kept. ``sparsity`` must be in [0, 1). The result is stored dense: same
    shapes, same parameter count, same bytes and the same dense matmuls as ``model``.
    """
    if not isinstance(model, SimpleMLP):
        raise TypeError(f"magnitude_prune takes a SimpleMLP, got {type(model).__name__}")
    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity}")
    state = {}
    for index, layer in enumerate(model.linears):
        weight = layer.weight.data.copy()
        n_zero = int(round(sparsity * weight.size))
        smallest = np.argsort(np.abs(weight), axis=None, kind="stable")[:n_zero]
        weight.flat[smallest] = 0.0
        state[f"linear{index}.weight"] = weight
        state[f"linear{index}.bias"] = layer.bias.data.copy()
    return SimpleMLP.from_state_dict(state)


def _keep_widths(hidden_sizes: tuple[int, ...], keep: int | tuple[int, ...]) -> tuple[int, ...]:
    widths = (keep,) * len(hidden_sizes) if isinstance(keep, (int, np.integer)) else tuple(keep)
    if len(widths) != len(hidden_sizes):
        raise ValueError(f"keep needs one width per hidden layer ({len(hidden_sizes)}), got {len(widths)}: {keep}")
    for width, size in zip(widths, hidden_sizes):
        if not 1 <= int(width) <= size:
            raise ValueError(f"each kept width must be in 1..{size} for hidden sizes {hidden_sizes}, got {keep}")
    return tuple(int(width) for width in widths)
