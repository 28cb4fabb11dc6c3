"""Cross-checks between fields that constrain each other, beyond ``consistency`` and ``rounds``.

Every pair of fields a measurement ties together, and where it is checked:

| fields | relation | tolerance | where, code |
| --- | --- | --- | --- |
| p50, p90, p95, p99 | ordered | exact | ``consistency``, ``percentile-order`` |
| model_size_mb, parameter_count, precision | size = count x bytes / 1024**2 | 1% | ``consistency``, ``inconsistent-size`` |
| improvements, both reports' metrics | recomputed ratios and difference | 1%, 0.0005 | ``consistency``, ``inconsistent-improvement`` |
| speedup_rounds, reports' p50s | within 1.5x | 1.5x | ``rounds``, ``inconsistent-improvement`` |
| latency_ms_p50, latency_ms_round_p50s, spread | median, (max - min) / median | 1%, 0.001 | ``rounds``, ``inconsistent-rounds`` |
| system_info of the reports and document | same machine | exact | ``consistency``, ``system-mismatch`` |
| batch_size of both reports | equal | exact | ``consistency``, ``batch-size-mismatch`` |
| throughput, latency mean and p50, batch_size | batch x 1000 / (mean x L) <= throughput <= batch x 1000 x H / p50 | L = ``THROUGHPUT_LOW_FACTOR``, H = ``THROUGHPUT_HIGH_FACTOR`` | here, ``inconsistent-throughput`` |
| latency_ms_mean, latency_ms_p50, latency_ms_std | abs(mean - median) <= std | 1% of p50 | here, ``inconsistent-latency`` |
| report timestamps, submission timestamp | reports made before the submission | ``CLOCK_SLACK_S`` | here, ``timestamp-order`` |
| technique ids, optimized precision | int8-quantization iff int8, fp16-storage iff fp16 | exact | here, ``inconsistent-recipe`` |
| artifact recipe, technique ids, metrics | recipe precision = metrics precision; keep_ratio < 1 iff structured-pruning and fewer parameters; fine_tune_epochs > 0 iff fine-tuning; ids, not labels | exact | here, ``inconsistent-recipe`` |
| artifact file, its sha256 | the file next to submission.json has that digest | exact | ``artifacts`` (files only), ``artifact-missing``, ``artifact-mismatch`` |
| techniques, improvements | within what the techniques can give | see ``plausibility`` | ``plausibility``, ``implausible`` |

Tolerances from measurements. Throughput is timed in a separate, short loop (20 calls) from the
latency samples, so under load the two disagree: preemptions inflate the latency mean far above
the p50, and hit the short throughput loop or not. Measured with the reference harness on the
2-core course machine under load (load average 6-9, or two busy loops on both cores), 30 reports
of baseline, int8, pruned-int8 and pruned fp32 models at batch 1 and 32:
throughput x mean / (1000 x batch) was 0.56 to 8.6, never below 0.5; throughput x p50 /
(1000 x batch) (10 of the reports) 0.15 to 0.92, never above 1. The notebook now times batch-1
throughput as the best of many short rounds, while the latencies come from other moments: in a CI
run sharing the machine with a benchmark the reference's throughput x mean / (1000 x batch) came
out at 0.12 (a throughput window in a slow state). So the lower bound uses the mean with
``THROUGHPUT_LOW_FACTOR`` = 20 and the upper bound the p50 with ``THROUGHPUT_HIGH_FACTOR`` = 5; a
throughput computed for another batch size (32x off at batch 32) or invented apart from the
latencies still falls outside. ``|mean - median| <= std`` holds for any set of samples (at
most 0.61 std in those runs); the 1% of p50 absorbs rounding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from course_tools.submissions.consistency import (
    REPORTS,
    finite_number,
    lookup,
    parse_utc_timestamp,
    positive_number,
    whole_count,
)
from course_tools.submissions.problems import Problem, json_path, show
from course_tools.submissions.techniques import technique_ids

THROUGHPUT_LOW_FACTOR = 20.0
THROUGHPUT_HIGH_FACTOR = 5.0
LATENCY_RELATIVE_TOLERANCE = 0.01
CLOCK_SLACK_S = 1.0
PRECISION_IDS = {"int8": "int8-quantization", "fp16": "fp16-storage"}
PRECISIONS = ("fp32", "fp16", "int8")


def cross_check_problems(document: Any) -> list[Problem]:
    """Every disagreement between the field pairs this module checks (table above)."""
    problems: list[Problem] = []
    for report in REPORTS:
        problems.extend(_throughput(document, report))
        problems.extend(_mean_median(document, report))
    problems.extend(_timestamp_order(document))
    problems.extend(_precision_ids(document))
    problems.extend(_recipe(document))
    return problems


def _throughput(document: Any, report: str) -> Iterator[Problem]:
    metrics = lookup(document, report, "metrics")
    throughput = positive_number(lookup(metrics, "throughput_samples_per_sec"))
    mean = positive_number(lookup(metrics, "latency_ms_mean"))
    p50 = positive_number(lookup(metrics, "latency_ms_p50"))
    batch = whole_count(lookup(metrics, "batch_size"))
    if throughput is None or mean is None or p50 is None or batch is None:
        return
    low = batch * 1000.0 / (mean * THROUGHPUT_LOW_FACTOR)
    high = batch * 1000.0 * THROUGHPUT_HIGH_FACTOR / p50
    if not low <= throughput <= high:
        yield Problem(
            json_path([report, "metrics", "throughput_samples_per_sec"]),
            "inconsistent-throughput",
            f"throughput {throughput:g} samples/s contradicts the latencies at batch_size {batch:.0f}: it must lie "
            f"between batch x 1000 / (latency_ms_mean x {THROUGHPUT_LOW_FACTOR:g}) = {low:.4g} and batch x 1000 x "
            f"{THROUGHPUT_HIGH_FACTOR:g} / latency_ms_p50 = {high:.4g} samples/s (was it measured at another batch size?)",
        )


def _mean_median(document: Any, report: str) -> Iterator[Problem]:
    metrics = lookup(document, report, "metrics")
    mean = positive_number(lookup(metrics, "latency_ms_mean"))
    p50 = positive_number(lookup(metrics, "latency_ms_p50"))
    std = finite_number(lookup(metrics, "latency_ms_std"))
    if mean is None or p50 is None or std is None or std < 0:
        return
    if abs(mean - p50) > std + LATENCY_RELATIVE_TOLERANCE * p50:
        yield Problem(
            json_path([report, "metrics", "latency_ms_std"]),
            "inconsistent-latency",
            f"latency_ms_mean {mean:g} ms and latency_ms_p50 {p50:g} ms differ by more than latency_ms_std "
            f"{std:g} ms, which no set of samples allows (|mean - median| <= std; tolerance 1% of p50)",
        )


def _timestamp_order(document: Any) -> Iterator[Problem]:
    submitted_text = lookup(document, "timestamp")
    submitted = parse_utc_timestamp(submitted_text) if isinstance(submitted_text, str) else None
    if submitted is None:
        return
    for report in REPORTS:
        text = lookup(document, report, "timestamp")
        made = parse_utc_timestamp(text) if isinstance(text, str) else None
        if made is not None and (made - submitted).total_seconds() > CLOCK_SLACK_S:
            yield Problem(
                json_path([report, "timestamp"]),
                "timestamp-order",
                f"the {report} report ({text}) is dated after the submission ({submitted_text}), "
                "but a submission is generated from reports that exist already",
            )


def _precision_ids(document: Any) -> Iterator[Problem]:
    ids = technique_ids(lookup(document, "optimized", "techniques"))
    precision = lookup(document, "optimized", "metrics", "precision")
    if ids is None or precision not in PRECISIONS:
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
    precision = lookup(document, "optimized", "metrics", "precision")
    if precision in PRECISIONS and recipe.get("precision") in PRECISIONS and recipe["precision"] != precision:
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
