"""Language detection: supported languages, languages we do not read, messages without words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.detect import detect_language, words_of
from nlu.lang import SUPPORTED


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Easy 45 min jog, legs felt fresh and strong", "en"),
        ("Entrenamiento de una hora, me duele la rodilla izquierda", "es"),
        ("Eine Stunde Training, mein linkes Knie tut weh", "de"),
        ("Тренировка час, болит левое колено", "ru"),
        ("训练了一个小时，强度8，左膝盖疼", "zh"),
    ],
)
def test_each_supported_language_is_detected(text: str, code: str) -> None:
    guess = detect_language(text)
    assert (guess.code, guess.supported, guess.reading[0]) == (code, True, code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Séance de fractionné ce matin, j'ai mal au genou", "fr"),
        ("Тренування годину, болить коліно, дуже втомився", "uk"),
        ("今日は1時間走りました、膝が痛いです", "ja"),
        ("Treino de uma hora, estou com dor no joelho", "pt"),
    ],
)
def test_a_language_we_do_not_read_is_marked_unsupported(text: str, code: str) -> None:
    guess = detect_language(text)
    assert (guess.code, guess.supported) == (code, False)
    assert guess.reading and set(guess.reading) <= set(SUPPORTED)


@pytest.mark.parametrize("text", ["RPE 7, 60 min", "7", "8/10 45'", "1:15 10km", "💪💪", ""])
def test_digits_units_and_emoji_are_not_a_language(text: str) -> None:
    guess = detect_language(text)
    assert guess.code is None and guess.supported
    assert guess.reading == SUPPORTED


def test_shared_tokens_are_left_out_of_what_is_detected() -> None:
    assert words_of("RPE 7, 60 min, 10km, knee") == "knee"


def test_one_word_is_never_enough_to_call_a_message_unsupported() -> None:
    assert detect_language("pesas 1h, rpe 6").supported


def test_an_unsure_short_message_is_read_in_english_first() -> None:
    guess = detect_language("rpe 7, 1h15 run, slept 6h")
    assert guess.reading[0] == "en"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=120))
def test_detection_never_fails_and_always_gives_a_reading(text: str) -> None:
    guess = detect_language(text)
    assert guess.reading and set(guess.reading) <= set(SUPPORTED)
    assert 0.0 <= guess.confidence <= 1.0


def test_the_chosen_language_always_reads_first() -> None:
    guess = detect_language("Run 8 km, 45 min, rpe 4")
    assert guess.code == "en" and guess.reading[0] == "en"
