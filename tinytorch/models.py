"""`SimpleMLP` and the registry of pretrained models: `MODEL_NAMES`, `load_model`.

Pretrained weights live in ``tinytorch/weights/<name>.npz`` (uncompressed, so the file size is
the honest stored size) and are reproduced by ``python -m tinytorch.train``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from tinytorch.layer_stack import LayerStack
from tinytorch.nn import Linear
from tinytorch.quantized import QuantizedMLP

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


class SimpleMLP(LayerStack):
    """Multi-layer perceptron ``input -> hidden... -> classes`` with ReLU between layers, float32.

    The default ``64 -> 1024 -> 1024 -> 10`` has 1,126,410 parameters (4.30 MB in fp32, with
    MB = 1024² bytes). Weights are He-initialised from ``numpy.random.default_rng(seed)``.

    ``forward(X)`` takes a ``(batch, input_size)`` float32 array (or `Tensor`) and returns the
    ``(batch, num_classes)`` float32 logits as a new ndarray; another shape raises ``ValueError``
    naming the expected one. The forward pass adds no copies and no per-layer objects to the
    matmuls themselves.
    """

    layer_type = Linear
    precision = "fp32"

    def __init__(
        self,
        input_size: int = 64,
        hidden_sizes: Sequence[int] = (1024, 1024),
        num_classes: int = 10,
        seed: int = 0,
    ) -> None:
        rng = np.random.default_rng(seed)
        sizes = (int(input_size), *(int(h) for h in hidden_sizes), int(num_classes))
        self._stack([Linear(n_in, n_out, rng) for n_in, n_out in zip(sizes, sizes[1:])])

    def stored_nbytes(self) -> int:
        """True bytes of the stored parameters (float32 weights and biases)."""
        return sum(param.nbytes for param in self.parameters())

    @classmethod
    def from_state_dict(cls, state: Mapping[str, np.ndarray]) -> SimpleMLP:
        """Rebuild a model from `state_dict` arrays (float32 arrays are used as given, not copied)."""
        count = sum(1 for key in state if key.endswith(".weight"))
        linears = [Linear.from_arrays(state[f"linear{i}.weight"], state[f"linear{i}.bias"]) for i in range(count)]
        model = cls.__new__(cls)
        model._stack(linears)
        return model


_MODEL_CLASSES: dict[str, type[SimpleMLP] | type[QuantizedMLP]] = {
    "baseline": SimpleMLP,
    "int8": QuantizedMLP,
    "pruned": SimpleMLP,
    "pruned-int8": QuantizedMLP,
    "magnitude-90": SimpleMLP,
}

MODEL_NAMES: tuple[str, ...] = tuple(_MODEL_CLASSES)
"""Names `load_model` knows, in teaching order."""

MODEL_DESCRIPTIONS: dict[str, str] = {
    "baseline": "SimpleMLP 64->1024->1024->10, fp32, trained on the digits",
    "int8": "baseline with per-output-channel symmetric INT8 weights (fp32 scales and biases)",
    "pruned": "baseline with whole hidden neurons pruned by weight norm, then fine-tuned, fp32",
    "pruned-int8": "pruned, then per-output-channel symmetric INT8",
    "magnitude-90": "baseline with the 90% smallest weights of each layer zeroed, fine-tuned, stored dense fp32",
}


def weights_path(name: str, weights_dir: str | Path | None = None) -> Path:
    """The ``.npz`` file holding model ``name`` (in ``weights_dir``, default the shipped folder)."""
    _check_name(name)
    return Path(weights_dir if weights_dir is not None else WEIGHTS_DIR) / f"{name}.npz"


def load_model(name: str, weights_dir: str | Path | None = None) -> SimpleMLP | QuantizedMLP:
    """A pretrained model by name; see `MODEL_NAMES` and `MODEL_DESCRIPTIONS`.

    Every call returns a new, independent model (its own arrays), so changing one model never
    changes another. ``weights_dir`` reads the ``.npz`` files from another folder, e.g. the output
    of ``python -m tinytorch.train --out DIR``. Raises ``KeyError`` listing the known names for an
    unknown ``name``, and ``FileNotFoundError`` when the weight file is missing.
    """
    state = _read_weights(weights_path(name, weights_dir))
    return _MODEL_CLASSES[name].from_state_dict({key: array.copy() for key, array in state.items()})


def _check_name(name: str) -> None:
    if name not in _MODEL_CLASSES:
        raise KeyError(f"unknown model {name!r}; known models: {', '.join(MODEL_NAMES)}")


@lru_cache(maxsize=16)
def _read_weights_cached(path: Path, mtime_ns: int) -> Mapping[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    for array in arrays.values():
        array.flags.writeable = False
    return arrays


def _read_weights(path: Path) -> Mapping[str, np.ndarray]:
    try:
        mtime_ns = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise FileNotFoundError(
            f"weight file {path} is missing; recreate it with `python -m tinytorch.train`"
        ) from None
    # Keyed by modification time, so a retrained file is read again rather than served stale.
    return _read_weights_cached(path, mtime_ns)
