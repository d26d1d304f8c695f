"""A classifier saved by `coachloop train classifier --save` is one the planner can use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.commands.train import train_classifier
from models import fitness, registry
from models.cohort import generate_cohort
from models.items import PE_ITEMS


@pytest.fixture()
def saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Train+save a LightGBM on 240 synthetic students into a tmp model dir (as the CLI does)."""
    frame = generate_cohort(240, seed=5)
    frame["category"] = frame["category"].replace({"excellent": "good"})  # 2 excellent rows
    csv = tmp_path / "cohort.csv"
    frame.to_csv(csv, index=False)
    model_dir = tmp_path / "models"
    monkeypatch.setenv("MODEL_DIR", str(model_dir))
    train_classifier(
        csv=csv,
        label="category",
        features=",".join(PE_ITEMS),
        categorical="sex",
        models="lgbm",
        folds=2,
        seed=0,
        as_json=True,
        save="classifier",
    )
    fitness.clear_cache()
    return model_dir


def test_saved_classifier_carries_per_sex_medians_and_a_same_sex_background(saved: Path) -> None:
    manifest = json.loads((saved / "classifier" / "v1" / "manifest.json").read_text())
    medians = manifest["extra"]["medians_by_sex"]
    assert {"male", "female", "all"} <= set(medians)
    assert set(PE_ITEMS) <= set(medians["female"])
    assert medians["male"]["pull_ups"] > medians["female"]["pull_ups"]
    background_sex = manifest["extra"]["background_sex"]
    assert background_sex.count("male") == background_sex.count("female") == 30


def test_assess_uses_the_users_saved_classifier(saved: Path) -> None:
    result = fitness.assess(
        {"pull_ups": 2, "run_50m_s": 9.9, "height_cm": 163, "weight_kg": 55}, "F", saved
    )
    assert result.model_versions["classifier"] == "v1"  # the user's, not "shipped"
    assert result.model_versions["grouping"] == "shipped"  # no user grouping: the default
    assert result.cluster_id.startswith("female:")
    assert set(result.probabilities) == {"good", "pass", "fail"}
    assert {"sit_ups", "vital_capacity_ml"} <= set(result.imputed)
    assert {f.feature for f in result.factors} == set(PE_ITEMS)


def test_medians_fall_back_to_pooled_for_an_artefact_without_sex() -> None:
    pooled = {"medians_by_sex": {"all": {"pull_ups": 4.0}}}
    assert fitness.medians_for(pooled, "male") == {"pull_ups": 4.0}
    legacy = {"medians_by_sex": {"F": {"pull_ups": 1.0}, "M": {"pull_ups": 7.0}}}
    assert fitness.medians_for(legacy, "female") == {"pull_ups": 1.0}
    assert fitness.medians_for({}, "female") == {}


def test_registry_lists_the_saved_version_as_current(saved: Path) -> None:
    art = registry.load_current("classifier", saved)
    assert art.manifest.version == "v1" and art.manifest.extra["model"] == "lgbm"


def test_a_saved_lgbm_norm_assesses_an_athlete_on_her_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = generate_cohort(240, seed=5)
    frame["category"] = frame["category"].replace({"excellent": "good"})
    csv = tmp_path / "cohort.csv"
    frame.to_csv(csv, index=False)
    monkeypatch.setenv("MODEL_DIR", str(tmp_path / "models"))
    train_classifier(
        csv=csv,
        label="category",
        features=",".join(PE_ITEMS),
        categorical="sex",
        models="lgbm_norm",
        folds=2,
        seed=0,
        as_json=True,
        save="classifier",
    )
    fitness.clear_cache()
    art = registry.load_current("classifier", tmp_path / "models")
    assert art.manifest.extra["model"] == "lgbm_norm"
    assert art.objects["model.joblib"].norm_stats_  # per-sex norms learnt from the CSV
    result = fitness.assess(
        {"pull_ups": 2, "run_50m_s": 9.9, "height_cm": 163, "weight_kg": 55},
        "F",
        tmp_path / "models",
    )
    assert set(result.probabilities) == {"good", "pass", "fail"}
    assert {f.feature for f in result.factors} == set(PE_ITEMS)  # sex is context, never a factor
