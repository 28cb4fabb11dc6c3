"""Reproduce every shipped weight file: ``python -m tinytorch.train [--out DIR] [--models NAME ...]``.

Recipe (all seeds fixed; numpy only, gradients written out by hand):

- ``baseline``: `SimpleMLP` 64->1024->1024->10 (init seed 0), Adam, softmax cross-entropy, on
  the training split of `load_digit_splits` (the validation images held out, so that validation
  accuracy is honest for the baseline as for every model fine-tuned from it);
- ``int8``: ``quantize_int8(baseline)``, no retraining;
- ``pruned``: ``prune_neurons(baseline, keep=PRUNED_KEEP)`` then fine-tuned with Adam, distilling
  from the baseline (targets mix the labels with the baseline's softened predictions);
- ``pruned-int8``: ``quantize_int8(pruned)``;
- ``magnitude-90``: ``magnitude_prune(baseline, 0.9)`` then fine-tuned, distilling from the
  baseline, with the zeros held at 0.

Every model trains on the same training split; none sees a validation or test image.

BLAS runs on one thread while training (threadpoolctl), so the same machine and libraries give
bit-identical files run after run. Other CPUs or BLAS builds may round differently; the accuracy
then still matches to within a fraction of a point.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
from threadpoolctl import threadpool_limits

from tinytorch.data import N_CLASSES, load_digit_splits
from tinytorch.models import (
    MODEL_NAMES,
    WEIGHTS_DIR,
    SimpleMLP,
    load_model,
    weights_path,
)
from tinytorch.pruning import magnitude_prune, prune_neurons
from tinytorch.quantization import quantize_int8
from tinytorch.quantized import QuantizedMLP

PRUNED_KEEP = (256, 256)
MAGNITUDE_SPARSITY = 0.9


@dataclass(frozen=True)
class Schedule:
    """How long and how fast to train: ``epochs`` passes over the data in shuffled mini-batches."""

    epochs: int
    learning_rate: float
    batch_size: int
    shuffle_seed: int


BASELINE_SCHEDULE = Schedule(epochs=30, learning_rate=2e-3, batch_size=32, shuffle_seed=1)
PRUNED_SCHEDULE = Schedule(epochs=40, learning_rate=1e-3, batch_size=32, shuffle_seed=2)
MAGNITUDE_SCHEDULE = Schedule(epochs=10, learning_rate=3e-3, batch_size=32, shuffle_seed=3)

ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
ADAM_EPSILON = 1e-8
DISTILL_WEIGHT = 0.5
DISTILL_TEMPERATURE = 4.0


def fit(
    model: SimpleMLP,
    X: np.ndarray,
    y: np.ndarray,
    schedule: Schedule,
    keep_zeros: bool = False,
    teacher: SimpleMLP | None = None,
    time_budget_s: float | None = None,
) -> list[float]:
    """Train ``model`` in place with Adam on mean softmax cross-entropy; returns each epoch's mean loss.

    The learning rate follows a cosine from ``schedule.learning_rate`` down to 0 over all steps.
    With ``keep_zeros`` the weights that are exactly 0 at the start stay 0 (masked fine-tuning of a
    magnitude-pruned model). With a ``teacher`` the targets mix the one-hot labels with the
    teacher's softened predictions (knowledge distillation, see `distillation_targets`). With a
    ``time_budget_s`` training stops after the first epoch that ends past the budget (measured
    with ``time.perf_counter`` from the call), so fewer epochs than scheduled may be returned.
    """
    started = time.perf_counter()
    targets = np.eye(N_CLASSES, dtype=np.float32)[y]
    if teacher is not None:
        targets = distillation_targets(teacher, X, y)
    params = [array for layer in model.linears for array in (layer.weight.data, layer.bias.data)]
    masks = [(param != 0) if keep_zeros and param.ndim == 2 else None for param in params]
    first_moments = [np.zeros_like(param) for param in params]
    second_moments = [np.zeros_like(param) for param in params]
    rng = np.random.default_rng(schedule.shuffle_seed)
    step = 0
    total_steps = schedule.epochs * math.ceil(len(X) / schedule.batch_size)
    epoch_losses = []
    for _ in range(schedule.epochs):
        order = rng.permutation(len(X))
        losses = []
        for start in range(0, len(X), schedule.batch_size):
            batch = order[start : start + schedule.batch_size]
            loss, grads = loss_and_gradients(model, X[batch], targets[batch])
            losses.append(loss)
            step += 1
            learning_rate = schedule.learning_rate * 0.5 * (1.0 + math.cos(math.pi * (step - 1) / total_steps))
            correction1 = 1.0 - ADAM_BETA1**step
            correction2 = 1.0 - ADAM_BETA2**step
            for param, grad, m, v, mask in zip(params, grads, first_moments, second_moments, masks):
                m *= ADAM_BETA1
                m += (1.0 - ADAM_BETA1) * grad
                v *= ADAM_BETA2
                v += (1.0 - ADAM_BETA2) * grad * grad
                param -= learning_rate * (m / correction1) / (np.sqrt(v / correction2) + ADAM_EPSILON)
                if mask is not None:
                    param *= mask
        epoch_losses.append(float(np.mean(losses)))
        if time_budget_s is not None and time.perf_counter() - started > time_budget_s:
            break
    return epoch_losses


def distillation_targets(teacher: SimpleMLP, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(1 - DISTILL_WEIGHT) * one_hot(y) + DISTILL_WEIGHT * softmax(teacher(X) / DISTILL_TEMPERATURE)``."""
    logits = teacher(X) / DISTILL_TEMPERATURE
    soft = np.exp(logits - logits.max(axis=1, keepdims=True))
    soft /= soft.sum(axis=1, keepdims=True)
    one_hot = np.eye(N_CLASSES, dtype=np.float32)[y]
    return ((1.0 - DISTILL_WEIGHT) * one_hot + DISTILL_WEIGHT * soft).astype(np.float32)


