"""Russian check-ins fill the same report fields an English one does, in every case form."""

from __future__ import annotations

import pytest

from nlu.reading import read_checkin
from tests.nlu.lang.cases import level_of, sites_of


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Тренировка час, нагрузка 8, болит левое колено", ("knee",)),
        ("колено болело вчера", ("knee",)),
        ("боль в колене", ("knee",)),
        ("бежал с болью в колене", ("knee",)),
        ("колена болят после прыжков", ("knee",)),
        ("коленом ударился", ("knee",)),
        ("свело икру", ("calf",)),
        ("судороги в обеих икрах", ("calf",)),
        ("подвернул голеностоп", ("ankle",)),
        ("потянул заднюю поверхность бедра", ("hamstring",)),
        ("ноет ахилл", ("achilles",)),
        ("опять надкостница на голени", ("shin",)),
        ("не могу бегать без боли в колене", ("knee",)),
        ("немного болит поясница", ("lower_back",)),
        ("больно при отталкивании", ("unspecified",)),
    ],
)
def test_pain_cramp_and_injury_words_flag_their_site(text: str, sites: tuple[str, ...]) -> None:
    assert sites_of(text) == sites


@pytest.mark.parametrize(
    "text",
    [
        "колено не болит",
        "ничего не болит",
        "колено больше не болит",
        "боли в колене нет",
        "боли: нет",
        "никакой боли в спине",
        "без боли пробежал 5 км",
        "боль в колене прошла",
        "колено перестало болеть",
        "судорог не было",
        "после травмы колена всё хорошо",
        "крепатура после ног",
        "квадрицепс забит",
        "пробежал больше часа",
    ],
)
def test_negated_resolved_or_muscle_soreness_is_not_pain(text: str) -> None:
    assert sites_of(text) == ()


@pytest.mark.parametrize(
    ("text", "rpe", "minutes"),
    [
        ("час бега, нагрузка 7", 7.0, 60.0),
        ("полчаса растяжки", None, 30.0),
        ("полтора часа на велосипеде, нагрузка 6 из 10", 6.0, 90.0),
        ("два с половиной часа, интенсивность 6", 6.0, 150.0),
        ("1 час 20 минут, нагрузка восемь", 8.0, 80.0),
        ("1ч15, RPE 7", 7.0, 75.0),
        ("минут сорок легко, нагрузка 3", 3.0, 40.0),
        ("сорок пять минут, нагрузка 7-8", 7.5, 45.0),
        ("4 по 10 минут, нагрузка 9", 9.0, None),
        ("свело икру на 40 минуте", None, None),
    ],
)
def test_rpe_and_minutes_in_words_and_digits(
    text: str, rpe: float | None, minutes: float | None
) -> None:
    report = read_checkin(text)
    assert (report.rpe, report.minutes) == (rpe, minutes)


def test_sleep_hours_are_not_session_minutes_and_distance_is_in_km() -> None:
    report = read_checkin("спал 6 часов, потом пробежал 10 км за 45 минут")
    assert (report.sleep_h, report.minutes, report.distance_km) == (6.0, 45.0, 10.0)
    assert read_checkin("ужасно спал, всего 4 часа").sleep_h == 4.0


def test_hooper_items_from_russian_words() -> None:
    report = read_checkin("очень устал, плохо спал, стресс на работе")
    assert (report.fatigue, report.sleep_quality, report.stress) == (6, 6, 5)
    assert read_checkin("не устал").fatigue == 2


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Тренировка прошла просто отлично, я в восторге", 1),
        ("без боли и с хорошим настроением", 1),
        ("сегодня всё было ужасно, не смог закончить", -1),
        ("мне совсем не понравилась тренировка", -1),
        ("пробежка 10 км за 55 минут", 0),
    ],
)
def test_sentiment_levels(text: str, level: int) -> None:
    assert level_of(text, "ru") == level
