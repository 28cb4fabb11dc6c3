"""TinyTorch: the small numpy framework the capstone module benchmarks.

Tensors and layers (`Tensor`, `Module`, `Linear`, `ReLU`, `Sequential`), the `SimpleMLP` model,
the UCI handwritten digits (`load_digits`), pretrained models and their optimized variants
(`load_model`, `MODEL_NAMES`) and the techniques that made them (`quantize_int8`,
`prune_neurons`, `magnitude_prune`).
"""

from tinytorch.data import load_digits
from tinytorch.models import MODEL_NAMES, SimpleMLP, load_model
from tinytorch.nn import Linear, Module, ReLU, Sequential
from tinytorch.pruning import magnitude_prune, prune_neurons
from tinytorch.quantization import quantize_int8
from tinytorch.schema import SCHEMA_VERSION, load_submission_schema
from tinytorch.tensor import Tensor

__all__ = [
    "MODEL_NAMES",
    "SCHEMA_VERSION",
    "Linear",
    "Module",
    "ReLU",
    "Sequential",
    "SimpleMLP",
    "Tensor",
    "load_digits",
    "load_model",
    "load_submission_schema",
    "magnitude_prune",
    "prune_neurons",
    "quantize_int8",
]
