"""Spanish check-ins fill the same report fields an English one does."""

from __future__ import annotations

import pytest

from nlu.reading import read_checkin
from tests.nlu.lang.cases import level_of, sites_of


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Entrenamiento de una hora, esfuerzo 8, me duele la rodilla izquierda", ("knee",)),
        ("me dolía el tobillo ayer", ("ankle",)),
        ("dolor de rodilla al bajar", ("knee",)),
        ("tengo un dolor fuerte en el gemelo izquierdo", ("calf",)),
        ("me lesioné el hombro derecho", ("shoulder",)),
        ("calambres en los isquios", ("hamstring",)),
        ("molestias en la rodiya", ("knee",)),
        ("Tengo una contractura en el cuello", ("neck",)),
        ("se me subió el gemelo", ("calf",)),
        ("me hice daño en la muñeca", ("wrist",)),
        ("tengo tendinitis rotuliana", ("knee",)),
        ("periostitis otra vez", ("shin",)),
        ("no puedo correr sin dolor de rodilla", ("knee",)),
        ("no me duele mucho el tobillo pero algo noto", ("ankle",)),
        ("duele al apoyar", ("unspecified",)),
    ],
)
def test_pain_cramp_and_injury_words_flag_their_site(text: str, sites: tuple[str, ...]) -> None:
    assert sites_of(text) == sites


@pytest.mark.parametrize(
    "text",
    [
        "no me duele la rodilla",
        "no me duele nada",
        "ya no me duele el tobillo",
        "sin dolor en la rodilla, por fin",
        "no tengo ningún tipo de dolor",
        "no siento ninguna molestia",
        "nada de dolor",
        "dolor: ninguno",
        "el dolor de rodilla se me pasó",
        "ni rastro del dolor de espalda",
        "vuelvo tras la lesión de rodilla, todo bien",
        "tengo agujetas en los cuádriceps",
        "gemelos cargados",
    ],
)
def test_negated_resolved_or_muscle_soreness_is_not_pain(text: str) -> None:
    assert sites_of(text) == ()


@pytest.mark.parametrize(
    ("text", "rpe", "minutes"),
    [
        ("una hora y media de bici, esfuerzo 6", 6.0, 90.0),
        ("hora y cuarto, intensidad 5", 5.0, 75.0),
        ("media hora de movilidad", None, 30.0),
        ("dos horas y media de tirada, esfuerzo siete", 7.0, 150.0),
        ("1,5 horas, esfuerzo 7 de 10", 7.0, 90.0),
        ("cuarenta y cinco minutos, un 8 de esfuerzo", 8.0, 45.0),
        ("90' de partido, le doy un 6", 6.0, 90.0),
        ("1h15, esfuerzo 7 u 8", 7.5, 75.0),
        ("4 series de 10 minutos, esfuerzo 9", 9.0, None),
        ("a las 7:30 salí a correr 45 min", None, 45.0),
    ],
)
def test_rpe_and_minutes_in_words_and_digits(
    text: str, rpe: float | None, minutes: float | None
) -> None:
    report = read_checkin(text)
    assert (report.rpe, report.minutes) == (rpe, minutes)


def test_sleep_hours_are_not_session_minutes_and_distance_is_in_km() -> None:
    report = read_checkin("dormí 5 horas y corrí 12 kilómetros en 1h05")
    assert (report.sleep_h, report.minutes, report.distance_km) == (5.0, 65.0, 12.0)
    assert read_checkin("5 horas de sueño, 6x1000m").sleep_h == 5.0
    assert read_checkin("5 horas de sueño, 6x1000m").distance_km == 6.0


def test_an_rpe_out_of_range_is_rejected_as_in_english() -> None:
    report = read_checkin("esfuerzo 14, una hora")
    assert report.rpe is None and report.rejected == {"rpe": 14.0}


def test_hooper_items_from_spanish_words() -> None:
    report = read_checkin("muy cansado, dormí fatal y estresado con el trabajo")
    assert (report.fatigue, report.sleep_quality, report.stress) == (6, 6, 5)
    assert read_checkin("un poco cansada").fatigue == 4
    assert read_checkin("no estoy cansado").fatigue == 2


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("¡Qué entrenamiento tan bueno! Me siento genial", 1),
        ("Estoy encantado con el progreso", 1),
        ("hoy fatal, hecho polvo y desanimado", -1),
        ("me duele la espalda y estoy de mal humor", -1),
        ("10 km en 50 minutos", 0),
    ],
)
def test_sentiment_levels(text: str, level: int) -> None:
    assert level_of(text, "es") == level
