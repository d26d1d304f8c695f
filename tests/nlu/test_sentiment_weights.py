"""Per-language ensemble weights are chosen on tuning data and stay in step with it."""

from __future__ import annotations

from nlu.lang import SPECS
from nlu.multi_sentiment import read_weights
from nlu.sentiment_weights import MIN_LEXICON_WEIGHT, source_digest, tune_language


def test_the_shipped_weights_come_from_the_current_tuning_sets_and_lexicons() -> None:
    weights = read_weights()
    assert weights["tune_sha256"] == source_digest(), (
        "tuning check-ins or lexicons changed: run 'coachloop train sentiment-weights'"
    )
    for code in SPECS:
        entry = weights[code]
        assert abs(sum(entry["weights"].values()) - 1.0) < 1e-9
        assert entry["weights"]["lexicon"] >= MIN_LEXICON_WEIGHT
        assert entry["tune_n"] >= 40


def test_tuning_finds_the_component_that_separates_the_classes() -> None:
    truth = [1, 1, 0, 0, -1, -1]
    useful = [0.8, 0.6, 0.0, 0.01, -0.7, -0.9]
    noise = [-0.5, 0.4, 0.9, -0.9, 0.3, 0.6]
    tuned = tune_language(truth, {"lexicon": useful, "vader": noise})
    assert tuned.accuracy == 1.0
    assert tuned.weights["lexicon"] >= tuned.weights["vader"]


def test_tuning_is_deterministic() -> None:
    truth = [1, 0, -1, 0]
    scores = {"lexicon": [0.3, 0.1, -0.4, 0.0], "pain": [0.0, 0.0, -1.0, 0.0]}
    assert tune_language(truth, scores) == tune_language(truth, scores)
