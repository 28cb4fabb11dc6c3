"""Your optimized model from a recipe: `Recipe` and `optimize_model`.

A recipe has three choices, applied in this order to a float32 baseline `SimpleMLP`:

1. ``keep_ratio`` in (0, 1]: structured pruning (`prune_neurons`) keeps
   ``max(1, round(keep_ratio * width))`` neurons of each hidden layer; 1 keeps them all.
2. ``fine_tune_epochs`` in 0..``MAX_FINE_TUNE_EPOCHS``: fine-tuning of the pruned model on the
   training split, distilling from the baseline (`tinytorch.train.fit` with ``FINE_TUNE_SCHEDULE``),
   stopped early when it runs past ``time_budget_s`` (at most ``MAX_FINE_TUNE_SECONDS``).
3. ``precision``: storage of the result, ``"fp32"`` (as is), ``"fp16"`` (`to_fp16`) or
   ``"int8"`` (`quantize_int8`).

`Recipe.technique_ids` names what the recipe did with the submission schema's technique ids.
Everything is seeded, so one recipe on one machine gives the same model every time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from tinytorch.half import HalfMLP, to_fp16
from tinytorch.models import SimpleMLP
from tinytorch.pruning import prune_neurons
from tinytorch.quantization import quantize_int8
from tinytorch.quantized import QuantizedMLP
from tinytorch.train import Schedule, fit

PRECISIONS = ("fp32", "fp16", "int8")
MAX_FINE_TUNE_EPOCHS = 20
MAX_FINE_TUNE_SECONDS = 60.0
FINE_TUNE_SCHEDULE = Schedule(epochs=1, learning_rate=1e-3, batch_size=32, shuffle_seed=2)
_PRECISION_TECHNIQUES = {"fp16": "fp16-storage", "int8": "int8-quantization"}


@dataclass(frozen=True)
class Recipe:
    """The choices that make an optimized model (see the module docstring for each range)."""

    keep_ratio: float = 1.0
    fine_tune_epochs: int = 0
    precision: str = "fp32"

    def __post_init__(self) -> None:
        if isinstance(self.keep_ratio, bool) or not 0.0 < float(self.keep_ratio) <= 1.0:
            raise ValueError(f"keep_ratio must be in (0, 1], got {self.keep_ratio!r}")
        if isinstance(self.fine_tune_epochs, bool) or not isinstance(self.fine_tune_epochs, (int, np.integer)):
            raise TypeError(f"fine_tune_epochs must be a whole number, got {self.fine_tune_epochs!r}")
        if not 0 <= self.fine_tune_epochs <= MAX_FINE_TUNE_EPOCHS:
            raise ValueError(f"fine_tune_epochs must be in 0..{MAX_FINE_TUNE_EPOCHS}, got {self.fine_tune_epochs}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {self.precision!r}")

    def technique_ids(self) -> list[str]:
        """The schema's technique ids for what this recipe does, in the order it does them."""
        ids = ["structured-pruning"] if self.keep_ratio < 1.0 else []
        ids += ["fine-tuning"] if self.fine_tune_epochs > 0 else []
        ids += [_PRECISION_TECHNIQUES[self.precision]] if self.precision in _PRECISION_TECHNIQUES else []
        return ids

    def to_dict(self) -> dict[str, float | int | str]:
        """``{"keep_ratio", "fine_tune_epochs", "precision"}`` as plain JSON values."""
        return {
            "keep_ratio": float(self.keep_ratio),
            "fine_tune_epochs": int(self.fine_tune_epochs),
            "precision": self.precision,
        }


@dataclass(frozen=True)
class Optimized:
    """The result of `optimize_model`: the model, its recipe as done (``fine_tune_epochs`` = epochs
    completed within the budget), the hidden widths kept and the fine-tuning seconds."""

    model: SimpleMLP | HalfMLP | QuantizedMLP
    recipe: Recipe
    hidden_sizes: tuple[int, ...]
    fine_tune_seconds: float


def kept_widths(hidden_sizes: tuple[int, ...], keep_ratio: float) -> tuple[int, ...]:
    """Neurons kept per hidden layer: ``max(1, round(keep_ratio * width))`` each."""
    return tuple(max(1, int(round(keep_ratio * width))) for width in hidden_sizes)


def optimize_model(
    baseline: SimpleMLP,
    recipe: Recipe,
    X_train: np.ndarray,
    y_train: np.ndarray,
    time_budget_s: float = MAX_FINE_TUNE_SECONDS,
) -> Optimized:
    """Apply ``recipe`` to ``baseline`` (left unchanged); returns the model and what was done.

    Fine-tuning runs with BLAS on one thread (as the shipped weights were trained) and stops after
    the epoch that passes ``time_budget_s`` seconds (``0 < time_budget_s <= MAX_FINE_TUNE_SECONDS``).
    """
    if not isinstance(baseline, SimpleMLP):
        raise TypeError(f"optimize_model starts from a float32 SimpleMLP, got {type(baseline).__name__}")
    if not 0 < time_budget_s <= MAX_FINE_TUNE_SECONDS:
        raise ValueError(f"time_budget_s must be in (0, {MAX_FINE_TUNE_SECONDS:g}], got {time_budget_s}")
    widths = kept_widths(baseline.hidden_sizes, recipe.keep_ratio)
    model = prune_neurons(baseline, keep=widths)
    epochs_done, seconds = 0, 0.0
    if recipe.fine_tune_epochs:
        schedule = Schedule(
            epochs=recipe.fine_tune_epochs,
            learning_rate=FINE_TUNE_SCHEDULE.learning_rate,
            batch_size=FINE_TUNE_SCHEDULE.batch_size,
            shuffle_seed=FINE_TUNE_SCHEDULE.shuffle_seed,
        )
        started = time.perf_counter()
        with threadpool_limits(limits=1, user_api="blas"):
            epochs_done = len(fit(model, X_train, y_train, schedule, teacher=baseline, time_budget_s=time_budget_s))
        seconds = time.perf_counter() - started
    stored: SimpleMLP | HalfMLP | QuantizedMLP = model
    if recipe.precision == "fp16":
        stored = to_fp16(model)
    elif recipe.precision == "int8":
        stored = quantize_int8(model)
    done = Recipe(keep_ratio=recipe.keep_ratio, fine_tune_epochs=epochs_done, precision=recipe.precision)
    return Optimized(model=stored, recipe=done, hidden_sizes=widths, fine_tune_seconds=seconds)
