import copy
import hashlib
import os


def attach_artifact(submission, model, recipe, folder="."):
    """Deep copy of the submission; the file hashed with hashlib; the path joined with os.path."""
    ids = list(recipe.technique_ids())
    if len(ids) == 0:
        raise ValueError("this recipe prunes nothing, trains nothing and keeps fp32: nothing to claim")
    target = os.path.join(os.fspath(folder), "model.npz")
    save_model_artifact(model, target)
    with open(target, "rb") as stream:
        digest = hashlib.sha256(stream.read()).hexdigest()
    result = copy.deepcopy(submission)
    optimized = result["optimized"]
    optimized["artifact"] = {"file": os.path.basename(target), "sha256": digest, "recipe": recipe.to_dict()}
    optimized["techniques"] = [{"id": name} for name in ids]
    return result
