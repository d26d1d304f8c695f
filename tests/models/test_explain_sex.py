"""Sex is context in SHAP explanations: same-sex baseline and median, never a factor."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.baselines import lightgbm
from models.explain import (
    MIN_WEAKNESS_SD,
    ShapFactor,
    background_sample,
    deficiencies,
    explain_row,
    is_context,
    shap_values,
)
from models.features import design_matrix
from models.items import PE_ITEMS


@pytest.fixture(scope="module")
def fitted(cohort: pd.DataFrame) -> tuple[object, pd.DataFrame, pd.DataFrame]:
    """LightGBM on the PE items + one-hot sex, its same-sex background, and the design matrix."""
    X, _ = design_matrix(cohort, PE_ITEMS, ["sex"])
    model = lightgbm().fit(X, cohort["category"])
    background, _ = background_sample(X, per_sex=30, seed=0)
    return model, background, X


def _median_athlete(cohort: pd.DataFrame, X: pd.DataFrame, sex: str) -> pd.DataFrame:
    """The cohort's median man or woman on every item (the cohort, not the background)."""
    row = cohort.loc[cohort["sex"] == sex, list(PE_ITEMS)].median().to_frame().T
    row["sex=female"] = 1.0 if sex == "female" else 0.0
    row["sex=male"] = 1.0 if sex == "male" else 0.0
    return row[list(X.columns)].astype(float)


@pytest.mark.parametrize("sex", ["female", "male"])
def test_the_same_sex_median_athlete_has_no_deficiency(
    cohort: pd.DataFrame, fitted: tuple[object, pd.DataFrame, pd.DataFrame], sex: str
) -> None:
    model, background, X = fitted
    result = explain_row(model, background, _median_athlete(cohort, X, sex))
    assert result.deficiencies == []  # a woman's jump is compared with women's, not men's
    assert f"30 {sex} background rows" in result.comparison


def test_a_mixed_sex_comparison_would_call_the_median_womans_jump_weak(
    cohort: pd.DataFrame, fitted: tuple[object, pd.DataFrame, pd.DataFrame]
) -> None:
    """The bug this guards against: background sex unknown -> pooled median -> "weak" jump."""
    model, background, X = fitted
    pooled = explain_row(
        model, background, _median_athlete(cohort, X, "female"),
        background_sex=[None] * len(background),
    )
    assert "standing_long_jump_cm" in {d.feature for d in pooled.deficiencies}
    assert "sex unknown" in pooled.comparison


def test_sex_is_never_a_factor_or_deficiency_and_shap_stays_efficient(
    fitted: tuple[object, pd.DataFrame, pd.DataFrame],
) -> None:
    model, background, X = fitted
    for i in (0, 1, 2, 3, 5, 8):
        result = explain_row(model, background, X.iloc[[i]])
        assert {f.feature for f in result.factors} == set(PE_ITEMS)
        assert not any(is_context(d.feature) for d in result.deficiencies)
        total = result.base_value + sum(f.contribution for f in result.factors)
        assert total == pytest.approx(result.output, abs=1e-6)
        assert "sex=female, sex=male held at the person's value" in result.comparison


def test_summary_values_leave_sex_out_and_use_each_rows_own_sex(
    fitted: tuple[object, pd.DataFrame, pd.DataFrame],
) -> None:
    model, background, X = fitted
    rows = X.iloc[:6]
    weights = np.array([{"excellent": 0, "good": 1, "pass": 2, "fail": 3}[c]
                        for c in model.classes_])  # type: ignore[attr-defined]
    explained = shap_values(model, background, rows, weights=weights)
    assert explained.columns == list(PE_ITEMS)
    assert explained.values.shape == (6, len(PE_ITEMS))
    one = explain_row(model, background, X.iloc[[4]])
    by_feature = {f.feature: f.contribution for f in one.factors}
    np.testing.assert_allclose(explained.values[4], [by_feature[c] for c in PE_ITEMS], atol=1e-9)


def test_a_gap_within_the_medians_sampling_noise_is_not_a_weakness() -> None:
    factors = [ShapFactor("pull_ups", 7.0, 0.3), ShapFactor("sex=male", 1.0, 0.5)]
    small = 8.0 - 7.0  # 1 rep below the median, SD 3.5: 0.29 SD, inside the average band
    assert small / 3.5 < MIN_WEAKNESS_SD
    assert deficiencies(factors, {"pull_ups": 8.0}, spread={"pull_ups": 3.5}) == []
    weak = [ShapFactor("pull_ups", 4.0, 0.3), ShapFactor("sex=male", 0.0, 0.5)]
    found = deficiencies(weak, {"pull_ups": 8.0, "sex=male": 1.0}, spread={"pull_ups": 3.5})
    assert [d.feature for d in found] == ["pull_ups"]


def test_background_sample_is_stratified_by_sex(
    fitted: tuple[object, pd.DataFrame, pd.DataFrame],
) -> None:
    _, background, _ = fitted
    assert background["sex=female"].sum() == background["sex=male"].sum() == 30
