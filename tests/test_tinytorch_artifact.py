"""tinytorch.artifact: model.npz written and read without pickle, for every precision."""

import time
import zipfile

import numpy as np
import pytest

from tinytorch import SimpleMLP, quantize_int8
from tinytorch.artifact import ArtifactError, file_sha256, load_model_artifact, save_model_artifact
from tinytorch.half import to_fp16

X = np.random.default_rng(3).random((4, 6), dtype=np.float32)


@pytest.fixture
def model():
    return SimpleMLP(input_size=6, hidden_sizes=(9, 5), num_classes=3, seed=1)


@pytest.mark.parametrize("convert", [lambda m: m, to_fp16, quantize_int8], ids=["fp32", "fp16", "int8"])
def test_round_trip_gives_the_same_class_and_outputs(tmp_path, model, convert):
    original = convert(model)
    path = save_model_artifact(original, tmp_path / "model.npz")
    loaded = load_model_artifact(path)
    assert type(loaded) is type(original) and loaded.precision == original.precision
    assert np.array_equal(loaded(X), original(X))
    with np.load(path, allow_pickle=False) as archive:
        assert str(archive["precision"]) == original.precision
    assert not list(tmp_path.glob(".*partial*")), "no temporary file left behind"


def test_same_model_same_bytes_and_sha256_changes_with_the_weights(tmp_path, model, monkeypatch):
    first = file_sha256(save_model_artifact(model, tmp_path / "a.npz"))
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "localtime", lambda *_: __import__("datetime").datetime(2030, 5, 6).timetuple())
    assert first == file_sha256(save_model_artifact(model, tmp_path / "b.npz")), "same model, same bytes"
    model.linears[0].weight.data[0, 0] += 1.0
    assert file_sha256(save_model_artifact(model, tmp_path / "c.npz")) != first
    assert len(first) == 64 and int(first, 16) >= 0


def test_bad_files_get_errors_naming_the_problem(tmp_path, model):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model_artifact(tmp_path / "missing.npz")
    (tmp_path / "text.npz").write_text("not a zip")
    with pytest.raises(ArtifactError, match="not a numpy .npz"):
        load_model_artifact(tmp_path / "text.npz")
    np.savez(tmp_path / "bare.npz", **model.state_dict())
    with pytest.raises(ArtifactError, match="'format'"):
        load_model_artifact(tmp_path / "bare.npz")
    np.savez(tmp_path / "pickled.npz", format=np.array("tinytorch-model/1"), precision=np.array("fp32"),
             evil=np.array([object()], dtype=object))
    with pytest.raises(ArtifactError, match="pickle"):
        load_model_artifact(tmp_path / "pickled.npz")
    np.savez(tmp_path / "wrong_dtype.npz", format=np.array("tinytorch-model/1"), precision=np.array("int8"),
             **{k: v for k, v in model.state_dict().items()}, **{"linear0.scale": np.ones(9, np.float32),
                "linear1.scale": np.ones(5, np.float32), "linear2.scale": np.ones(3, np.float32)})
    with pytest.raises(ArtifactError, match="linear0.weight is float32, a int8 model stores int8"):
        load_model_artifact(tmp_path / "wrong_dtype.npz")
    state = dict(model.state_dict())
    del state["linear1.bias"]
    np.savez(tmp_path / "missing_bias.npz", format=np.array("tinytorch-model/1"), precision=np.array("fp32"), **state)
    with pytest.raises(ArtifactError, match="expected the arrays"):
        load_model_artifact(tmp_path / "missing_bias.npz")
    assert zipfile.is_zipfile(tmp_path / "bare.npz")


def test_save_refuses_other_objects_and_names(tmp_path, model):
    with pytest.raises(TypeError, match="cannot save a dict"):
        save_model_artifact({}, tmp_path / "model.npz")
    with pytest.raises(ValueError, match=".npz"):
        save_model_artifact(model, tmp_path / "model.pkl")
