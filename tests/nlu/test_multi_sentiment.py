"""Sentiment of other languages: VADER's rules over each lexicon, SnowNLP for Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.lang import SPECS
from nlu.multi_sentiment import (
    EMOJI_FILE,
    LEXICON_DIR,
    LexiconScorer,
    MultilingualSentiment,
    read_lexicon,
)


def _scorer(code: str) -> LexiconScorer:
    terms = read_lexicon(EMOJI_FILE) | read_lexicon(LEXICON_DIR / f"{code}.tsv")
    return LexiconScorer(SPECS[code], terms)


@pytest.mark.parametrize("code", sorted(SPECS))
def test_every_language_ships_a_valid_lexicon_with_both_signs(code: str) -> None:
    terms = read_lexicon(LEXICON_DIR / f"{code}.tsv")
    assert len(terms) >= 150
    assert any(v > 0 for v in terms.values()) and any(v < 0 for v in terms.values())


def test_a_valence_outside_vaders_scale_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\tvalence\ngenial\t7\n", encoding="utf-8")
    with pytest.raises(ValueError, match="outside VADER"):
        read_lexicon(bad)


@pytest.mark.parametrize(
    ("code", "plain", "negated"),
    [
        ("es", "me duele", "no me duele"),
        ("de", "gut gelaufen", "nicht gut gelaufen"),
        ("ru", "болит", "не болит"),
        ("zh", "疼", "不疼"),
    ],
)
def test_a_negator_flips_the_word_it_governs(code: str, plain: str, negated: str) -> None:
    scorer = _scorer(code)
    assert scorer.score(plain) * scorer.score(negated) < 0


@pytest.mark.parametrize(
    ("code", "weak", "strong"),
    [("es", "cansado", "muy cansado"), ("de", "müde", "sehr müde"), ("zh", "累", "非常累")],
)
def test_a_booster_strengthens_the_next_word(code: str, weak: str, strong: str) -> None:
    scorer = _scorer(code)
    assert scorer.score(strong) < scorer.score(weak) < 0


def test_words_after_but_weigh_more_and_emoji_are_never_negated() -> None:
    scorer = _scorer("es")
    assert scorer.score("cansado pero feliz") > 0
    assert scorer.score("no me molesta 💪") > scorer.score("no me molesta")


@pytest.mark.parametrize(
    ("code", "text"),
    [("es", "el dolor se me pasó"), ("ru", "боли нет"), ("zh", "疼痛消失了")],
)
def test_pain_that_is_gone_or_absent_is_not_negative(code: str, text: str) -> None:
    assert _scorer(code).score(text) > 0


def test_a_hedged_negation_of_pain_stays_negative() -> None:
    assert _scorer("es").score("no me duele mucho") < 0
    assert _scorer("zh").score("不太疼") < 0


def test_snownlp_scores_chinese_only_and_every_component_is_kept() -> None:
    scorer = MultilingualSentiment()
    chinese = scorer.components("今天跑得很开心", "zh")
    assert {"lexicon", "snownlp", "vader", "pain"} <= set(chinese)
    assert "snownlp" not in scorer.components("muy contento", "es")
    sentiment = scorer.sentiment("今天跑得很开心", "zh")
    assert sentiment.level == 1 and -1.0 <= sentiment.score <= 1.0
    assert set(sentiment.backends) <= {"lexicon", "snownlp", "vader", "pain"}


def test_without_a_weights_file_the_lexicon_alone_decides() -> None:
    scorer = MultilingualSentiment(weights={})
    assert scorer.weights("es") == ({"lexicon": 1.0}, 0.05)
    assert scorer.sentiment("genial", "es").backends.keys() == {"lexicon"}
