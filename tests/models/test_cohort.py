from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from models.cohort import (
    BMI_CLASS_SHARES,
    CATEGORY_SHARES,
    generate_cohort,
    is_synthetic,
    joint_bmi_category_table,
)
from models.items import LAP_ITEMS
from models.preprocess import correlation_report, iqr_outliers, pca, zscores


def test_same_seed_gives_the_same_cohort() -> None:
    pd.testing.assert_frame_equal(generate_cohort(200, seed=7), generate_cohort(200, seed=7))


def test_different_seeds_give_different_cohorts() -> None:
    a, b = generate_cohort(200, seed=1), generate_cohort(200, seed=2)
    assert not a["bmi"].equals(b["bmi"])


def test_cohort_is_labelled_synthetic() -> None:
    frame = generate_cohort(50, seed=0)
    assert frame.attrs["synthetic"] is True
    assert frame["synthetic"].all()
    assert is_synthetic(frame)
    assert not is_synthetic(pd.DataFrame({"bmi": frame["bmi"].to_numpy()}))


def test_joint_table_matches_both_papers_marginals() -> None:
    table = joint_bmi_category_table()
    np.testing.assert_allclose(table.sum(axis=1), BMI_CLASS_SHARES, atol=1e-6)
    np.testing.assert_allclose(table.sum(axis=0), CATEGORY_SHARES, atol=1e-6)


def test_large_cohort_reproduces_published_shares_and_orderings() -> None:
    frame = generate_cohort(6000, seed=0)
    shares = frame["bmi_class"].value_counts(normalize=True)
    assert abs(shares["normal"] - 0.745) < 0.02
    assert abs(shares["overweight"] - 0.19) < 0.02
    men = frame[frame["sex"] == "male"].groupby("category")
    # PE paper Table 2: failing students are heaviest, slowest, weakest.
    assert men["weight_kg"].mean().idxmax() == "fail"
    assert men["run_50m_s"].mean().idxmax() == "fail"
    assert men["pull_ups"].mean().idxmax() == "excellent"


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 10_000))
def test_laps_sum_to_the_3000m_time_and_bmi_matches_weight(n: int, seed: int) -> None:
    frame = generate_cohort(n, seed=seed)
    laps = frame[list(LAP_ITEMS)].sum(axis=1)
    np.testing.assert_allclose(laps, frame["run_3000m_s"], atol=0.2)
    bmi = frame["weight_kg"] / (frame["height_cm"] / 100) ** 2
    np.testing.assert_allclose(bmi, frame["bmi"], atol=0.01)
    assert (frame["pull_ups"] >= 0).all() and (frame["sit_ups"] >= 0).all()


def test_iqr_flags_an_injected_outlier_only() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0, 100.0]})
    flags = iqr_outliers(frame, ["a"])
    assert flags["a"].tolist() == [False] * 5 + [True]


def test_correlation_report_finds_sprint_jump_pair(cohort: pd.DataFrame) -> None:
    report = correlation_report(cohort, ["run_50m_s", "standing_long_jump_cm", "sit_and_reach_cm"])
    assert report.pearson.loc["run_50m_s", "standing_long_jump_cm"] < -0.5
    assert report.spearman.loc["run_50m_s", "standing_long_jump_cm"] < -0.5
    assert report.strong_pairs and report.strong_pairs[0][:2] == (
        "run_50m_s",
        "standing_long_jump_cm",
    )


def test_zscores_and_pca(cohort: pd.DataFrame) -> None:
    cols = ["bmi", "run_50m_s", "pull_ups"]
    z = zscores(cohort, cols)
    np.testing.assert_allclose(z.mean(), 0.0, atol=1e-9)
    result = pca(cohort, cols)
    assert abs(result.explained_variance_ratio.sum() - 1.0) < 1e-9
