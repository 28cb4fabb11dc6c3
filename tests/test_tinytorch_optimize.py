"""tinytorch.optimize: a recipe (keep ratio, fine-tuning epochs, precision) applied to a baseline."""

import numpy as np
import pytest

from tinytorch import SimpleMLP
from tinytorch.half import HalfMLP
from tinytorch.optimize import MAX_FINE_TUNE_EPOCHS, Recipe, kept_widths, optimize_model
from tinytorch.quantized import QuantizedMLP
from tinytorch.train import accuracy

RNG = np.random.default_rng(0)
X_TRAIN = RNG.random((200, 8), dtype=np.float32)
Y_TRAIN = (X_TRAIN[:, 0] > 0.5).astype(np.int64)


@pytest.fixture
def baseline():
    return SimpleMLP(input_size=8, hidden_sizes=(40, 40), num_classes=10, seed=0)


def test_recipe_ranges_and_technique_ids():
    assert Recipe().technique_ids() == []
    assert Recipe(0.25, 3, "int8").technique_ids() == ["structured-pruning", "fine-tuning", "int8-quantization"]
    assert Recipe(1.0, 0, "fp16").technique_ids() == ["fp16-storage"]
    assert Recipe(0.5, 0, "fp32").to_dict() == {"keep_ratio": 0.5, "fine_tune_epochs": 0, "precision": "fp32"}
    for bad, error in [({"keep_ratio": 0.0}, ValueError), ({"keep_ratio": 1.5}, ValueError),
                       ({"fine_tune_epochs": MAX_FINE_TUNE_EPOCHS + 1}, ValueError),
                       ({"fine_tune_epochs": 1.5}, TypeError), ({"precision": "int4"}, ValueError)]:
        with pytest.raises(error):
            Recipe(**bad)


def test_kept_widths_round_and_never_drop_a_layer():
    assert kept_widths((1024, 1024), 0.25) == (256, 256)
    assert kept_widths((10, 3), 0.01) == (1, 1)


@pytest.mark.parametrize("precision,cls", [("fp32", SimpleMLP), ("fp16", HalfMLP), ("int8", QuantizedMLP)])
def test_optimize_prunes_and_stores_at_the_precision(baseline, precision, cls):
    before = [p.data.copy() for p in baseline.parameters()]
    result = optimize_model(baseline, Recipe(0.5, 0, precision), X_TRAIN, Y_TRAIN)
    assert type(result.model) is cls and result.hidden_sizes == (20, 20) and result.model.hidden_sizes == (20, 20)
    assert result.recipe == Recipe(0.5, 0, precision) and result.fine_tune_seconds == 0.0
    assert all(np.array_equal(a, p.data) for a, p in zip(before, baseline.parameters())), "baseline unchanged"


def test_fine_tuning_learns_and_is_seeded(baseline):
    untuned = optimize_model(baseline, Recipe(0.5, 0, "fp32"), X_TRAIN, Y_TRAIN).model
    tuned = optimize_model(baseline, Recipe(0.5, 5, "fp32"), X_TRAIN, Y_TRAIN)
    again = optimize_model(baseline, Recipe(0.5, 5, "fp32"), X_TRAIN, Y_TRAIN)
    assert tuned.recipe.fine_tune_epochs == 5 and tuned.fine_tune_seconds > 0
    assert accuracy(tuned.model, X_TRAIN, Y_TRAIN) > accuracy(untuned, X_TRAIN, Y_TRAIN)
    assert np.array_equal(tuned.model(X_TRAIN), again.model(X_TRAIN))


def test_time_budget_stops_after_the_epoch_that_passes_it(baseline):
    result = optimize_model(baseline, Recipe(1.0, MAX_FINE_TUNE_EPOCHS, "fp32"), X_TRAIN, Y_TRAIN, time_budget_s=1e-9)
    assert result.recipe.fine_tune_epochs == 1, "the first epoch already passes a 1 ns budget"
    with pytest.raises(ValueError, match="time_budget_s"):
        optimize_model(baseline, Recipe(), X_TRAIN, Y_TRAIN, time_budget_s=61)
    with pytest.raises(TypeError, match="SimpleMLP"):
        optimize_model(object(), Recipe(), X_TRAIN, Y_TRAIN)
