"""One check-in in any language: the language's reading, and pain never hidden by language."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu import NluEngine
from nlu.extract import extract
from nlu.reading import read_checkin

ISSUE_EXAMPLES = [
    ("Entrenamiento de una hora, esfuerzo 8, me duele la rodilla izquierda", "es"),
    ("训练了一个小时，强度8，左膝盖疼", "zh"),
    ("Eine Stunde Training, Belastung 8, mein linkes Knie tut weh", "de"),
    ("Тренировка час, нагрузка 8, болит левое колено", "ru"),
]


@pytest.mark.parametrize(("text", "code"), ISSUE_EXAMPLES)
def test_the_issues_check_ins_carry_pain_minutes_and_rpe(text: str, code: str) -> None:
    report = NluEngine.create("vader").parse(text)
    assert (report.language, report.language_supported) == (code, True)
    assert (report.rpe, report.minutes) == (8.0, 60.0)
    assert report.pain and report.pain_sites == ("knee",)
    assert report.intent == "report_pain"
    assert report.sentiment is not None and report.sentiment.level == -1


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("rpe 7, 45 min, me duele la rodilla", "knee"),  # English numbers, Spanish pain
        ("great session but 膝盖疼", "knee"),
        ("Тренировка 45 минут, Knieschmerzen", "knee"),
        ("45 min, болит спина", "back"),
    ],
)
def test_pain_is_looked_for_in_every_language_whatever_the_detected_one(
    text: str, site: str
) -> None:
    report = NluEngine.create("vader").parse(text)
    assert report.pain and site in report.pain_sites
    assert report.intent in ("check_in", "report_pain")


def test_an_unsupported_language_is_marked_and_its_pain_still_read_where_we_can() -> None:
    report = read_checkin("Séance de 45 minutes ce matin, j'ai très mal au genou")
    assert (report.language, report.language_supported) == ("fr", False)
    assert report.minutes == 45.0  # shared forms are read whatever the language


def test_a_message_without_words_is_read_and_keeps_its_numbers() -> None:
    report = read_checkin("RPE 7, 60 min")
    assert (report.language, report.language_supported) == (None, True)
    assert (report.rpe, report.minutes) == (7.0, 60.0)


@pytest.mark.parametrize(
    "text",
    [
        "rpe 7, 1h15 tempo, slept 6h, left knee a bit sore",
        "my back hurts, rpe 5, 30 min, slept badly 5 hours",
        "no pain today",
        "can't run without knee pain",
        "200 free in 2:28",
        "tight hamstring",
        "slept well, 45 min run",
    ],
)
def test_an_english_check_in_reads_as_the_english_rules_read_it(text: str) -> None:
    report = read_checkin(text)
    assert report.language == "en"
    expected = extract(text)
    for name in ("rpe", "minutes", "sleep_h", "distance_km", "pain", "pain_sites",
                 "watch_sites", "soreness", "fatigue", "sleep_quality", "rejected"):
        assert getattr(report, name) == getattr(expected, name), name


def test_content_comes_before_keyword_intents_in_other_languages() -> None:
    engine = NluEngine.create("vader")
    assert engine.parse("¿qué entreno hoy? me duele la rodilla").intent == "report_pain"
    assert engine.parse("¿qué entreno hoy?").intent == "ask_today"
    assert engine.parse("hola").intent == "greet"
    assert engine.parse("Warum?").intent == "ask_why"
    assert engine.parse("спасибо").intent == "thanks"
    assert engine.parse("45 минут, нагрузка 6").intent == "check_in"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=160))
def test_reading_never_crashes_and_keeps_values_in_range(text: str) -> None:
    report = read_checkin(text)
    assert report.rpe is None or 0.0 <= report.rpe <= 10.0
    assert report.minutes is None or 1.0 <= report.minutes <= 600.0
    assert report.sleep_h is None or 0.0 <= report.sleep_h <= 16.0
    assert all(0.0 <= c <= 1.0 for c in report.confidence.values())
