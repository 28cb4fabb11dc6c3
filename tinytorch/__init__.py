"""TinyTorch: the small numpy framework the capstone module benchmarks.

Tensors and layers (`Tensor`, `Module`, `Linear`, `ReLU`, `Sequential`), the `SimpleMLP` model,
the UCI handwritten digits (`load_digits`, `load_digit_splits` with a validation set), pretrained models and their optimized variants
(`load_model`, `MODEL_NAMES`), the techniques that made them (`quantize_int8`, `to_fp16`,
`prune_neurons`, `magnitude_prune`), your own optimized model from a `Recipe` (`optimize_model`)
and its ``model.npz`` artifact (`save_model_artifact`, `load_model_artifact`, `file_sha256`).
"""

from tinytorch.artifact import file_sha256, load_model_artifact, save_model_artifact
from tinytorch.data import load_digit_splits, load_digits
from tinytorch.half import to_fp16
from tinytorch.models import MODEL_NAMES, SimpleMLP, load_model
from tinytorch.nn import Linear, Module, ReLU, Sequential
from tinytorch.optimize import Recipe, optimize_model
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
    "Recipe",
    "Sequential",
    "SimpleMLP",
    "Tensor",
    "file_sha256",
    "load_digit_splits",
    "load_digits",
    "load_model",
    "load_model_artifact",
    "load_submission_schema",
    "magnitude_prune",
    "optimize_model",
    "prune_neurons",
    "quantize_int8",
    "save_model_artifact",
    "to_fp16",
]
