"""The paired comparison over shared folds: Nadeau-Bengio's corrected resampled t-test."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from models.evaluate import ModelScore, corrected_resampled_ttest, paired_comparison


def _score(name: str, accs: tuple[float, ...]) -> ModelScore:
    mean = sum(accs) / len(accs)
    return ModelScore(name, mean, 0.0, mean, 0.0, 1.0, 0.1, len(accs), accs, accs, 800.0, 200.0)


def test_the_corrected_t_matches_a_hand_computed_case() -> None:
    # d = 1..5 %: mean 0.03, var 2.5e-4; k = 5, n_test/n_train = 1/4
    # t = 0.03 / sqrt((1/5 + 1/4) * 2.5e-4) = 0.03 / sqrt(1.125e-4) = 2 sqrt(2)
    t, p = corrected_resampled_ttest([0.01, 0.02, 0.03, 0.04, 0.05], 4.0, 1.0)
    assert t == pytest.approx(2.0 * math.sqrt(2.0))
    assert p == pytest.approx(2.0 * stats.t.sf(2.0 * math.sqrt(2.0), 4))
    assert 0.04 < p < 0.05


def test_the_correction_turns_a_naive_win_into_a_tie() -> None:
    diffs = [0.02, 0.01, 0.03, 0.005, 0.025]
    naive = stats.ttest_1samp(diffs, 0.0).pvalue
    _, corrected = corrected_resampled_ttest(diffs, 3200.0, 800.0)
    assert naive < 0.05 <= corrected  # shared training rows: the plain test is overconfident


def test_equal_folds_are_a_tie_and_constant_gaps_a_win() -> None:
    assert corrected_resampled_ttest([0.0, 0.0, 0.0], 8.0, 2.0) == (0.0, 1.0)
    t, p = corrected_resampled_ttest([0.01, 0.01, 0.01], 8.0, 2.0)
    assert t == math.inf and p == 0.0
    with pytest.raises(ValueError, match="2 folds"):
        corrected_resampled_ttest([0.1], 8.0, 2.0)


def test_paired_comparison_names_a_tie_or_the_better_model() -> None:
    a = _score("hybrid", (0.73, 0.72, 0.75, 0.71, 0.74))
    b = _score("lgbm", (0.72, 0.73, 0.73, 0.70, 0.73))
    tie = paired_comparison(a, b, "accuracy")
    assert tie.verdict == "tie" and tie.mean_difference == pytest.approx(0.008)
    worse = _score("svm", (0.60, 0.61, 0.62, 0.60, 0.61))
    win = paired_comparison(a, worse, "macro_f1")
    assert win.verdict == "hybrid better" and win.p_value < 0.05
    assert paired_comparison(worse, a).verdict == "hybrid better"
    with pytest.raises(ValueError, match="same folds"):
        paired_comparison(a, _score("rf", (0.7, 0.7)))
