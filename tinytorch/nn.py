"""Layers: `Module`, `Linear`, `ReLU` and `Sequential`.

Layers take and return plain ``numpy.ndarray`` batches of shape ``(batch, features)``; only the
parameters are `Tensor` objects. Keeping activations as bare arrays means a forward pass allocates
nothing beyond what numpy's matmul itself needs, so a TinyTorch model runs as fast as the same
matmuls written by hand.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tinytorch.tensor import Tensor


class Module:
    """Base class of every layer and model.

    `parameters()` walks the instance attributes in the order they were assigned and collects
    `Tensor` attributes, the parameters of `Module` attributes (recursively), and the items of
    list or tuple attributes that are Tensors or Modules. A Tensor reachable twice is listed once.
    Arrays that are not `Tensor` objects (e.g. quantization scales) are not parameters.

    Calling a module, ``module(x)``, runs ``module.forward(x)``.
    """

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def parameters(self) -> list[Tensor]:
        """All parameter Tensors of this module and its sub-modules, in a deterministic order."""
        found: list[Tensor] = []
        seen: set[int] = set()
        self._collect_parameters(found, seen)
        return found

    def _collect_parameters(self, found: list[Tensor], seen: set[int]) -> None:
        for value in vars(self).values():
            items = value if isinstance(value, (list, tuple)) else (value,)
            for item in items:
                if isinstance(item, Tensor):
                    if id(item) not in seen:
                        seen.add(id(item))
                        found.append(item)
                elif isinstance(item, Module):
                    item._collect_parameters(found, seen)


class Linear(Module):
    """Fully connected layer: ``y = x @ weight + bias``.

    ``weight`` is a float32 `Tensor` of shape ``(in_features, out_features)`` and ``bias`` a
    float32 `Tensor` of shape ``(out_features,)``. Weights start He-normal (std
    ``sqrt(2 / in_features)``) drawn from ``rng`` (a fresh ``default_rng(0)`` when None); biases
    start at zero.
    """

    def __init__(self, in_features: int, out_features: int, rng: np.random.Generator | None = None) -> None:
        if in_features < 1 or out_features < 1:
            raise ValueError(f"Linear needs positive sizes, got in_features={in_features}, out_features={out_features}")
        rng = np.random.default_rng(0) if rng is None else rng
        std = np.sqrt(2.0 / in_features)
        weight = (rng.standard_normal((in_features, out_features)) * std).astype(np.float32)
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.weight = Tensor(weight)
        self.bias = Tensor(np.zeros(out_features, dtype=np.float32))

    @classmethod
    def from_arrays(cls, weight: np.ndarray, bias: np.ndarray) -> Linear:
        """A layer holding the given arrays as float32 ``weight`` (in, out) and ``bias`` (out,)."""
        weight = np.ascontiguousarray(weight, dtype=np.float32)
        bias = np.ascontiguousarray(bias, dtype=np.float32)
        if weight.ndim != 2 or bias.shape != (weight.shape[1],):
            raise ValueError(
                f"Linear.from_arrays needs weight (in, out) and bias (out,), got {weight.shape} and {bias.shape}"
            )
        layer = cls.__new__(cls)
        layer.in_features, layer.out_features = weight.shape
        layer.weight = Tensor(weight)
        layer.bias = Tensor(bias)
        return layer

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``(batch, in_features)`` array -> new ``(batch, out_features)`` array."""
        out = x @ self.weight.data
        out += self.bias.data
        return out

    def __repr__(self) -> str:
        return f"Linear(in_features={self.in_features}, out_features={self.out_features})"


class ReLU(Module):
    """Elementwise ``max(x, 0)``; returns a new array and leaves its input untouched."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0)

    def __repr__(self) -> str:
        return "ReLU()"


class Sequential(Module):
    """Applies its layers in order: ``Sequential(a, b)(x) == b(a(x))``."""

    def __init__(self, *layers: Module) -> None:
        for layer in layers:
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes Modules, got {type(layer).__name__}")
        self.layers: tuple[Module, ...] = tuple(layers)

    def forward(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Module:
        return self.layers[index]

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential({inner})"
