"""A whole day in Spanish and in Chinese, a German coach of a Spanish athlete, a broadcast that
reaches each student in their own language, and /language refusing what it does not know.

The language comes from the person's choice (/language), else the update's Telegram
``language_code`` (remembered when they agree, so what others send them is in it too), else
English. Everything here goes through the real dialogue, NLU and planner.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest

from bot import i18n
from bot.catalogue_words import vocabulary
from bot.dialogue import Dialogue
from bot.dialogue.broadcasts import PLAN_FOR, render_copy
from bot.dialogue.core import command_menu
from bot.dialogue.features import handle_with_alerts
from bot.replies import Incoming, Reply
from bot.terminal import in_language, run_chat
from storage import people
from storage.db import Database
from tests.bot_roles.conftest import NOW, User


class Speaker(User):
    """A user whose Telegram app is set to ``code`` (the ``language_code`` of each update)."""

    def __init__(self, dialogue: Dialogue, user_id: int, name: str, code: str | None) -> None:
        super().__init__(dialogue, user_id, name)
        self.code = code
        inner = self.handle

        def handle(inc: Incoming) -> list[Reply]:
            return inner(dataclasses.replace(inc, language_code=self.code))

        self.handle = handle

    def onboard_as(self, sport: str) -> list[Reply]:
        self.send("/start")
        self.send(button="consent:yes")
        self.send(button="sex:F")
        self.send("2006")
        return self.send(sport)


def _language_of(database: Database, user_id: int) -> str | None:
    with database.session() as s:
        person = people.get_by_telegram_id(s, user_id)
        assert person is not None
        return person.language


def _team(coach: Speaker, athlete: Speaker, created_marker: str) -> None:
    coach.send("/start")
    coach.send(button="consent:yes")
    coach.send("/cancel")
    made = coach.send("/team create Tigres")[0].text
    code = made.split(created_marker)[1].split()[0]
    athlete.send(f"/join {code}")


def test_codes_with_a_region_map_to_their_base_and_unknown_ones_to_english() -> None:
    assert i18n.normalise("es-419") == "es"
    assert i18n.normalise("zh-hans") == "zh"
    assert i18n.normalise("pt-br") is None
    assert i18n.resolve(None, "pt-br") == "en"
    assert i18n.resolve("de", "es") == "de"  # the person's choice wins over their app
    assert i18n.resolve(None, None) == "en"


def test_a_whole_day_in_spanish_with_a_german_coach(full_dialogue: Dialogue,
                                                    database: Database) -> None:
    ana = Speaker(full_dialogue, 501, "Ana", "es-419")
    ben = Speaker(full_dialogue, 502, "Ben", "de")
    consent = ana.send("/start")[0]
    assert "Soy coachloop" in consent.text and "¿Estás de acuerdo?" in consent.text
    assert [b.label for row in consent.buttons for b in row] == ["Acepto", "No, gracias"]
    thanks = ana.send(button="consent:yes")
    assert thanks[0].text == "¡Gracias! Consentimiento registrado."
    assert "¿Sexo?" in thanks[1].text
    assert "Año de nacimiento" in ana.send("mujer")[0].text  # the typed answer, in Spanish
    assert "deporte principal" in ana.send("2006")[0].text
    assert ana.send("saltar")[0].text.startswith("Todo listo.")  # 'skip' in Spanish
    assert _language_of(database, 501) == "es"  # Telegram's language, remembered

    _team(ben, ana, "Einladungscode: ")
    saved = ana.texts(ana.send(
        "Entrenamiento de una hora, esfuerzo 8, me duele la rodilla izquierda"))
    assert saved.startswith("Guardado ✅ RPE 8 x 60 min = carga 480")
    assert "dolor: rodilla (lado izquierdo)" in saved
    assert "Siguiente: " in saved and "(mañana)" in saved

    today = ana.texts(ana.send("/today"))
    assert today.startswith("lun, 23 nov: ")  # NOW is Monday 23 November, in Spanish
    assert "Pregunta /why para saber por qué." in today
    why = ana.texts(ana.send("/why"))
    assert why.startswith("Por qué lun, 23 nov es así:")
    assert "Reglas que se aplicaron:" in why and "- Protección por dolor: " in why
    # the safety sentence is worded by the bot from the rule's inputs, in her language
    assert ("- Has registrado dolor en: rodilla (lado izquierdo), así que nada se pone más "
            "duro.") in why
    assert "(regla: dolor registrado en los últimos 3 días;" in why
    assert "- El lunes es un día de descanso planificado: esta semana entrenas los días " in why

    roster = ben.texts(ben.send("/status"))  # the coach reads German about a Spanish athlete
    assert roster.startswith("Kader (wer zuerst Aufmerksamkeit braucht):")
    assert "Schmerz: Knie (links)" in roster
    assert "Du hast Schmerzen gemeldet: Knie (links)" in roster  # the plan's reason, in German
    assert "Belastung 480 AU/7 T." in roster
    assert "me duele la rodilla izquierda" in roster  # what she wrote, as she wrote it

    note = ben.send("/override @ana 70% tomorrow")
    assert note[0].text.startswith("Eingetragen: Ana bekommt am Di., 24. Nov. 70%")
    assert note[1].chat_id == 501  # the athlete's copy, in her language
    assert note[1].text.startswith("Tu entrenador Ben ha puesto tu sesión del mar, 24 nov en "
                                   "el 70% de la intensidad planificada.")


def test_a_whole_day_in_chinese(full_dialogue: Dialogue, database: Database) -> None:
    li = Speaker(full_dialogue, 601, "Li", "zh-hans")
    coach = Speaker(full_dialogue, 602, "Wang", "zh")
    consent = li.send("/start")[0]
    assert "我是 coachloop" in consent.text
    assert li.send(button="consent:yes")[0].text == "谢谢！已记录你的同意。"
    li.send(button="sex:M")
    li.send("2007")
    assert li.send("跑步")[0].text.startswith("设置完成。")
    _team(coach, li, "邀请码：")

    saved = li.texts(li.send("训练了一个小时，强度8，左膝盖疼"))
    assert saved.startswith("已保存 ✅ RPE 8 x 60 分钟 = 负荷 480")
    assert "疼痛：左膝盖" in saved
    assert "下一次：" in saved and "（明天）" in saved
    today = li.texts(li.send("/today"))
    assert today.startswith("11月23日周一: ") and "发送 /why 查看原因。" in today
    why = li.texts(li.send("/why"))
    assert why.startswith("为什么 11月23日周一 是这样安排的：") and "疼痛保护：" in why
    assert "- 你报告了左膝盖疼痛，所以不会加大强度。" in why
    roster = coach.texts(coach.send("/status"))
    assert roster.startswith("名单（最需要关注的排在前面）：") and "疼痛：左膝盖" in roster


def test_a_broadcast_reaches_each_student_in_their_language(full_dialogue: Dialogue) -> None:
    cruz = Speaker(full_dialogue, 701, "Cruz", "en")
    ivan = Speaker(full_dialogue, 702, "Ivan", "ru")
    emma = Speaker(full_dialogue, 703, "Emma", None)
    cruz.send("/start")
    cruz.send(button="consent:yes")
    cruz.send("/cancel")
    code = cruz.send("/class create 10B")[0].text.split("Invite code: ")[1].split()[0]
    for student in (ivan, emma):
        student.onboard_as("football")
        student.send(f"/join {code}")
    replies = cruz.send("/broadcast")
    assert replies[0].text.startswith("Sending today's plan to 2 students of '10B'")
    copies = {r.chat_id: render_copy(full_dialogue, r) for r in replies if PLAN_FOR in r.meta}
    assert copies[702].text.startswith("От Cruz (10B):\n")
    assert "Спроси /why, чтобы узнать причины." in copies[702].text
    assert copies[703].text.startswith("From Cruz (10B):\n")
    assert "Ask /why for the reasons." in copies[703].text


def test_language_with_a_bad_code_lists_the_choices_and_changes_nothing(
        full_dialogue: Dialogue, database: Database) -> None:
    olga = Speaker(full_dialogue, 801, "Olga", "ru")
    olga.onboard_as("swimming")
    refused = olga.send("/language klingon")[0]
    assert refused.text.startswith("Я не знаю язык «klingon».")
    assert "es (Español)" in refused.text and "zh (中文（简体）)" in refused.text
    assert _language_of(database, 801) == "ru"
    assert olga.send("/language es de")[0].text.startswith("Я не знаю язык")  # one code only
    assert _language_of(database, 801) == "ru"

    chosen = olga.send("/language de-AT")[0].text  # the region goes, the choice stays
    assert chosen.startswith("Erledigt: Ab jetzt schreibe ich dir auf Deutsch.")
    assert _language_of(database, 801) == "de"
    assert olga.send("/today")[0].text.endswith("Frag /why nach den Gründen.")
    olga.send(button="lang:en")
    assert olga.send("/today")[0].text.endswith("Ask /why for the reasons.")  # app says ru


def test_language_before_consent_stores_nothing(full_dialogue: Dialogue,
                                                database: Database) -> None:
    stranger = Speaker(full_dialogue, 901, "Sam", "es")
    answer = stranger.send("/language de")[0].text
    assert answer.startswith("Envía /start primero")  # asked in the language of the app
    with database.session() as s:
        assert people.get_by_telegram_id(s, 901) is None


@pytest.mark.parametrize("lang", ["es", "de", "ru", "zh"])
def test_the_command_menu_is_translated(full_dialogue: Dialogue, lang: str) -> None:
    english = dict(command_menu(full_dialogue.features))
    with i18n.language(lang):
        menu = dict(command_menu(full_dialogue.features))
    assert menu.keys() == english.keys()  # the same commands, their names untranslated
    assert menu["checkin"] != english["checkin"] and menu["language"] != english["language"]


def test_english_stays_the_default_outside_a_turn() -> None:
    assert i18n.current() == "en"
    with i18n.language("ru"):
        assert i18n.day_label(dt.date(2026, 11, 23)) == "пн, 23 нояб."
    assert i18n.day_label(NOW.date()) == "Mon 23 Nov"


def test_the_terminal_chat_in_spanish(full_dialogue: Dialogue) -> None:
    """`coachloop chat --language es`: the same dialogue, each line as from a Spanish app."""
    script = io.StringIO("/start\n1\n1\n2004\nfútbol\n"
                         "Entrenamiento de una hora, esfuerzo 8, me duele la rodilla izquierda\n"
                         "/today\n/language xx\n/quit\n")
    out = io.StringIO()
    run_chat(in_language(handle_with_alerts(full_dialogue), "es"), user_id=991, name="Ana",
             stdin=script, stdout=out, clock=lambda: NOW)
    text = out.getvalue()
    assert "¿Estás de acuerdo?" in text and "[1] Acepto" in text
    assert "Todo listo." in text
    assert "Guardado ✅ RPE 8 x 60 min = carga 480; dolor: rodilla (lado izquierdo)" in text
    assert "lun, 23 nov: " in text
    assert "No conozco el idioma «xx»." in text


def test_the_red_alert_reaches_a_german_coach_in_german(full_dialogue: Dialogue) -> None:
    """An English athlete turns red: her coach's private alert is in the coach's language."""
    ben = Speaker(full_dialogue, 1101, "Ben", "de")
    ana = Speaker(full_dialogue, 1102, "Ana", None)
    ana.onboard_as("rowing")
    _team(ben, ana, "Einladungscode: ")
    start = NOW - dt.timedelta(days=30)
    for i in range(27):
        ana.send("RPE 3, 30 min", at=start + dt.timedelta(days=i))
    replies = ana.send("RPE 10, 240 min", at=NOW)
    assert replies[0].text.startswith("Saved ✅")  # the athlete's own reply stays English
    [alert] = [r for r in replies if r.chat_id == 1101]
    assert alert.text.startswith("🔴 Ana ist heute auf Rot gesprungen: ")
    assert alert.text.endswith("/status @ana für Details.")


PAINFUL_HOUR = {  # a check-in with a left-knee pain, as each athlete would write it
    "es": ("Entrenamiento de una hora, esfuerzo 8, me duele la rodilla izquierda", "rodilla"),
    "de": ("Eine Stunde Training, Anstrengung 8, mein linkes Knie tut weh", "Knie"),
    "ru": ("Тренировка час, нагрузка 8, болит левое колено", "колено"),
    "zh": ("训练了一个小时，强度8，左膝盖疼", "膝盖"),
}
PLANNER_ENGLISH = ("instead of", "I changed", "Your week plan", "Your week schedule",
                   "left out", "scheduled modality", "slot minutes", "pain sites", "{'",
                   "so nothing gets harder", "Overall that is", "The scheduling model",
                   "Tell me how it went", "Nothing in your recent reports", " -> ")
"""The planner's own English phrases, as it words a sore day's rules and their values."""


@pytest.mark.parametrize("lang", sorted(PAINFUL_HOUR))
def test_the_planners_words_reach_the_athlete_in_their_language(full_dialogue: Dialogue,
                                                                 lang: str) -> None:
    """The check-in reply, /today, /why and /week of a sore training day hold no English of
    the planner: no template title, no exercise name, no rule sentence, description or raw
    value."""
    athlete = Speaker(full_dialogue, 1100 + sorted(PAINFUL_HOUR).index(lang), "Sol", lang)
    athlete.onboard_as("football")
    week = athlete.texts(athlete.send("/week"))
    # the first training day of the week the scheduler planned (a rest day swaps nothing)
    day = next(NOW + dt.timedelta(days=k) for k in range(7)
               if "\n1. " in athlete.texts(athlete.send("/today",
                                                          at=NOW + dt.timedelta(days=k))))
    message, knee = PAINFUL_HOUR[lang]
    saved = athlete.texts(athlete.send(message, at=day))
    assert knee in saved  # the pain was understood, so the pain guard words its swaps
    today = athlete.texts(athlete.send("/today", at=day))
    why = athlete.texts(athlete.send("/why", at=day))
    names = {name for name, _source in vocabulary()}
    english = {w for w in (*names, *{n.lower() for n in names}, *PLANNER_ENGLISH) if len(w) > 3}
    for text in (week, saved, today, why):
        leaked = sorted(w for w in english if w in text)
        assert not leaked, f"{lang}: {leaked}\n{text}"
    with i18n.language(lang):
        worded = i18n._("instead of {exercise}").split("{exercise}")[0]
    assert worded in today  # a knee-loading exercise was swapped, said in words
