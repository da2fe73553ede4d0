"""A small run of benchmarks/validate_estimators.py: planted truth in, estimates out."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "validate_estimators.py"


@pytest.fixture(scope="module")
def validation():
    spec = importlib.util.spec_from_file_location("validate_estimators", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_a_planted_effect_the_truth_is_zero(validation):
    records = validation.run_sample(1, reps=8, months=5, effect=0.0, confounding=1.0,
                                    resamples=200)
    assert {r["estimator"] for r in records} == set(validation.ESTIMATORS)
    assert all(r["truth"] == pytest.approx(0, abs=1e-12) for r in records)
    assert any(r["estimate"] not in (None, 0) for r in records)


def test_a_planted_effect_is_a_positive_truth_and_the_table_reports_it(validation, capsys):
    records = validation.run_sample(2, reps=8, months=5, effect=0.2, confounding=0.0,
                                    resamples=200)
    within = next(r for r in records if r["estimator"] == "headline_within")
    assert within["truth"] > 0.01 and within["low"] < within["high"]
    rows = validation.summarise(records)
    assert {row["estimator"] for row in rows} <= set(validation.ESTIMATORS.values())
    text = validation.main(["--samples", "1", "--reps", "8", "--months", "5", "--effects",
                            "0.08", "--confounding", "0", "--resamples", "100"])
    assert "| 0.08 | 0 | within rep | 1 |" in text and "95% coverage" in text
    assert text in capsys.readouterr().out
