"""Post-training INT8 quantization: `quantize_int8`.

Per-output-channel symmetric quantization of every Linear weight: for output column ``j``,
``scale[j] = max_i |W[i, j]| / 127`` and ``q[i, j] = clip(round(W[i, j] / scale[j]), -127, 127)``
stored as int8, so the round-trip error ``|W - q * scale|`` is at most ``scale[j] / 2`` per weight.
Biases stay float32. How the quantized model computes is described in `tinytorch.quantized`.
"""

from __future__ import annotations

import numpy as np

from tinytorch.models import SimpleMLP
from tinytorch.quantized import QuantizedLinear, QuantizedMLP

INT8_MAX = 127


def quantize_weight_per_channel(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(in, out)`` float weight -> ``(q, scale)``: int8 ``(in, out)`` and float32 ``(out,)``.

    A column of zeros gets scale 1.0 (its codes are all 0), avoiding a division by zero.
    """
    weight = np.asarray(weight, dtype=np.float32)
    if weight.ndim != 2:
        raise ValueError(f"expected a 2-D weight (in, out), got shape {weight.shape}")
    max_abs = np.abs(weight).max(axis=0)
    scale = np.where(max_abs > 0, max_abs / INT8_MAX, 1.0).astype(np.float32)
    codes = np.clip(np.rint(weight / scale), -INT8_MAX, INT8_MAX).astype(np.int8)
    return codes, scale


def quantize_int8(model: SimpleMLP) -> QuantizedMLP:
    """A new `QuantizedMLP` holding ``model``'s weights as per-channel symmetric INT8.

    ``model`` is left unchanged. The result has the same parameter count (int8 weights and
    float32 biases), so by the params x bytes formula it is 4x smaller than the fp32 model.
    """
    if not isinstance(model, SimpleMLP):
        raise TypeError(f"quantize_int8 takes a float32 SimpleMLP, got {type(model).__name__}")
    layers = []
    for linear in model.linears:
        codes, scale = quantize_weight_per_channel(linear.weight.data)
        layers.append(QuantizedLinear(codes, scale, linear.bias.data.copy()))
    return QuantizedMLP(layers)
