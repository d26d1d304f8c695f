"""The papers' IQR outlier step, per group, as `coachloop train grouping` applies it."""

from __future__ import annotations

import pandas as pd
import pytest

from models.grouping import group_keys
from models.preprocess import correlation_report, iqr_step


def _two_sexes() -> pd.DataFrame:
    men = [220, 225, 230, 228, 222, 226, 224, 300]  # 300 cm: an outlier among men
    women = [160, 165, 162, 168, 158, 166, 163, 161]
    return pd.DataFrame({"sex": ["M"] * 8 + ["F"] * 8, "standing_long_jump_cm": men + women})


def test_fences_are_per_sex_so_an_ordinary_womans_jump_is_kept() -> None:
    frame = _two_sexes()
    kept, affected = iqr_step(frame, ["standing_long_jump_cm"], "drop", group_keys(frame, "sex"))
    assert affected == {"female": 0, "male": 1}
    assert 300 not in kept["standing_long_jump_cm"].tolist() and len(kept) == 15
    pooled, _ = iqr_step(frame, ["standing_long_jump_cm"], "drop")
    assert len(pooled) == 16  # pooled fences are so wide that the 300 cm jump passes


def test_clip_keeps_every_row_and_pulls_the_value_to_the_fence() -> None:
    frame = _two_sexes()
    clipped, affected = iqr_step(frame, ["standing_long_jump_cm"], "clip",
                                 group_keys(frame, "sex"))
    assert len(clipped) == 16 and affected["male"] == 1
    men = frame.loc[frame["sex"] == "M", "standing_long_jump_cm"]
    q1, q3 = men.quantile(0.25), men.quantile(0.75)
    assert clipped["standing_long_jump_cm"].max() == pytest.approx(q3 + 1.5 * (q3 - q1))
    unchanged, none = iqr_step(frame, ["standing_long_jump_cm"], "none")
    assert unchanged.equals(frame) and none == {"all": 0}
    with pytest.raises(ValueError, match="choose from"):
        iqr_step(frame, ["standing_long_jump_cm"], "winsorise")


def test_correlation_report_as_dict_has_both_coefficients(cohort: pd.DataFrame) -> None:
    men = cohort[cohort["sex"] == "male"]
    payload = correlation_report(men, ["run_50m_s", "standing_long_jump_cm", "bmi"], 0.3)
    body = payload.as_dict()
    assert set(body) == {"pearson", "spearman", "threshold", "strong_pairs"}
    assert body["pearson"]["run_50m_s"]["run_50m_s"] == 1.0
    pair = body["strong_pairs"][0]  # type: ignore[index]
    assert {pair["a"], pair["b"]} == {"run_50m_s", "standing_long_jump_cm"}
    assert pair["pearson"] < 0 and pair["spearman"] < 0
