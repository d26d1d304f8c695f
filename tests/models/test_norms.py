"""Norm-referenced z-scores (sex x age decade) and the LightGBM baseline that uses them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models import norms
from models.baselines import make_classifier
from models.gbm import LGBM_PARAMS
from models.hybrid import HybridCNNLightGBM

NAMES = ["age", "grip force", "gender=F", "gender=M"]


def _people(n_per_group: int, seed: int = 0) -> np.ndarray:
    """Women in their 20s with weak grip, men in their 40s with strong grip."""
    rng = np.random.default_rng(seed)
    women = np.column_stack(
        [
            rng.uniform(20, 29, n_per_group),
            rng.normal(25, 3, n_per_group),
            np.ones(n_per_group),
            np.zeros(n_per_group),
        ]
    )
    men = np.column_stack(
        [
            rng.uniform(40, 49, n_per_group),
            rng.normal(45, 5, n_per_group),
            np.zeros(n_per_group),
            np.ones(n_per_group),
        ]
    )
    return np.concatenate([women, men])


def test_an_item_is_scored_against_the_same_sex_and_age_decade() -> None:
    X = _people(30)
    keys = norms.norm_keys(X, NAMES, "sex_age")
    assert set(keys) == {"gender=F|20s", "gender=M|40s"}
    pooled = norms.pooled_stats(X)
    z = norms.norm_z(X, NAMES, keys, pooled, norms.fit_norm_stats(X, keys))
    women = keys == "gender=F|20s"
    grip = NAMES.index("grip force")
    mean, sd = X[women, grip].mean(), X[women, grip].std()
    np.testing.assert_allclose(z[women, grip], (X[women, grip] - mean) / sd)
    # context (age, sex) keeps the pooled scale: it says which norm applies
    np.testing.assert_allclose(z[:, 0], (X[:, 0] - pooled[0][0]) / pooled[1][0])


def test_a_norm_group_too_small_to_trust_keeps_the_pooled_scale() -> None:
    X = _people(norms.MIN_NORM_ROWS - 1)
    keys = norms.norm_keys(X, NAMES, "sex_age")
    assert norms.fit_norm_stats(X, keys) == {}
    pooled = norms.pooled_stats(X)
    np.testing.assert_allclose(
        norms.norm_z(X, NAMES, keys, pooled, {}), (X - pooled[0]) / pooled[1]
    )


def test_unknown_norms_is_a_clear_error() -> None:
    frame = pd.DataFrame(_people(30), columns=NAMES)
    with pytest.raises(ValueError, match="choose from none, sex, sex_age"):
        make_classifier("lgbm").set_params(norms="by_height").fit(frame, ["a", "b"] * 30)


def test_lgbm_norm_is_the_shared_booster_on_items_and_their_norm_z_scores() -> None:
    frame = pd.DataFrame(_people(60), columns=NAMES)
    y = np.where(
        frame["grip force"] > frame.groupby("gender=M")["grip force"].transform("mean"),
        "strong",
        "weak",
    )
    model = make_classifier("lgbm_norm", 0).fit(frame, y)
    params = model.gbm_.get_params()
    assert {k: params[k] for k in LGBM_PARAMS} == LGBM_PARAMS
    assert model.gbm_.n_features_in_ == 2 * len(NAMES)  # the items, then their norm z-scores
    again = make_classifier("lgbm_norm", 0).fit(frame, y)
    np.testing.assert_array_equal(model.predict_proba(frame), again.predict_proba(frame))
    plain = make_classifier("lgbm", 0).fit(frame, y)
    assert plain.gbm_.n_features_in_ == len(NAMES)


def test_the_hybrid_and_lgbm_norm_read_the_same_norm_z_scores() -> None:
    frame = pd.DataFrame(_people(30), columns=NAMES)
    y = ["a", "b"] * 30
    hybrid = HybridCNNLightGBM(filters=(4,), n_heads=1, max_epochs=1, cross_fit=1).fit(frame, y)
    plain = make_classifier("lgbm_norm", 0).fit(frame, y)
    X = frame.to_numpy()
    z = plain._features(X)[:, len(NAMES) :]
    np.testing.assert_allclose(hybrid._z(X), z)
