"""BP net, hybrid and baselines: sklearn contract, determinism, augmentation inside folds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from models import augment
from models.baselines import make_classifier, svr
from models.bp import BPNetClassifier
from models.evaluate import (
    cross_validate_models,
    cross_validate_regressors,
    fold_indices,
    is_continuous,
)
from models.features import PRESCRIPTION_BATTERY, design_matrix
from models.gbm import LGBM_PARAMS
from models.hybrid import HybridCNNLightGBM
from models.items import PE_ITEMS
from models.qualities import grouped_order, quality_of

TINY_HYBRID = {"filters": (8, 16, 32), "n_heads": 4, "max_epochs": 3}


@pytest.fixture(scope="module")
def pe_data(cohort: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    return cohort[list(PE_ITEMS)].astype(float), cohort["category"].to_numpy()


@pytest.fixture(scope="module")
def lap_data(cohort: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    X, _ = design_matrix(cohort, PRESCRIPTION_BATTERY)
    return X, cohort["bmi_class"].to_numpy()


@pytest.mark.parametrize(
    "estimator",
    [BPNetClassifier(hidden_units=9, max_epochs=5), HybridCNNLightGBM(**TINY_HYBRID)],
    ids=["bp", "hybrid"],
)
def test_estimators_follow_the_sklearn_contract(estimator: Any) -> None:
    params = estimator.get_params()
    copy = clone(estimator)
    assert copy.get_params() == params
    copy.set_params(random_state=5)
    assert copy.random_state == 5 and estimator.random_state == 0
    assert not any(name.endswith("_") for name in vars(estimator))


@pytest.mark.slow
def test_bp_net_is_deterministic_and_searches_hidden_size(
    pe_data: tuple[pd.DataFrame, np.ndarray],
) -> None:
    X, y = pe_data
    model = BPNetClassifier(hidden_grid=(5, 17), max_epochs=30, random_state=1)
    a = clone(model).fit(X, y)
    b = clone(model).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.hidden_units_ in (5, 17) and set(a.search_) == {5, 17}
    proba = a.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert list(a.classes_) == sorted(set(y))


@pytest.mark.slow
def test_hybrid_is_deterministic_on_lap_sequences(
    lap_data: tuple[pd.DataFrame, np.ndarray],
) -> None:
    X, y = lap_data
    a = HybridCNNLightGBM(**TINY_HYBRID, random_state=2).fit(X, y)
    b = HybridCNNLightGBM(**TINY_HYBRID, random_state=2).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert len(a.seq_idx_) == 15 and len(a.static_idx_) == 3
    assert a.transform(X.head(4)).shape == (4, 32)


@pytest.mark.slow
def test_hybrid_full_architecture_gives_256_features_on_a_tabular_battery(
    pe_data: tuple[pd.DataFrame, np.ndarray],
) -> None:
    X, y = pe_data
    model = HybridCNNLightGBM(
        filters=(64, 128, 256),  # the paper's widths (the default halves them)
        max_epochs=1,
        layout="sequence",
        cross_fit=1,
        cnn_features="pooled",
    ).fit(X, y)
    assert model.seq_idx_ == [] and len(model.static_idx_) == len(PE_ITEMS)
    assert model.transform(X.head(3)).shape == (3, 256)
    assert model.extractor_.attention.num_heads == 8
    assert model.gbm_.get_params()["reg_alpha"] == 1.2
    assert model.gbm_.get_params()["reg_lambda"] == 0.8
    assert model.gbm_.n_features_in_ == 256 + 2 * len(PE_ITEMS)  # z, pooled and normed items


@pytest.mark.slow
def test_the_hybrid_head_and_the_lightgbm_baseline_share_one_configuration(
    pe_data: tuple[pd.DataFrame, np.ndarray],
) -> None:
    X, y = pe_data
    hybrid = HybridCNNLightGBM(**TINY_HYBRID).fit(X, y)
    plain = make_classifier("lgbm", 0).fit(X, y)
    shared = {k: v for k, v in LGBM_PARAMS.items()}
    for booster in (hybrid.gbm_, plain.gbm_):
        params = booster.get_params()
        assert {k: params[k] for k in shared} == shared
    # logits of each of the 2 cross-fitted CNNs' classes, then the items pooled and normed
    n_classes = len(set(y))
    assert hybrid.gbm_.n_features_in_ == n_classes + 2 * len(PE_ITEMS)
    assert len(hybrid.heads_) == 2


def test_the_grouped_layout_orders_items_by_quality_and_keeps_context_off_the_axis() -> None:
    names = [
        "age",
        "broad jump",
        "height",
        "sex=female",
        "grip force",
        "systolic",
        "sit and bend forward",
        "fat",
        "sex=male",
    ]
    order = [names[i] for i in grouped_order(names)]
    assert order == [
        "height",
        "fat",
        "systolic",
        "grip force",
        "sit and bend forward",
        "broad jump",
    ]
    assert quality_of("sex=male") == quality_of("age") == "context"
    assert quality_of("lap_03_s") == "other"
    with pytest.raises(ValueError, match="layout"):
        HybridCNNLightGBM(layout="spiral").fit(pd.DataFrame({"a": [1.0, 2.0]}), ["x", "y"])


@pytest.mark.slow
def test_smote_sees_only_training_fold_rows(
    monkeypatch: pytest.MonkeyPatch, lap_data: tuple[pd.DataFrame, np.ndarray]
) -> None:
    X, y = lap_data
    X = X.assign(row_id=np.arange(len(X), dtype=float))  # a unique key per original row
    seen: list[np.ndarray] = []
    original = augment.smote_and_noise

    def spy(rows: np.ndarray, labels: np.ndarray, **kwargs: Any) -> Any:
        seen.append(np.asarray(rows)[:, list(X.columns).index("row_id")].copy())
        return original(rows, labels, **kwargs)

    monkeypatch.setattr(augment, "smote_and_noise", spy)

    def factory(name: str, seed: int) -> HybridCNNLightGBM:
        return HybridCNNLightGBM(**{**TINY_HYBRID, "max_epochs": 1}, random_state=seed)

    cross_validate_models(X, y, ["hybrid"], folds=3, seed=0, factory=factory)
    splits = fold_indices(y, 3, 0)
    per_fit = HybridCNNLightGBM().cross_fit  # one SMOTE per cross-fitted CNN
    assert len(seen) == per_fit * len(splits)
    for ids, (train, test) in zip(seen, [s for s in splits for _ in range(per_fit)], strict=True):
        ids_set = set(ids.round(6).tolist())
        assert ids_set <= set(map(float, train)), "augmentation saw rows outside the training fold"
        assert not ids_set & set(map(float, test)), "augmentation saw held-out rows"


def test_smote_balances_classes_and_keeps_raw_units() -> None:
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(60, 5, 60), rng.normal(10, 3, 60)])
    y = np.array(["a"] * 50 + ["b"] * 10)
    X_aug, y_aug = augment.smote_and_noise(X, y, noise_sigma=0.0, random_state=0)
    assert (y_aug == "a").sum() == (y_aug == "b").sum() == 50
    assert 40 < X_aug[:, 0].mean() < 80
    again = augment.smote_and_noise(X, y, noise_sigma=0.1, random_state=0)
    np.testing.assert_array_equal(again[0], augment.smote_and_noise(X, y, random_state=0)[0])


@pytest.mark.parametrize("name", ["rf", "svm", "lgbm", "lgbm_norm"])
def test_baselines_are_deterministic(name: str, pe_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = pe_data
    a = make_classifier(name, 0).fit(X, y).predict_proba(X)
    b = make_classifier(name, 0).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)


def test_svr_fits_a_continuous_target(cohort: pd.DataFrame) -> None:
    X = cohort[["run_50m_s", "endurance_run_s"]]
    model = svr().fit(X, cohort["run_3000m_s"])
    assert np.corrcoef(model.predict(X), cohort["run_3000m_s"])[0, 1] > 0.8


def test_unknown_model_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="choose from"):
        make_classifier("xgboost")


def test_cv_scores_every_model_on_the_same_folds(pe_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = pe_data
    scores = cross_validate_models(X, y, ["lgbm", "rf"], folds=3, seed=0)
    assert [s.model for s in scores] == ["lgbm", "rf"]
    for s in scores:
        assert 0.0 <= s.macro_f1_mean <= s.accuracy_mean + 1.0
        assert s.folds == 3 and s.infer_ms_per_sample > 0


def test_regression_cv_shows_svr_next_to_forest_and_lightgbm(cohort: pd.DataFrame) -> None:
    X = cohort[["height_cm", "weight_kg", "run_50m_s", "endurance_run_s"]].astype(float)
    y = cohort["vital_capacity_ml"].to_numpy(dtype=float)
    scores = cross_validate_regressors(X, y, ["svr", "rf", "lgbm"], folds=3, seed=0)
    assert [s.model for s in scores] == ["svr", "rf", "lgbm"]
    for s in scores:
        assert 0.3 < s.r2_mean <= 1.0 and s.r2_sd >= 0.0  # height and sex-linked items explain VC
        assert 0.0 < s.mae_mean < float(np.std(y))
    again = cross_validate_regressors(X, y, ["svr"], folds=3, seed=0)
    assert again[0].r2_mean == scores[0].r2_mean  # same folds, deterministic


def test_a_label_is_continuous_when_it_has_many_distinct_numbers() -> None:
    assert is_continuous(pd.Series(np.linspace(180.0, 320.0, 40)))
    assert not is_continuous(pd.Series([1, 2, 3, 4, 5] * 8))  # a 1-5 grade is classes
    assert not is_continuous(pd.Series(["pass", "fail"] * 20))
