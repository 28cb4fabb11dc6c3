"""FP16 storage: `HalfLinear`, `HalfMLP` and `to_fp16`.

Storage: every weight and bias is kept as IEEE half precision (float16, 2 bytes), so the model
stores half the bytes of its float32 original. Rounding to float16 keeps about 3 significant
decimal digits: the relative error of each weight is at most 2**-11 (values below 6.1e-5 lose
more, as subnormals).

Compute: numpy's float16 matmul is emulated and slow, so each call converts the float16 weights
to float32 (one pass over the weights, into the layer's reused `Float32Scratch` buffer) and runs
the float32 matmul. As with `tinytorch.quantized`, the saving is storage; the conversion is paid on every
call, which is what this design honestly costs.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tinytorch.layer_stack import LayerStack
from tinytorch.models import SimpleMLP
from tinytorch.nn import Module
from tinytorch.scratch import Float32Scratch
from tinytorch.tensor import Tensor


class HalfLinear(Module):
    """Linear layer storing ``weight`` ``(in, out)`` and ``bias`` ``(out,)`` as float16 `Tensor` s."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray) -> None:
        weight = np.ascontiguousarray(weight, dtype=np.float16)
        bias = np.ascontiguousarray(bias, dtype=np.float16)
        if weight.ndim != 2 or bias.shape != (weight.shape[1],):
            raise ValueError(f"HalfLinear needs weight (in, out) and bias (out,), got {weight.shape} and {bias.shape}")
        self.in_features, self.out_features = weight.shape
        self.weight = Tensor(weight)
        self.bias = Tensor(bias)
        self._weight_f32 = Float32Scratch()

    def stored_nbytes(self) -> int:
        """Bytes this layer stores: 2 per weight and per bias."""
        return self.weight.nbytes + self.bias.nbytes

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``(batch, in)`` float32 -> new ``(batch, out)`` float32; see the module docstring."""
        out = x @ self._weight_f32.convert(self.weight.data)
        out += self.bias.data.astype(np.float32)
        return out

    def __repr__(self) -> str:
        return f"HalfLinear(in_features={self.in_features}, out_features={self.out_features}, fp16)"


class HalfMLP(LayerStack):
    """An MLP of `HalfLinear` layers with ReLU between them; ``precision == "fp16"`` (see `LayerStack`)."""

    layer_type = HalfLinear
    precision = "fp16"

    def __init__(self, layers: list[HalfLinear]) -> None:
        self._stack(layers)

    @classmethod
    def from_state_dict(cls, state: Mapping[str, np.ndarray]) -> HalfMLP:
        """Rebuild a model from `state_dict` arrays (converted to float16 when they are not)."""
        count = sum(1 for key in state if key.endswith(".weight"))
        return cls([HalfLinear(state[f"linear{i}.weight"], state[f"linear{i}.bias"]) for i in range(count)])


def to_fp16(model: SimpleMLP) -> HalfMLP:
    """A new `HalfMLP` holding ``model``'s weights and biases rounded to float16; ``model`` is unchanged.

    Same parameter count, 2 bytes per parameter instead of 4: exactly half the stored bytes.
    """
    if not isinstance(model, SimpleMLP):
        raise TypeError(f"to_fp16 takes a float32 SimpleMLP, got {type(model).__name__}")
    return HalfMLP([HalfLinear(layer.weight.data, layer.bias.data) for layer in model.linears])
