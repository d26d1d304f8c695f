"""SHAP on original items, deficiency mapping, registry round trip, the planner's assess()."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models import fitness, registry
from models.baselines import lightgbm
from models.explain import ShapFactor, deficiencies, explain_row
from models.features import PRESCRIPTION_BATTERY, design_matrix
from models.hybrid import HybridCNNLightGBM
from models.items import PE_ITEMS


@pytest.mark.slow
def test_exact_shap_is_on_original_items_and_sums_to_the_prediction(cohort: pd.DataFrame) -> None:
    X = cohort[list(PE_ITEMS)].astype(float)
    model = lightgbm().fit(X, cohort["category"])
    result = explain_row(model, X, X.iloc[[4]])
    assert {f.feature for f in result.factors} == set(PE_ITEMS)
    total = result.base_value + sum(f.contribution for f in result.factors)
    assert total == pytest.approx(result.output, abs=1e-6)
    proba = model.predict_proba(X.iloc[[4]])[0]
    expected = float(
        proba
        @ np.array([{"excellent": 0, "good": 1, "pass": 2, "fail": 3}[c] for c in model.classes_])
    )
    assert result.output == pytest.approx(expected)


@pytest.mark.slow
def test_hybrid_shap_covers_lap_splits_not_embedding_units(cohort: pd.DataFrame) -> None:
    X, _ = design_matrix(cohort, PRESCRIPTION_BATTERY)
    model = HybridCNNLightGBM(
        filters=(8, 16, 32), n_heads=4, max_epochs=2
    ).fit(X, cohort["bmi_class"])
    result = explain_row(model, X.head(40), X.iloc[[0]])
    assert [f.feature for f in sorted(result.factors, key=lambda f: f.feature)] == sorted(X.columns)
    total = result.base_value + sum(f.contribution for f in result.factors)
    assert total == pytest.approx(result.output, abs=1e-6)  # permutation SHAP is efficient too
    assert result.method == "shap.PermutationExplainer"


def test_deficiencies_map_weak_items_to_the_papers_emphasis() -> None:
    factors = [
        ShapFactor("pull_ups", 1.0, 0.40),  # weak and pushes to a worse class
        ShapFactor("sit_and_reach_cm", 20.0, 0.30),  # pushes, but is not weak: skipped
        *[ShapFactor(f"lap_{i:02d}_s", 80.0, 0.05) for i in range(11, 16)],  # late fade: 0.25
        ShapFactor("run_50m_s", 7.0, -0.2),
    ]
    reference = {
        "pull_ups": 8.0,
        "sit_and_reach_cm": 10.0,
        "run_50m_s": 7.5,
        **{f"lap_{i:02d}_s": 70.0 for i in range(11, 16)},
    }
    found = deficiencies(factors, reference, top=2)
    assert [(d.feature, d.emphasis) for d in found] == [
        ("pull_ups", "upper-body strength"),
        ("late_laps", "aerobic volume"),
    ]
    assert found[1].contribution == pytest.approx(0.25)


def test_registry_round_trip_and_versions(tmp_path: Path) -> None:
    first = registry.save(
        "demo",
        {"model.joblib": {"w": [1, 2]}},
        model_dir=tmp_path,
        data_hash="abc",
        seed=3,
        metrics={"acc": 0.5},
    )
    second = registry.save(
        "demo",
        {"model.joblib": {"w": [3]}},
        model_dir=tmp_path,
        data_hash="def",
        seed=4,
        metrics={"acc": 0.6},
    )
    assert (first.version, second.version) == ("v1", "v2")
    loaded = registry.load_current("demo", tmp_path, shipped_dir=tmp_path / "none")
    assert loaded.objects["model.joblib"] == {"w": [3]}
    assert loaded.manifest.seed == 4 and loaded.manifest.data_hash == "def"
    assert loaded.manifest.created_at.endswith("+00:00")
    assert loaded.manifest.files == ["model.joblib"]


def test_registry_falls_back_to_shipped_then_errors(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped"
    registry.save_shipped(
        "demo", {"a.joblib": 1}, data_hash="h", seed=0, metrics={}, shipped_dir=shipped
    )
    assert registry.load_current("demo", tmp_path / "user", shipped).manifest.version == "shipped"
    with pytest.raises(FileNotFoundError, match="coachloop"):
        registry.load_current("other", tmp_path / "user", shipped)
    with pytest.raises(ValueError):
        registry.save("../evil", {}, model_dir=tmp_path, data_hash="", seed=0, metrics={})


def test_shipped_artefacts_have_manifests_and_are_small() -> None:
    for name in ("grouping", "classifier"):
        folder = registry.SHIPPED_DIR / name
        manifest = registry.Manifest.from_path(folder / "manifest.json")
        assert manifest.name == name and len(manifest.data_hash) == 64
        for f in manifest.files:
            assert (folder / f).stat().st_size < 5 * 1024 * 1024


@pytest.mark.slow
def test_assess_gives_group_class_and_emphasis_from_partial_tests() -> None:
    fitness.clear_cache()
    result = fitness.assess(
        {
            "pull_ups": 1,
            "run_50m_s": 8.6,
            "endurance_run_s": 300,
            "height_cm": 176,
            "weight_kg": 88,
            "sit_ups": 30,
        },
        "M",
    )
    assert result.cluster_id.startswith("male:")
    assert result.predicted_class in result.probabilities
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    # the shipped classifier reads real people's columns: no item of ours measures blood
    # pressure, and grip, body fat and age were not given; BMI comes from height and weight
    assert {"diastolic", "systolic", "grip_kg", "body_fat_pct", "age"} <= set(result.imputed)
    assert "bmi" not in result.imputed and "sit_ups" not in result.imputed
    assert set(result.probabilities) == {"A", "B", "C", "D"}
    assert all("=" not in f.feature for f in result.factors)
    assert all(d.feature not in result.imputed for d in result.deficiencies)
    with pytest.raises(ValueError, match="sex"):
        fitness.assess({}, "unknown")


def test_policy_dir_prefers_the_users_policy_then_the_shipped_constrained_one(
        tmp_path: Path) -> None:
    shipped = tmp_path / "shipped"
    (shipped / registry.POLICY / "constrained").mkdir(parents=True)
    (shipped / registry.POLICY / "policy.zip").write_bytes(b"plain")
    user = tmp_path / "user"
    assert registry.policy_dir(user, shipped_dir=shipped) == shipped / registry.POLICY
    (shipped / registry.POLICY / "constrained" / "policy.zip").write_bytes(b"rules")
    assert registry.policy_dir(user, shipped_dir=shipped) == (
        shipped / registry.POLICY / "constrained")
    assert registry.policy_dir(user, shipped_dir=shipped, constrained=False) == (
        shipped / registry.POLICY)
    registry.trained_policy_dir(user).mkdir(parents=True)
    (registry.trained_policy_dir(user) / "policy.zip").write_bytes(b"mine")
    assert registry.policy_dir(user, shipped_dir=shipped) == user / registry.POLICY
