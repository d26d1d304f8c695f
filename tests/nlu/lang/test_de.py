"""German check-ins fill the same report fields an English one does, compounds included."""

from __future__ import annotations

import pytest

from nlu.reading import read_checkin
from tests.nlu.lang.cases import level_of, sites_of


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Eine Stunde Training, Belastung 8, mein linkes Knie tut weh", ("knee",)),
        ("Knieschmerzen seit gestern", ("knee",)),
        ("Wadenkrampf beim Laufen", ("calf",)),
        ("Wadenkrämpfe in der Nacht", ("calf",)),
        ("Mir tut der Rücken weh", ("back",)),
        ("Schmerzen im unteren Rücken", ("lower_back",)),
        ("Leistenzerrung im Spiel", ("groin",)),
        ("Zerrung im hinteren Oberschenkel", ("hamstring",)),
        ("Ich habe mir den Fuß verknackst", ("foot",)),
        ("Achillessehne zwickt", ("achilles",)),
        ("Knochenhautentzündung schon wieder", ("shin",)),
        ("Hüfte macht Probleme", ("hip",)),
        ("kann nicht ohne Knieschmerzen laufen", ("knee",)),
        ("der Knöchel tut nicht so sehr weh", ("ankle",)),
        ("tut beim Abdrücken weh", ("unspecified",)),
    ],
)
def test_pain_cramp_and_injury_words_flag_their_site(text: str, sites: tuple[str, ...]) -> None:
    assert sites_of(text) == sites


@pytest.mark.parametrize(
    "text",
    [
        "Knie tut nicht weh",
        "das Knie tut heute gar nicht mehr weh",
        "Mir tut nichts weh",
        "keine Knieschmerzen mehr",
        "das Knie schmerzt gar nicht",
        "Schmerzen habe ich keine",
        "Schmerzen: keine",
        "schmerzfrei gelaufen",
        "die Schmerzen im Knie sind verschwunden",
        "nach der Verletzung wieder voll dabei",
        "Muskelkater in den Beinen",
        "Oberschenkel ist ziemlich fest",
        "Kniebeugen und Kreuzheben, Fußballtraining",
    ],
)
def test_negated_resolved_or_muscle_soreness_is_not_pain(text: str) -> None:
    assert sites_of(text) == ()


@pytest.mark.parametrize(
    ("text", "rpe", "minutes"),
    [
        ("eine Stunde, Belastung 7", 7.0, 60.0),
        ("anderthalb Stunden Rad, Anstrengung 6/10", 6.0, 90.0),
        ("eine halbe Stunde locker", None, 30.0),
        ("Dreiviertelstunde Crosstrainer, Belastung sieben", 7.0, 45.0),
        ("1,5 Std, Belastung 7 von 10", 7.0, 90.0),
        ("fünfundvierzig Minuten, Intensität 8", 8.0, 45.0),
        ("eine Stunde und zwanzig Minuten, RPE 5", 5.0, 80.0),
        ("ich gebe der Einheit eine 6, 45 min", 6.0, 45.0),
        ("4x10 Minuten im Schwellenbereich, Belastung 9", 9.0, None),
        ("um 7:30 gelaufen, 40 min", None, 40.0),
    ],
)
def test_rpe_and_minutes_in_words_and_digits(
    text: str, rpe: float | None, minutes: float | None
) -> None:
    report = read_checkin(text)
    assert (report.rpe, report.minutes) == (rpe, minutes)


def test_sleep_hours_are_not_session_minutes_and_distance_is_in_km() -> None:
    report = read_checkin("6 Stunden geschlafen, dann 12 Kilometer in 1:05 gelaufen")
    assert (report.sleep_h, report.minutes, report.distance_km) == (6.0, 65.0, 12.0)
    assert read_checkin("7 Stunden Schlaf").sleep_h == 7.0


def test_hooper_items_from_german_words() -> None:
    report = read_checkin("sehr müde, schlecht geschlafen und gestresst")
    assert (report.fatigue, report.sleep_quality, report.stress) == (6, 6, 5)
    assert read_checkin("nicht müde").fatigue == 2


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Heute war ein richtig toller Lauf, bin begeistert", 1),
        ("keine Schmerzen und voller Energie", 1),
        ("das war gar nichts, total schlecht gelaufen", -1),
        ("Knie tut weh und ich bin genervt", -1),
        ("10 km Dauerlauf in 55 Minuten", 0),
    ],
)
def test_sentiment_levels(text: str, level: int) -> None:
    assert level_of(text, "de") == level
