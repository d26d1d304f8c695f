"""VADER offline with the sports lexicon."""

from __future__ import annotations

import pytest

from nlu.vader import build_vader, default_vader, read_sports_lexicon, vader_level


@pytest.fixture(scope="module")
def sports():  # type: ignore[no-untyped-def]
    return default_vader()


@pytest.fixture(scope="module")
def plain():  # type: ignore[no-untyped-def]
    return build_vader(sports_lexicon=None)


def test_lexicon_loads_offline_from_vadersentiment_package(plain) -> None:  # type: ignore[no-untyped-def]
    assert len(plain.analyzer.lexicon) > 7000
    assert plain.score("great session") > 0.5


def test_sports_lexicon_is_applied_through_vader_lexicon(sports, plain) -> None:  # type: ignore[no-untyped-def]
    assert "heavylegs" in sports.analyzer.lexicon
    assert "heavylegs" not in plain.analyzer.lexicon
    assert sports.score("heavy legs today") < -0.2
    assert plain.score("heavy legs today") == pytest.approx(0.0)


def test_crushed_it_is_positive_though_crushed_alone_is_negative(sports, plain) -> None:  # type: ignore[no-untyped-def]
    assert plain.score("crushed it") < 0
    assert sports.score("crushed it") > 0.3


def test_phrase_matching_ignores_case_hyphens_and_punctuation(sports) -> None:  # type: ignore[no-untyped-def]
    assert sports.prepare("Heavy-Legs, then DEAD   legs.") == "heavylegs, then deadlegs."


def test_no_pain_today_is_positive(sports) -> None:  # type: ignore[no-untyped-def]
    assert sports.score("no pain today") > 0.05


def test_no_then_sentence_break_does_not_negate_later_words(sports) -> None:  # type: ignore[no-untyped-def]
    assert sports.score("No. Legs are wrecked") < -0.05


def test_vader_negation_still_applies_to_sports_phrases(sports) -> None:  # type: ignore[no-untyped-def]
    assert sports.score("not fresh at all") < 0


def test_emoji_are_scored_by_their_names(sports) -> None:  # type: ignore[no-untyped-def]
    assert sports.score("😀") > 0
    assert sports.score("😩") < 0


def test_vader_level_uses_published_thresholds() -> None:
    assert vader_level(0.05) == 1
    assert vader_level(0.049) == 0
    assert vader_level(-0.05) == -1


def test_sports_lexicon_valences_are_on_vader_scale() -> None:
    lex = read_sports_lexicon()
    assert len(lex) >= 40
    assert all(-4 <= v <= 4 for v in lex.values())


def test_malformed_lexicon_line_raises_actionable_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "lex.tsv"
    bad.write_text("term\tvalence\nheavy legs\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected 'term<TAB>valence'"):
        read_sports_lexicon(bad)