def loss_and_gradients(model: SimpleMLP, X: np.ndarray, targets: np.ndarray) -> tuple[float, list[np.ndarray]]:
    """Mean cross-entropy of ``model`` on ``X`` against target distributions ``targets`` (rows sum
    to 1) and its gradients, ordered as weight, bias per layer."""
    linears = model.linears
    inputs = [X]
    pre_activations = []
    hidden = X
    for index, layer in enumerate(linears):
        z = hidden @ layer.weight.data + layer.bias.data
        pre_activations.append(z)
        hidden = np.maximum(z, 0) if index < len(linears) - 1 else z
        inputs.append(hidden)
    logits = inputs.pop()
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = float(-(targets * log_probs).sum(axis=1).mean())
    delta = (np.exp(log_probs) - targets) / len(X)
    grads: list[np.ndarray] = []
    for index in range(len(linears) - 1, -1, -1):
        grads.append(delta.sum(axis=0))
        grads.append(inputs[index].T @ delta)
        if index > 0:
            delta = (delta @ linears[index].weight.data.T) * (pre_activations[index - 1] > 0)
    grads.reverse()
    return loss, grads


def accuracy(model: SimpleMLP | QuantizedMLP, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of ``X`` whose arg-max logit equals ``y``."""
    return float(np.mean(np.argmax(model(X), axis=1) == y))


def build_models(names: Sequence[str]) -> dict[str, SimpleMLP | QuantizedMLP]:
    """Train the requested models (and whatever they derive from); returns them by name."""
    unknown = [name for name in names if name not in MODEL_NAMES]
    if unknown:
        raise KeyError(f"unknown model(s) {unknown}; known models: {', '.join(MODEL_NAMES)}")
    X_train, y_train, _, _, _, _ = load_digit_splits()
    built: dict[str, SimpleMLP | QuantizedMLP] = {}
    baseline = SimpleMLP(seed=0)
    fit(baseline, X_train, y_train, BASELINE_SCHEDULE)
    built["baseline"] = baseline
    if "int8" in names:
        built["int8"] = quantize_int8(baseline)
    if "pruned" in names or "pruned-int8" in names:
        pruned = prune_neurons(baseline, keep=PRUNED_KEEP)
        fit(pruned, X_train, y_train, PRUNED_SCHEDULE, teacher=baseline)
        built["pruned"] = pruned
        built["pruned-int8"] = quantize_int8(pruned)
    if "magnitude-90" in names:
        sparse = magnitude_prune(baseline, MAGNITUDE_SPARSITY)
        fit(sparse, X_train, y_train, MAGNITUDE_SCHEDULE, keep_zeros=True, teacher=baseline)
        built["magnitude-90"] = sparse
    return {name: built[name] for name in names}


def train(names: Sequence[str] = MODEL_NAMES, out_dir: str | Path = WEIGHTS_DIR) -> dict[str, Path]:
    """Retrain ``names`` with BLAS on one thread and write ``<out_dir>/<name>.npz``; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with threadpool_limits(limits=1, user_api="blas"):
        models = build_models(names)
    paths = {}
    for name, model in models.items():
        path = weights_path(name, out_dir)
        # Uncompressed on purpose: the file size is the honest stored size of the model. (The cast:
        # numpy's stubs cannot tell array keyword arguments from its own ``allow_pickle`` flag.)
        np.savez(path, **cast("dict[str, Any]", model.state_dict()))
        paths[name] = path
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tinytorch.train", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", default=str(WEIGHTS_DIR), help="folder for the .npz files (default: the shipped weights)"
    )
    parser.add_argument("--models", nargs="+", default=list(MODEL_NAMES), choices=MODEL_NAMES, help="models to rebuild")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = train(args.models, args.out)
    elapsed = time.perf_counter() - started
    _, _, X_val, y_val, X_test, y_test = load_digit_splits()
    for name, path in paths.items():
        model = load_model(name, weights_dir=args.out)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        print(
            f"{name:<13} validation accuracy {accuracy(model, X_val, y_val):.4f}  "
            f"test accuracy {accuracy(model, X_test, y_test):.4f}  {path}  sha256 {digest}"
        )
    print(f"trained in {elapsed:.1f} s (BLAS threads: 1)")


if __name__ == "__main__":
    main()
