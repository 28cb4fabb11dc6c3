"""`LayerStack`: what every tinytorch MLP shares, whatever its layers store.

An MLP here is a list of linear layers with ReLU between consecutive ones. The float32
`SimpleMLP`, the INT8 `QuantizedMLP` and the FP16 `HalfMLP` differ only in the layer class
(``layer_type``) and what it stores; building the stack, checking that the sizes chain, the
forward pass, the stored bytes and the printed form are the same, and live here once.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from tinytorch._inputs import as_feature_batch
from tinytorch.nn import Module, ReLU, Sequential
from tinytorch.tensor import Tensor


class LayerStack(Module):
    """Base of the MLPs: ``layer_type`` layers with ReLU between them.

    Subclasses set ``layer_type`` (a layer class with ``in_features``, ``out_features`` and
    ``stored_nbytes()``) and ``precision``, and build themselves with `_stack`.
    ``forward(X)`` takes ``(batch, input_size)`` float32 (ndarray or `Tensor`) and returns
    ``(batch, num_classes)`` float32 logits; another shape raises ``ValueError``.
    """

    layer_type: ClassVar[type[Any]]
    precision: ClassVar[str]

    def _stack(self, layers: list[Any]) -> None:
        """Chain ``layers`` (input to output) with ReLU between them; raise ``ValueError`` if they do not chain."""
        if not layers:
            raise ValueError(f"{type(self).__name__} needs at least one layer")
        for previous, layer in zip(layers, layers[1:]):
            if previous.out_features != layer.in_features:
                raise ValueError(
                    f"layer sizes do not chain: {previous.out_features} outputs feed {layer.in_features} inputs"
                )
        self.input_size = layers[0].in_features
        self.hidden_sizes = tuple(layer.out_features for layer in layers[:-1])
        self.num_classes = layers[-1].out_features
        stack: list[Module] = []
        for index, layer in enumerate(layers):
            stack.append(layer)
            if index < len(layers) - 1:
                stack.append(ReLU())
        self.net = Sequential(*stack)

    @property
    def linears(self) -> list[Any]:
        """The ``layer_type`` layers, input to output."""
        return [layer for layer in self.net.layers if isinstance(layer, self.layer_type)]

    def forward(self, X: np.ndarray | Tensor) -> np.ndarray:
        return self.net(as_feature_batch(X, self.input_size))

    def stored_nbytes(self) -> int:
        """True bytes of what the layers store (weights, biases and any quantization scales)."""
        return sum(layer.stored_nbytes() for layer in self.linears)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Arrays that define the model: ``linear{i}.weight`` ``(in, out)`` and ``linear{i}.bias``,
        in the layers' storage dtype (a subclass adds what else its layers store)."""
        state: dict[str, np.ndarray] = {}
        for index, layer in enumerate(self.linears):
            state[f"linear{index}.weight"] = layer.weight.data
            state[f"linear{index}.bias"] = layer.bias.data
        return state

    def __repr__(self) -> str:
        sizes = (self.input_size, *self.hidden_sizes, self.num_classes)
        return f"{type(self).__name__}({' -> '.join(map(str, sizes))}, precision='{self.precision}')"
