"""tinytorch.train: hand-written gradients, training, and reproduction of the shipped weights."""

import subprocess
import sys

import numpy as np
import pytest

from tinytorch import SimpleMLP, load_digits, load_model, magnitude_prune
from tinytorch.train import Schedule, accuracy, fit, loss_and_gradients


def test_gradients_match_finite_differences():
    model = SimpleMLP(input_size=5, hidden_sizes=(6, 4), num_classes=3, seed=0)
    for layer in model.linears:
        layer.bias.data[:] = 0.1
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 5)).astype(np.float32)
    targets = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=8)]
    _, grads = loss_and_gradients(model, X, targets)
    params = [a for layer in model.linears for a in (layer.weight.data, layer.bias.data)]
    assert [g.shape for g in grads] == [p.shape for p in params]
    step = 1e-2
    for param, grad in zip(params, grads):
        for index in [(0,) * param.ndim, tuple(s - 1 for s in param.shape)]:
            saved = param[index]
            param[index] = saved + step
            up, _ = loss_and_gradients(model, X, targets)
            param[index] = saved - step
            down, _ = loss_and_gradients(model, X, targets)
            param[index] = saved
            assert grad[index] == pytest.approx((up - down) / (2 * step), abs=2e-3)


def test_fit_lowers_the_loss_and_keep_zeros_holds_the_mask():
    X_train, y_train, _, _ = load_digits()
    X, y = X_train[:300], y_train[:300]
    model = magnitude_prune(SimpleMLP(hidden_sizes=(32,), seed=4), sparsity=0.5)
    zeros = [layer.weight.data == 0 for layer in model.linears]
    losses = fit(model, X, y, Schedule(epochs=20, learning_rate=1e-2, batch_size=32, shuffle_seed=0), keep_zeros=True)
    assert losses[-1] < losses[0] * 0.2
    for mask, layer in zip(zeros, model.linears):
        assert np.all(layer.weight.data[mask] == 0)


@pytest.mark.slow
def test_retraining_the_baseline_reproduces_the_shipped_accuracy(tmp_path):
    """The slowest test of the package (about 20 s): a full retrain of the baseline, as a user would run it."""
    result = subprocess.run(
        [sys.executable, "-m", "tinytorch.train", "--out", str(tmp_path), "--models", "baseline"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "baseline.npz").exists()
    _, _, X_test, y_test = load_digits()
    retrained = load_model("baseline", weights_dir=tmp_path)
    shipped = load_model("baseline")
    retrained_accuracy = accuracy(retrained, X_test, y_test)
    assert abs(retrained_accuracy - accuracy(shipped, X_test, y_test)) <= 0.005
    assert retrained_accuracy >= 0.97
