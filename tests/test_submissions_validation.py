"""course_tools.submissions validation: the corpus, every bad-input case with its exact code,
consistency tolerances and plausibility bounds."""

from __future__ import annotations

import builtins
import copy
import importlib.util
import json
import os
import random
import shutil
import statistics
from pathlib import Path
from typing import Any

import pytest

from course_tools.bootstrap import percentile_interval
from course_tools.submissions import CODES, Problem, validate_file, validate_submission_dict
from course_tools.submissions.intervals import interval_problems
from course_tools.submissions.techniques import label_id, technique_ids
from course_tools.submissions.strict_json import MAX_FILE_BYTES

CORPUS = Path(__file__).parent / "submission_corpus"
EXPECTED: dict[str, list[str]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def _load_corpus_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_submission_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus_script = _load_corpus_script()


def codes(problems: list[Problem]) -> list[str]:
    return sorted({problem.code for problem in problems})


def good() -> dict[str, Any]:
    """alice's valid submission without its artifact reference (valid anywhere, no file needed)."""
    alice = corpus_script.alice()
    del alice["optimized"]["artifact"]
    return alice


def p50_ratio_submission() -> dict[str, Any]:
    """alice's reports, each measured in one run, speedup = baseline p50 / optimized p50."""
    alice = corpus_script.alice()
    for role in ("baseline", "optimized"):
        del alice[role]["metrics"]["latency_ms_round_p50s"], alice[role]["metrics"]["latency_p50_spread"]
    techniques = alice["optimized"].pop("techniques")
    return corpus_script.submission(
        "alice", alice["baseline"], alice["optimized"], techniques, alice["timestamp"], method="p50_ratio"
    )


# --- the corpus ---------------------------------------------------------------------------


def test_corpus_has_good_and_bad_files_and_covers_every_file_level_code() -> None:
    assert sum(1 for codes_ in EXPECTED.values() if not codes_) >= 5
    covered = {code for codes_ in EXPECTED.values() for code in codes_}
    corpus_codes = set(CODES) - {"not-found", "not-a-file", "unreadable", "too-large", "duplicate-submitter"}
    assert corpus_codes <= covered, f"no corpus file for {sorted(corpus_codes - covered)}"


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_corpus_file_gives_exactly_its_expected_codes(relative: str) -> None:
    assert codes(validate_file(CORPUS / relative)) == EXPECTED[relative]


def test_corpus_is_reproducible_from_its_script(tmp_path: Path) -> None:
    corpus_script.write_corpus(tmp_path)
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.*"))
    committed = sorted(
        path.relative_to(CORPUS).as_posix() for path in CORPUS.rglob("*.*") if path.suffix in (".json", ".npz")
    )
    assert written == committed
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (CORPUS / relative).read_bytes(), (
            f"{relative} differs: rerun make_corpus.py"
        )


# --- bad files and paths: each with its exact code -----------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert codes(validate_file(tmp_path / "nope.json")) == ["not-found"]


def test_directory_passed_as_a_file(tmp_path: Path) -> None:
    problems = validate_file(tmp_path)
    assert codes(problems) == ["not-a-file"]
    assert "directory" in problems[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs exist only on POSIX")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert codes(validate_file(fifo)) == ["not-a-file"]


def test_enormous_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as stream:
        stream.truncate(50 * 1024**3)  # sparse: 50 GiB on paper, nothing on disk
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        assert Path(file) != huge, "the oversized file must not be opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    problems = validate_file(huge)
    assert codes(problems) == ["too-large"]
    assert f"{MAX_FILE_BYTES:,}" in problems[0].message


def test_file_just_over_the_cap_is_refused_and_at_the_cap_is_read(tmp_path: Path) -> None:
    text = json.dumps(good())
    at_cap = tmp_path / "at_cap.json"
    at_cap.write_text(text + " " * (MAX_FILE_BYTES - len(text)), encoding="utf-8")
    assert at_cap.stat().st_size == MAX_FILE_BYTES
    assert validate_file(at_cap) == []
    over = tmp_path / "over.json"
    over.write_text(text + " " * (MAX_FILE_BYTES - len(text) + 1), encoding="utf-8")
    assert codes(validate_file(over)) == ["too-large"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "locked.json"
    target.write_text(json.dumps(good()), encoding="utf-8")
    real_open = builtins.open

    def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(file) == target:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    problems = validate_file(target)
    assert codes(problems) == ["unreadable"]
    assert "Permission denied" in problems[0].message


def test_deeply_nested_json_is_not_json(tmp_path: Path) -> None:
    target = tmp_path / "deep.json"
    target.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert codes(validate_file(target)) == ["not-json"]


def test_integer_literal_beyond_pythons_digit_limit_is_not_json(tmp_path: Path) -> None:
    target = tmp_path / "digits.json"
    target.write_text(
        json.dumps(good()).replace('"parameter_count": 85002', '"parameter_count": ' + "9" * 5000), encoding="utf-8"
    )
    assert codes(validate_file(target)) == ["not-json"]


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    target = tmp_path / "bom.json"
    target.write_bytes(b"\xef\xbb\xbf" + json.dumps(good()).encode("utf-8"))
    assert validate_file(target) == []


def test_every_nan_and_infinity_is_reported_at_its_path(tmp_path: Path) -> None:
    text = json.dumps(good(), allow_nan=True)
    text = text.replace('"accuracy": 0.9722', '"accuracy": NaN').replace(
        '"latency_ms_std": 0.005247', '"latency_ms_std": -Infinity'
    )
    target = tmp_path / "nan.json"
    target.write_text(text, encoding="utf-8")
    problems = validate_file(target)
    assert codes(problems) == ["non-finite-number"]
    assert {problem.path for problem in problems} == {
        "$.optimized.metrics.accuracy",
        "$.optimized.metrics.latency_ms_std",
    }


def test_duplicate_key_is_reported_at_its_object(tmp_path: Path) -> None:
    text = json.dumps(good()).replace('"speedup":', '"speedup": 1.0, "speedup":')
    target = tmp_path / "dup.json"
    target.write_text(text, encoding="utf-8")
    problems = validate_file(target)
    assert [(problem.path, problem.code) for problem in problems] == [("$.improvements", "duplicate-key")]


# --- parsed documents ----------------------------------------------------------------------


def test_good_document_is_valid() -> None:
    assert validate_submission_dict(good()) == []


@pytest.mark.parametrize(
    "value", [None, [], "submission.json", 42, 1.5, True, {}, {"improvements": "x"}, {"baseline": []}]
)
def test_non_submissions_are_reported_not_raised(value: Any) -> None:
    problems = validate_submission_dict(value)
    assert problems and codes(problems) == ["schema"]


def test_python_nan_and_infinity_in_a_dict_are_non_finite() -> None:
    document = good()
    document["optimized"]["metrics"]["latency_ms_p99"] = float("nan")
    document["improvements"]["speedup"] = float("inf")
    problems = [problem for problem in validate_submission_dict(document) if problem.code == "non-finite-number"]
    assert {problem.path for problem in problems} == {"$.optimized.metrics.latency_ms_p99", "$.improvements.speedup"}


def test_missing_and_extra_fields_are_reported_at_their_own_paths() -> None:
    document = good()
    del document["improvements"]["speedup"]
    del document["optimized"]["techniques"]
    document["baseline"]["metrics"]["latency_ms_p999"] = 1.0
    problems = validate_submission_dict(document)
    assert codes(problems) == ["schema"]
    assert {problem.path for problem in problems} == {
        "$.improvements.speedup",
        "$.optimized.techniques",
        "$.baseline.metrics.latency_ms_p999",
    }


def test_odd_keys_render_as_quoted_one_line_paths() -> None:
    document = good()
    document["bad key\nwith newline"] = 1
    [problem] = validate_submission_dict(document)
    assert problem.path == '$["bad key\\nwith newline"]'
    assert "\n" not in str(problem)


@pytest.mark.parametrize(
    ("field", "factor", "expected"),
    [
        ("speedup", 1.005, []),
        ("speedup", 1.02, ["inconsistent-improvement"]),
        ("compression", 0.995, []),
        ("compression", 0.97, ["inconsistent-improvement"]),
    ],
)
def test_ratio_tolerance_is_one_percent(field: str, factor: float, expected: list[str]) -> None:
    document = good()
    document["improvements"][field] *= factor
    assert codes(validate_submission_dict(document)) == expected


@pytest.mark.parametrize(("shift", "expected"), [(0.0004, []), (0.002, ["inconsistent-improvement"])])
def test_accuracy_delta_tolerance_is_absolute(shift: float, expected: list[str]) -> None:
    document = good()
    document["improvements"]["accuracy_delta"] += shift
    assert codes(validate_submission_dict(document)) == expected


def set_rounds(document: dict[str, Any], rounds: list[float]) -> dict[str, Any]:
    document["improvements"].update(speedup_rounds=rounds, speedup=statistics.median(rounds))
    return document


def reports_ratio(document: dict[str, Any]) -> float:
    return float(document["baseline"]["metrics"]["latency_ms_p50"] / document["optimized"]["metrics"]["latency_ms_p50"])


@pytest.mark.parametrize(
    ("nearest_round", "expected"),
    [(1.4, []), (1 / 1.4, []), (1.6, ["inconsistent-improvement"]), (1 / 1.6, ["inconsistent-improvement"])],
)
def test_the_reports_p50_ratio_lies_within_1_5x_of_the_range_of_the_interleaved_rounds(
    nearest_round: float, expected: list[str]
) -> None:
    document = good()
    ratio = reports_ratio(document)
    # Every round `nearest_round` times the reports' ratio or further out on the same side.
    rounds = [ratio * nearest_round * spread for spread in (1.0, 1.05, 1.1)]
    if nearest_round < 1:
        rounds = [ratio * nearest_round / spread for spread in (1.0, 1.05, 1.1)]
    assert codes(validate_submission_dict(set_rounds(document, rounds))) == expected


def test_an_honest_submission_on_a_busy_machine_whose_median_round_is_far_from_its_reports_is_valid() -> None:
    """Rounds as wide as beside three CPU-bound processes (0.73 to 2.11 times the reports' ratio);
    their median lies 1.6x from the reports' ratio, which a single round's ratio covers."""
    document = good()
    ratio = reports_ratio(document)
    rounds = [ratio * factor for factor in (0.73, 1.0, 1.55, 1.6, 1.62, 1.8, 2.11)]
    assert statistics.median(rounds) / ratio > 1.5
    assert validate_submission_dict(set_rounds(document, rounds)) == []


def test_p50_ratio_method_is_checked_against_the_reports() -> None:
    document = p50_ratio_submission()
    assert validate_submission_dict(document) == []
    document["improvements"]["speedup"] *= 1.02
    [problem] = validate_submission_dict(document)
    assert (problem.path, problem.code) == ("$.improvements.speedup", "inconsistent-improvement")
    assert "baseline latency_ms_p50 / optimized latency_ms_p50" in problem.message


def test_round_p50s_one_run_per_report_and_spread_are_cross_checked() -> None:
    document = good()
    rounds = document["optimized"]["metrics"]["latency_ms_round_p50s"]
    document["optimized"]["metrics"]["latency_ms_round_p50s"] = [rounds[0]]
    problems = validate_submission_dict(document)
    assert {(problem.path, problem.code) for problem in problems} == {
        ("$.optimized.metrics.latency_ms_p50", "inconsistent-rounds"),
        ("$.optimized.metrics.latency_p50_spread", "inconsistent-rounds"),
    }


def test_mean_instead_of_p50_is_inconsistent() -> None:
    document = good()
    base, opt = document["baseline"]["metrics"], document["optimized"]["metrics"]
    document["improvements"]["speedup"] = base["latency_ms_mean"] / (opt["latency_ms_mean"] * 1.2)
    [problem] = validate_submission_dict(document)
    assert (problem.path, problem.code) == ("$.improvements.speedup", "inconsistent-improvement")


def test_p99_below_p95_is_out_of_order() -> None:
    document = good()
    metrics = document["baseline"]["metrics"]
    metrics["latency_ms_p99"] = metrics["latency_ms_p95"] * 0.99
    [problem] = validate_submission_dict(document)
    assert (problem.path, problem.code) == ("$.baseline.metrics.latency_ms_p99", "percentile-order")


def test_non_positive_values_are_reported_once_without_cascading() -> None:
    document = good()
    document["optimized"]["metrics"]["latency_ms_p50"] = 0.0
    document["baseline"]["metrics"]["model_size_mb"] = -4.3
    problems = validate_submission_dict(document)
    assert [(problem.path, problem.code) for problem in problems] == [
        ("$.baseline.metrics.model_size_mb", "non-positive"),
        ("$.optimized.metrics.latency_ms_p50", "non-positive"),
    ]


def test_accuracy_delta_out_of_range() -> None:
    document = good()
    document["improvements"]["accuracy_delta"] = -1.5
    assert codes(validate_submission_dict(document)) == ["accuracy-range"]


def test_submission_system_info_must_match_the_baseline() -> None:
    document = good()
    document["system_info"]["numpy_version"] = "2.1.0"
    document["optimized"]["system_info"]["machine"] = "arm64"
    problems = validate_submission_dict(document)
    assert codes(problems) == ["system-mismatch"]
    assert {problem.path for problem in problems} == {"$.system_info.numpy_version", "$.optimized.system_info.machine"}


def test_load_and_extra_context_may_differ_between_reports() -> None:
    document = good()
    document["optimized"]["system_info"]["load_average"] = 1.7
    document["optimized"]["system_info"]["note"] = "second run"
    assert validate_submission_dict(document) == []


def test_huge_but_schema_valid_numbers_do_not_crash() -> None:
    document = p50_ratio_submission()
    document["baseline"]["metrics"]["latency_ms_p99"] = 1e308
    document["optimized"]["metrics"]["latency_ms_p50"] = 5e-324
    # 5e-324 ms is also far below the mean the distribution records.
    assert codes(validate_submission_dict(document)) == ["implausible", "inconsistent-improvement", "inconsistent-latency"]


def test_random_mutations_never_raise() -> None:
    generator = random.Random(20)
    replacements: list[Any] = [
        None,
        True,
        -1,
        0,
        1e308,
        -0.0,
        "",
        "x" * 1000,
        [],
        {},
        [1, 2],
        {"a": {}},
        float("nan"),
        10**30,
    ]
    for _ in range(400):
        document = good()
        for _ in range(generator.randint(1, 4)):
            target: Any = document
            while isinstance(target, dict) and target and generator.random() < 0.7:
                key = generator.choice(list(target))
                if not isinstance(target[key], (dict, list)) or generator.random() < 0.3:
                    if generator.random() < 0.3:
                        del target[key]
                    else:
                        target[key] = copy.deepcopy(generator.choice(replacements))
                    break
                target = target[key]
        problems = validate_submission_dict(document)
        assert all(problem.code in CODES for problem in problems)


# --- the speedup's confidence interval (schema 1.4.0) ---------------------------------------------


def with_rounds(rounds: list[float], **interval: Any) -> dict[str, Any]:
    """alice's submission at schema 1.4.0 with these speedup rounds, their median as the speedup
    and their interval as the corpus script computes it (``interval`` overrides its settings)."""
    document = good()
    document["improvements"]["speedup_rounds"] = rounds
    document["improvements"]["speedup"] = statistics.median(rounds)
    upgraded = corpus_script.with_interval(document)
    upgraded["improvements"]["speedup_interval"] = corpus_script.bootstrap_interval(rounds, **interval)
    return upgraded


def noisy_rounds(count: int = 21, seed: int = 1) -> list[float]:
    """Per-round speedups around alice's p50 ratio, spread by 5% as on a quiet machine."""
    ratio = good()["improvements"]["speedup"]
    generator = random.Random(seed)
    return [round(ratio * generator.lognormvariate(0, 0.05), 6) for _ in range(count)]


def set_interval(document: dict[str, Any], **fields: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["improvements"]["speedup_interval"].update(fields)
    return changed


def test_interval_of_the_recorded_rounds_is_valid_and_the_validator_recomputes_it_bit_for_bit() -> None:
    document = with_rounds(noisy_rounds())
    assert validate_submission_dict(document) == []
    recorded = document["improvements"]["speedup_interval"]
    recomputed = percentile_interval(document["improvements"]["speedup_rounds"]).to_dict()
    assert recomputed == recorded


def test_interval_rounded_or_drawn_by_another_implementation_is_valid() -> None:
    document = with_rounds(noisy_rounds())
    interval = document["improvements"]["speedup_interval"]
    rounded = set_interval(document, low=float(f"{interval['low']:.3g}"), high=float(f"{interval['high']:.3g}"))
    assert validate_submission_dict(rounded) == []
    # Another correct style draws other resamples: the recorded seed 0, the draws of seeds 1..200.
    # The Monte-Carlo band (z = 4) accepts every one of them.
    rounds = document["improvements"]["speedup_rounds"]
    for seed in range(1, 201):
        other = percentile_interval(rounds, seed=seed)
        assert interval_problems(set_interval(document, low=other.low, high=other.high)) == [], seed


def test_shifted_interval_is_not_recomputable() -> None:
    document = with_rounds(noisy_rounds())
    interval = document["improvements"]["speedup_interval"]
    shift = 0.9 * (document["improvements"]["speedup"] - interval["low"])
    shifted = set_interval(document, low=interval["low"] + shift, high=interval["high"] + shift)
    assert shifted["improvements"]["speedup_interval"]["low"] <= document["improvements"]["speedup"]
    problems = validate_submission_dict(shifted)
    assert codes(problems) == ["inconsistent-interval"]
    assert {problem.path for problem in problems} == {
        "$.improvements.speedup_interval.low",
        "$.improvements.speedup_interval.high",
    }
    assert "is not the 2.5th percentile of the bootstrap medians" in problems[0].message


def test_interval_not_containing_the_speedup() -> None:
    document = with_rounds(noisy_rounds())
    speedup = document["improvements"]["speedup"]
    above = set_interval(document, low=speedup * 1.02, high=speedup * 1.1)
    [problem] = validate_submission_dict(above)
    assert problem.code == "inconsistent-interval" and "does not contain the speedup" in problem.message
    inverted = set_interval(document, low=speedup * 1.05, high=speedup * 0.95)
    [problem] = validate_submission_dict(inverted)
    assert problem.code == "inconsistent-interval" and "is above high" in problem.message


def test_tampered_bound_is_reported_at_its_path() -> None:
    document = with_rounds(noisy_rounds())
    tampered = set_interval(document, high=document["improvements"]["speedup_interval"]["high"] * 1.2)
    [problem] = validate_submission_dict(tampered)
    assert (problem.path, problem.code) == ("$.improvements.speedup_interval.high", "inconsistent-interval")


def test_interval_of_other_rounds_or_settings_is_reported() -> None:
    document = with_rounds(noisy_rounds())
    # The rounds of another measurement, spread twice as wide, keeping the speedup: an interval
    # too narrow for the rounds it claims to come from.
    wide = with_rounds([round(value * value / document["improvements"]["speedup"], 6) for value in noisy_rounds()])
    wide["improvements"]["speedup_interval"] = document["improvements"]["speedup_interval"]
    assert codes(validate_submission_dict(wide)) == ["inconsistent-interval"]
    claimed_99 = set_interval(document, confidence=0.99)
    assert codes(validate_submission_dict(claimed_99)) == ["inconsistent-interval"]


def test_interval_needs_five_rounds_and_a_budget() -> None:
    document = with_rounds(noisy_rounds(count=5))
    assert validate_submission_dict(document) == []
    four = copy.deepcopy(document)
    four["improvements"]["speedup_rounds"] = four["improvements"]["speedup_rounds"][:4]
    four["improvements"]["speedup"] = statistics.median(four["improvements"]["speedup_rounds"])
    problems = interval_problems(four)
    assert codes(problems) == ["inconsistent-interval"] and "at least 5 speedup_rounds" in problems[0].message
    huge = set_interval(document, resamples=10**9)
    assert "more than the validator recomputes" in interval_problems(huge)[0].message


def test_interval_and_versions() -> None:
    document = with_rounds(noisy_rounds())
    older = dict(document, schema_version="1.3.0")
    assert codes(validate_submission_dict(older)) == ["schema-version"]
    missing = copy.deepcopy(document)
    del missing["improvements"]["speedup_interval"]
    assert codes(validate_submission_dict(missing)) == ["schema"]
    assert validate_submission_dict(good()) == [], "a 1.3.0 document stays valid without an interval"


def test_interval_mutations_never_raise() -> None:
    generator = random.Random(21)
    replacements: list[Any] = [None, True, -1, 0, 0.5, 1, 1.5, 10**30, 1e308, "", [], {}, float("nan")]
    document = with_rounds(noisy_rounds())
    for _ in range(300):
        mutated = copy.deepcopy(document)
        interval = mutated["improvements"]["speedup_interval"]
        for _ in range(generator.randint(1, 3)):
            key = generator.choice(list(interval))
            interval[key] = copy.deepcopy(generator.choice(replacements))
        assert all(problem.code in CODES for problem in validate_submission_dict(mutated))


# --- plausibility ----------------------------------------------------------------------------


def _variant(techniques: list[str], hidden: int, precision: str, p50_ms: float) -> dict[str, Any]:
    base = corpus_script.baseline_report("2026-03-02T10:15:03+00:00")
    optimized = corpus_script.report(
        "variant",
        "2026-03-02T10:15:09+00:00",
        corpus_script.metrics(corpus_script.mlp_parameter_count(hidden), precision, p50_ms, 0.975),
    )
    return corpus_script.submission("sam", base, optimized, techniques, "2026-03-02T10:15:12+00:00")


@pytest.mark.parametrize(
    ("techniques", "hidden", "precision", "p50_ms", "expected"),
    [
        (["int8 quantization"], 1024, "int8", 0.2, []),  # 4x compression, 1.5x speedup
        (["int8 quantization"], 1024, "int8", 0.035, []),  # 8.6x: within the 4 x 3 = 12x allowed
        (["int8 quantization"], 1024, "int8", 0.02, ["implausible"]),  # 15x speedup from int8 alone
        (["int8 quantization"], 512, "int8", 0.2, ["implausible"]),  # 15x compression from int8 alone
        (["fp16 quantization"], 1024, "fp16", 0.25, []),
        # precision fell, no quantization listed
        (["structured pruning"], 1024, "int8", 0.25, ["implausible", "inconsistent-recipe"]),
        (["magnitude pruning"], 1024, "fp32", 0.29, []),
        (["magnitude pruning"], 1024, "fp32", 0.08, ["implausible"]),  # 3.8x, 3x allowed
        ([{"id": "magnitude-pruning", "detail": "90%"}], 1024, "fp32", 0.08, ["implausible"]),
        (["magnitude pruning (90%)"], 1024, "fp32", 0.08, []),  # an unknown label is other: 6x allowed
        (["magnitude pruning"], 256, "fp32", 0.29, ["implausible"]),  # dense zeros remove no parameters
        (["structured pruning", "fine-tuning"], 256, "fp32", 0.02, []),  # 13x fewer parameters, 15x faster
        (["structured pruning", "int8 quantization"], 256, "int8", 0.0006, ["implausible"]),
        (["operator fusion"], 1024, "fp32", 0.06, []),  # runtime techniques get 2 x 3 = 6x
        (["operator fusion"], 1024, "fp32", 0.04, ["implausible"]),
        (["distillation", "int8"], 16, "int8", 0.003, ["implausible"]),  # above the 1000x ceiling
    ],
)
def test_plausibility_bounds(
    techniques: list[str], hidden: int, precision: str, p50_ms: float, expected: list[str]
) -> None:
    assert codes(validate_submission_dict(_variant(techniques, hidden, precision, p50_ms))) == expected


def test_implausible_message_names_the_bound() -> None:
    [problem] = validate_submission_dict(_variant(["int8 quantization"], 512, "int8", 0.2))
    assert problem.path == "$.improvements.compression"
    assert "4x" in problem.message and "removes parameters" in problem.message


@pytest.mark.parametrize(
    ("label", "technique"),
    [
        ("int8 quantization", "int8-quantization"),
        ("Structured  Neuron Pruning", "structured-pruning"),
        ("fine-tuning", "fine-tuning"),
        ("fp16 quantization", "fp16-storage"),
        ("magnitude pruning", "magnitude-pruning"),
        # Not in the table: read as other, never guessed from a word inside the label.
        ("magnitude pruning 90%", "other"),
        ("pruned-int8", "other"),
        ("kernel fusion", "other"),
    ],
)
def test_labels_are_read_through_the_fixed_table(label: str, technique: str) -> None:
    assert label_id(label) == technique


def test_technique_objects_name_their_id() -> None:
    assert technique_ids([{"id": "structured-pruning"}, "int8 quantization"]) == ["structured-pruning", "int8-quantization"]
    assert technique_ids([{"id": "warp-drive"}]) is None
    assert technique_ids([]) is None


# --- the model artifact next to the file ---------------------------------------------------------


def test_artifact_must_be_a_regular_file_next_to_the_submission(tmp_path: Path) -> None:
    document = corpus_script.alice()
    path = tmp_path / "submission.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert codes(validate_file(path)) == ["artifact-missing"]
    (tmp_path / "alice.npz").symlink_to(CORPUS / "good" / "alice.npz")
    [problem] = validate_file(path)
    assert problem.code == "artifact-missing" and "symbolic link" in problem.message
    (tmp_path / "alice.npz").unlink()
    shutil.copyfile(CORPUS / "good" / "alice.npz", tmp_path / "alice.npz")
    assert validate_file(path) == []
    assert validate_submission_dict(document) == [], "a parsed document has no folder: the file is not checked"
