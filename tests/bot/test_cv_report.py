"""`coachloop train classifier` prints mean +- SD, timings and the paired comparisons."""

from __future__ import annotations

from bot.commands.cv_report import classification_lines, comparison_lines, comparisons
from models.evaluate import ModelScore


def _score(name: str, accs: tuple[float, ...]) -> ModelScore:
    mean = sum(accs) / len(accs)
    return ModelScore(name, mean, 0.01, mean, 0.01, 2.5, 0.2, len(accs), accs, accs, 3200, 800)


def test_the_table_has_mean_sd_fit_seconds_and_ms_per_sample() -> None:
    lines = classification_lines([_score("lgbm", (0.70, 0.72, 0.71, 0.73, 0.69))])
    assert "fit s/fold" in lines[0] and "ms/sample" in lines[0]
    assert lines[1].split()[:4] == ["lgbm", "0.710", "±", "0.010"]


def test_only_the_asked_pairs_that_were_both_scored_are_compared() -> None:
    scores = [
        _score("hybrid", (0.73, 0.72, 0.75, 0.71, 0.74)),
        _score("lgbm", (0.72, 0.73, 0.73, 0.70, 0.73)),
        _score("svm", (0.60, 0.61, 0.62, 0.60, 0.61)),
    ]
    found = comparisons(scores)
    assert [(c.a, c.b, c.metric) for c in found] == [
        ("hybrid", "lgbm", "accuracy"),
        ("hybrid", "lgbm", "macro_f1"),
    ]
    lines = comparison_lines(found)
    assert "corrected resampled t-test" in lines[0]
    assert all(line.endswith("-> tie") for line in lines[1:])
    assert comparison_lines(comparisons(scores[2:])) == []
