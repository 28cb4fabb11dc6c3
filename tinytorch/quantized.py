"""INT8 model classes: `QuantizedLinear` and `QuantizedMLP` (built by `quantize_int8`).

Storage: each layer keeps its weight as an int8 `Tensor` ``q`` of shape ``(in, out)``, one float32
scale per output channel ``s`` (shape ``(out,)``), and a float32 bias, so that the real weight is
``q * s`` (symmetric quantization: no zero point). Biases stay float32, as in common INT8 schemes,
because they are few and are added after accumulation.

Compute: numpy has no fast int8 matrix product, so the forward pass is weight-only quantization
done honestly in numpy: each call converts the int8 weights to float32 (one pass over the weights,
into the layer's reused `Float32Scratch` buffer) and runs the float32 matmul, then applies the
per-channel scales to the output, ``y = (x @ float(q)) * s + b``, which equals ``x @ (q * s) + b``
because each scale belongs to one output column. The conversion is paid on every call and its
result never kept between calls, so the model stores only its int8 weights; its latency is that
of the float32 model plus the conversion, which is what this file's design honestly costs.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tinytorch.layer_stack import LayerStack
from tinytorch.nn import Module
from tinytorch.scratch import Float32Scratch
from tinytorch.tensor import Tensor


class QuantizedLinear(Module):
    """Linear layer with int8 weights and per-output-channel float32 scales.

    Parameters (see `Module.parameters`): ``weight`` (int8, ``(in, out)``) and ``bias`` (float32,
    ``(out,)``). ``scale`` (float32, ``(out,)``) is quantization metadata, a plain ndarray, not a
    parameter; it is counted in `stored_nbytes`.
    """

    def __init__(self, weight_q: np.ndarray, scale: np.ndarray, bias: np.ndarray) -> None:
        weight_q = np.ascontiguousarray(weight_q)
        if weight_q.dtype != np.int8 or weight_q.ndim != 2:
            raise ValueError(f"QuantizedLinear needs a 2-D int8 weight, got {weight_q.dtype} {weight_q.shape}")
        n_out = weight_q.shape[1]
        scale = np.ascontiguousarray(scale, dtype=np.float32)
        bias = np.ascontiguousarray(bias, dtype=np.float32)
        if scale.shape != (n_out,) or bias.shape != (n_out,):
            raise ValueError(
                f"QuantizedLinear needs scale and bias of shape ({n_out},), got {scale.shape} and {bias.shape}"
            )
        self.in_features, self.out_features = weight_q.shape
        self.weight = Tensor(weight_q)
        self.scale = scale
        self.bias = Tensor(bias)
        self._weight_f32 = Float32Scratch()

    def dequantized_weight(self) -> np.ndarray:
        """The float32 weight ``q * s`` that this layer represents, shape ``(in, out)``."""
        return self.weight.data.astype(np.float32) * self.scale

    def stored_nbytes(self) -> int:
        """Bytes this layer stores: int8 weights + float32 scales + float32 biases."""
        return self.weight.nbytes + int(self.scale.nbytes) + self.bias.nbytes

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``(batch, in)`` float32 -> new ``(batch, out)`` float32; see the module docstring."""
        out = x @ self._weight_f32.convert(self.weight.data)
        out *= self.scale
        out += self.bias.data
        return out

    def __repr__(self) -> str:
        return f"QuantizedLinear(in_features={self.in_features}, out_features={self.out_features}, int8)"


class QuantizedMLP(LayerStack):
    """An MLP of `QuantizedLinear` layers with ReLU between them; ``precision == "int8"`` (see `LayerStack`)."""

    layer_type = QuantizedLinear
    precision = "int8"

    def __init__(self, layers: list[QuantizedLinear]) -> None:
        self._stack(layers)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Arrays that define the model: ``linear{i}.weight`` (int8), ``.scale``, ``.bias``."""
        state: dict[str, np.ndarray] = {}
        for index, layer in enumerate(self.linears):
            state[f"linear{index}.weight"] = layer.weight.data
            state[f"linear{index}.scale"] = layer.scale
            state[f"linear{index}.bias"] = layer.bias.data
        return state

    @classmethod
    def from_state_dict(cls, state: Mapping[str, np.ndarray]) -> QuantizedMLP:
        """Rebuild a model from `state_dict` arrays (used as given, not copied)."""
        count = sum(1 for key in state if key.endswith(".weight"))
        return cls(
            [
                QuantizedLinear(state[f"linear{i}.weight"], state[f"linear{i}.scale"], state[f"linear{i}.bias"])
                for i in range(count)
            ]
        )
