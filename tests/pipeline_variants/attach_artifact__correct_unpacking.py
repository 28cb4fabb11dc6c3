def attach_artifact(submission: dict, model, recipe, folder=".") -> dict:
    """A new dict built by unpacking (the input is shared, never written to); a loop for the ids."""
    techniques = []
    for technique_id in recipe.technique_ids():
        techniques.append({"id": technique_id})
    if not techniques:
        raise ValueError(f"nothing to claim: {recipe} changes nothing")
    written = save_model_artifact(model, Path(folder) / "model.npz")
    artifact = {
        "recipe": {"keep_ratio": float(recipe.keep_ratio), "fine_tune_epochs": int(recipe.fine_tune_epochs),
                   "precision": recipe.precision},
        "sha256": file_sha256(written),
        "file": "model.npz",
    }
    return {**submission, "optimized": {**submission["optimized"], "artifact": artifact, "techniques": techniques}}
