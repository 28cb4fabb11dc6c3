"""What the optimized model was made with: do the technique ids, the artifact's recipe and the
metrics tell the same story?

``inconsistent-recipe``:

- the stored precision and the precision techniques: ``int8-quantization`` listed iff the
  optimized model is stored as int8, ``fp16-storage`` iff fp16;
- with an artifact (1.2.0): techniques named by id, not text labels; the recipe's precision is
  the measured one; keep_ratio < 1 iff ``structured-pruning`` is listed and the parameter count
  fell (keep_ratio 1 keeps it equal); fine_tune_epochs > 0 iff ``fine-tuning`` is listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from course_tools.submissions.fields import finite_number, lookup, whole_count
from course_tools.submissions.problems import Problem, json_path, show
from course_tools.submissions.techniques import technique_ids
from tinytorch.schema import BYTES_PER_PARAMETER

# The technique that stores parameters at each reduced precision.
PRECISION_IDS = {"int8": "int8-quantization", "fp16": "fp16-storage"}


def recipe_problems(document: Any) -> list[Problem]:
    """Every disagreement between technique ids, the artifact's recipe and the metrics."""
    return [*_precision_ids(document), *_recipe(document)]


def _precision(value: Any) -> str | None:
    """``value`` when it names a precision of `BYTES_PER_PARAMETER`, else ``None``."""
    return value if isinstance(value, str) and value in BYTES_PER_PARAMETER else None


def _precision_ids(document: Any) -> Iterator[Problem]:
    ids = technique_ids(lookup(document, "optimized", "techniques"))
    precision = _precision(lookup(document, "optimized", "metrics", "precision"))
    if ids is None or precision is None:
        return
    for stored, technique in PRECISION_IDS.items():
        if (technique in ids) != (precision == stored):
            listed = "lists" if technique in ids else "does not list"
            yield Problem(
                json_path(["optimized", "techniques"]),
                "inconsistent-recipe",
                f"the optimized model is stored as {precision} but the submission {listed} {technique}",
            )


def _recipe(document: Any) -> Iterator[Problem]:
    recipe = lookup(document, "optimized", "artifact", "recipe")
    if not isinstance(recipe, dict):
        return
    techniques = lookup(document, "optimized", "techniques")
    if isinstance(techniques, list) and any(isinstance(item, str) for item in techniques):
        yield Problem(
            json_path(["optimized", "techniques"]),
            "inconsistent-recipe",
            'a submission with an artifact names its techniques by id: {"id": "structured-pruning"}, not text labels',
        )
    precision = _precision(lookup(document, "optimized", "metrics", "precision"))
    if precision is not None and _precision(recipe.get("precision")) not in (None, precision):
        yield Problem(
            json_path(["optimized", "artifact", "recipe", "precision"]),
            "inconsistent-recipe",
            f"the recipe stores {show(recipe.get('precision'))} but the optimized model was measured as {show(precision)}",
        )
    ids = technique_ids(techniques)
    keep = finite_number(recipe.get("keep_ratio"))
    epochs = finite_number(recipe.get("fine_tune_epochs"))
    recipe_needs = (
        (keep is not None and keep < 1, "structured-pruning", f"keep_ratio {show(recipe.get('keep_ratio'))}"),
        (epochs is not None and epochs > 0, "fine-tuning", f"fine_tune_epochs {show(recipe.get('fine_tune_epochs'))}"),
    )
    for applies, technique, what in recipe_needs if ids is not None else ():
        if applies != (technique in (ids or [])):
            yield Problem(
                json_path(["optimized", "techniques"]),
                "inconsistent-recipe",
                f"the recipe's {what} {'needs' if applies else 'rules out'} the technique {technique}",
            )
    base_count = whole_count(lookup(document, "baseline", "metrics", "parameter_count"))
    opt_count = whole_count(lookup(document, "optimized", "metrics", "parameter_count"))
    if keep is not None and base_count is not None and opt_count is not None:
        if (keep < 1 and opt_count >= base_count) or (keep == 1 and opt_count != base_count):
            yield Problem(
                json_path(["optimized", "metrics", "parameter_count"]),
                "inconsistent-recipe",
                f"keep_ratio {keep:g} {'removes neurons, so' if keep < 1 else 'keeps every neuron, so'} the optimized "
                f"parameter_count {opt_count:.0f} must be {'below' if keep < 1 else 'equal to'} the baseline's {base_count:.0f}",
            )
