"""No English left in what an athlete reads in Spanish, German, Russian or Chinese.

Every athlete command is driven through the real dialogue with good and bad arguments, in each
translated language, and every reply (and the /calendar file's event titles and descriptions)
is checked: for Russian and Chinese no Latin word longer than three letters may remain except
commands, their keywords, method and provider names, identifiers the athlete types
(``pull_ups``), time zones and the athlete's own words; for Spanish and German none of a list
of English phrases may appear. The examples the replies show are parsed back: an example in the
reader's language that the parser refused would teach the athlete a wrong form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from icalendar import Calendar

from bot import i18n, week_words
from bot.dialogue import Dialogue
from bot.dialogue.core import help_text
from bot.dialogue.features import default_features, handle_with_alerts
from bot.i18n import _
from bot.refusals import MESSAGES, refusal
from bot.replies import Incoming, Reply
from nlu import NluEngine
from planner.availability import (
    AWAY_FORM,
    DAY_FORM,
    LOCAL_KINDS,
    Availability,
    Blackout,
    DayLimit,
    parse_blackout,
    parse_day_limits,
)
from planner.input_error import InputError
from planner.sim.athletes import MODALITIES
from planner.week_prefs import EXAMPLE, parse_week_prefs, weekday
from storage.db import Database

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
TODAY = NOW.date()

#: Words a reply may keep in Latin letters: command keywords the parsers read in every
#: language, method and provider names, file formats, and each language's own name (/language).
KEPT = frozenset({
    "off", "reset", "default", "clear", "all", "create", "link", "plan", "auto", "changes",
    "team", "class", "now", "intervals", "strava", "oura", "Strava", "Oura", "icu", "ACWR",
    "RPE", "ACO", "PPO", "FRBI", "JSON", "API", "CTL", "ATL", "TSB", "HRV", "SHAP", "coachloop",
    "Hooper", "VADER", "PNG", *i18n.NATIVE_NAMES.values(),
})
#: /help lines declared in bot/dialogue/coaching.py, whose usage words are not translated yet
#: (docs/bot.md, Languages): a coach's, listed under "Coaches and teachers".
HELD = ("/status", "/override")
#: English a Spanish or German reply must not hold.
MARKERS = (
    "Your ", "Send /", "e.g.", " is not a ", "must be between", "sessions", "minutes",
    " the ", "nknown", "shown", "hidden", "blackout", "already past", "default week", "I don't",
    "ay which", "ay the minutes", "weekday", "kind of work", " reps", "up to ", "(men)",
    "body mass", "earlier plan", "named twice", "Second session", "Heart rate", "Rest day",
    " or ", "more than", "year ahead", "overlaps", "backwards", "at most",
)
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]+(?:['-][A-Za-zÀ-ÿ]+)*")
_SKIPPED = re.compile(r"/[a-z_]+(?:@\w+)?|\b\w+_\w+\b|\b[A-Z][a-z]+/[A-Za-z_]+\b|\S+\.\S+")


def _commands(lang: str) -> list[str | tuple[str]]:
    """Each athlete command with good and bad arguments (a 1-tuple is a button press); the
    good ones in the language's own words, as its replies teach them."""
    with i18n.language(lang):
        day_example = week_words.day_form().split("/availability ", 1)[1]
        away_example = week_words.away_form().split("/away ", 1)[1].split(" (")[0]
        schedule_example = _(week_words.SCHEDULE_EXAMPLE)
    return [
        "/help", "/start", "/today", "/schedule 7 45", "/today", "/why", "/week", "/done",
        ("ex:2026-11-23:0:too_hard",), ("ex:2026-11-23:9:done",), ("ex:bad",), "/history",
        "/export", "/join",
        "/test", "/test pull_ups 12", "/test pull_ups x", "/test pull_ups 500", "/test foo 3",
        "/privacy", ("privacy:load",),
        "/reminders", "/reminders 19:30", "/reminders 25:00", "/reminders 19:30 Mars/Base",
        "/reminders off",
        "/schedule", f"/schedule {schedule_example}", "/schedule 9 45", "/schedule 4 5",
        "/schedule 4", "/schedule 4 45 foo", "/schedule 5 45 mon tue", "/schedule",
        "/schedule default",
        "/availability", f"/availability {day_example}", "/availability", "/availability xyz 30",
        "/availability mon", "/availability mon off strength", "/availability mon 3x40",
        "/availability mon 2x90", "/availability mon 5", "/availability mon 2000",
        "/availability mon 30; mon 40", "/availability mon 30 yoga", "/availability ;",
        "/availability 30", "/availability reset",
        "/away", f"/away {away_example}", "/away", "/away 2026-12-12 trip",
        "/away 2020-01-01..2020-01-03", "/away 2026-12-20..2026-12-10",
        "/away 2026-12-01..2027-06-01", "/away 2029-01-01", "/away xyz", "/away clear",
        "/away clear 2026-12-11", "/away clear xyz", "/away clear 2026-12-10", "/away clear all",
        "/calendar", "/calendar 99",
        "/undo", "/undo xyz", "/undo 2027-01-01 2027-01-02",
        "/join ZZZZ", "/connect", "/connect foo", "/sync", "/disconnect", "/disconnect foo",
        "/checkin", "/cancel", "RPE 6, 45 min", "/language", "/language xx", "/foo",
        "/forget", ("forget:no",),
    ]


class Athlete:
    """One athlete in a private chat whose Telegram app is set to ``lang``."""

    def __init__(self, dialogue: Dialogue, lang: str) -> None:
        self.handle = handle_with_alerts(dialogue)
        self.lang = lang
        self.update = 0

    def send(self, text: str | None = None, button: str | None = None) -> list[Reply]:
        self.update += 1
        return self.handle(Incoming(
            user_id=901, chat_id=901, display_name="Ana", username="ana", received_at=NOW,
            chat_type="private", text=text, callback=button, update_id=self.update,
            language_code=self.lang))

    def onboard(self) -> None:
        self.send("/start")
        self.send(button="consent:yes")
        self.send(button="sex:F")
        self.send("2006")
        self.send("handball")


@pytest.fixture
def athlete_dialogue(sqlite_db: Database, nlu_engine: NluEngine) -> Dialogue:
    return Dialogue(sqlite_db, nlu_engine, timezone="UTC", features=default_features())


def _texts(replies: list[Reply]) -> Iterator[str]:
    """What the athlete reads: each text, its buttons' labels, the .ics file's events."""
    for reply in replies:
        yield reply.text
        for row in reply.buttons or ():
            yield from (button.label for button in row)
        if reply.document is not None and reply.document[0].endswith(".ics"):
            for event in Calendar.from_ical(reply.document[1]).walk("VEVENT"):
                yield str(event.get("SUMMARY", ""))
                yield str(event.get("DESCRIPTION", ""))


def _english_words(text: str, typed: str) -> list[str]:
    """Latin words longer than three letters that are not kept, skipped or typed."""
    own = set(_LATIN.findall(typed))
    lines = [line for line in text.splitlines() if not line.startswith(HELD)]
    words = _LATIN.findall(_SKIPPED.sub(" ", "\n".join(lines)))
    return [w for w in words if len(w) > 3 and w not in KEPT and w not in own]


def _english_phrases(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_athlete_command_answers_in_the_athletes_language(
        athlete_dialogue: Dialogue, lang: str) -> None:
    athlete = Athlete(athlete_dialogue, lang)
    athlete.onboard()
    found: dict[str, list[str]] = {}
    for step in _commands(lang):
        sent = step if isinstance(step, str) else ""
        replies = (athlete.send(step) if isinstance(step, str)
                   else athlete.send(button=step[0]))
        assert replies, step
        for text in _texts(replies):
            bad = (_english_words(text, sent) if lang in ("ru", "zh")
                   else _english_phrases(text))
            if bad:
                found.setdefault(str(step), []).append(f"{bad}: {text[:300]}")
    assert not found, "\n".join(f"{step}: {lines}" for step, lines in found.items())


def test_the_checks_catch_english() -> None:
    """The word and phrase checks see what the translated replies must not hold."""
    assert _english_words("Your week: the default week.", "") == ["Your", "week", "week"]
    assert _english_words("Формат: /availability пн 45 (Europe/Moscow), pull_ups", "") == []
    assert _english_words("«yoga» — не вид нагрузки", "/availability mon 30 yoga") == []
    assert _english_phrases("Deine Woche: 4 sessions of 45 min") == ["sessions"]
    assert _english_phrases("Tu semana: 4 sesiones de 45 min") == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_languages_examples_are_input_the_parsers_accept(lang: str) -> None:
    with i18n.language(lang):
        day_example = week_words.day_form().split("/availability ", 1)[1]
        away = week_words.away_form()
        schedule = _(week_words.SCHEDULE_EXAMPLE)
        usage = {line.split(" - ")[0] for line in help_text(default_features()).splitlines()}
        kinds = [week_words.kind_name(k) for k in MODALITIES]
        days = [week_words.day_name(d) for d in range(1, 8)]
        off = week_words.off_word()
    limits = parse_day_limits(day_example)
    assert limits == parse_day_limits(DAY_FORM.split("/availability ", 1)[1])
    assert parse_week_prefs(schedule.split()) == parse_week_prefs(EXAMPLE.split())
    for part in re.findall(r"/away (\S+ \S+?)(?:\)|\s|$)", away):
        words = part.split()
        assert parse_blackout(words, TODAY).start == dt.date(2026, 12, 10)
    assert len(re.findall(r"/away ", away)) == len(re.findall(r"/away ", AWAY_FORM))
    shown = [u for u in usage if u.startswith(("/availability ", "/schedule "))]
    assert len(shown) == 2
    for line in shown:
        command, _sep, rest = line.partition(" ")
        if command == "/availability":
            assert parse_day_limits(rest)
        else:
            assert parse_week_prefs(rest.split())
    assert [weekday(d) for d in days] == list(range(1, 8))
    assert parse_day_limits("; ".join(f"{d} 30 {k}" for d, k in zip(days, kinds, strict=False)))
    assert parse_day_limits(f"{days[0]} {off}")[1].minutes == 0
    assert set(LOCAL_KINDS[lang]) == set(MODALITIES)


def _refusals() -> list[InputError]:
    """One of each refusal the parsers make."""
    made: list[InputError] = []
    attempts = [
        lambda: parse_week_prefs(["9", "45"]), lambda: parse_week_prefs(["4", "5"]),
        lambda: parse_week_prefs(["5", "45", "mon", "tue"]),
        lambda: parse_week_prefs(["4", "45", "foo"]), lambda: parse_week_prefs(["4"]),
        lambda: DayLimit(30.0, (), 3), lambda: DayLimit(90.0, (), 2), lambda: DayLimit(5.0),
        lambda: DayLimit(30.0, ("yoga",)),
        lambda: Blackout(dt.date(2026, 12, 20), dt.date(2026, 12, 10)),
        lambda: Blackout(dt.date(2026, 12, 1), dt.date(2027, 6, 1)),
        lambda: Availability(blackouts=(Blackout(TODAY, TODAY),)).with_blackout(
            Blackout(TODAY, TODAY), TODAY),
        lambda: Availability(blackouts=tuple(
            Blackout(TODAY + dt.timedelta(days=2 * i), TODAY + dt.timedelta(days=2 * i))
            for i in range(20))).with_blackout(Blackout(dt.date(2027, 6, 1),
                                                        dt.date(2027, 6, 1)), TODAY),
        lambda: Availability().without_blackout(TODAY),
        lambda: parse_day_limits("xyz 30"), lambda: parse_day_limits(";"),
        lambda: parse_day_limits("30"), lambda: parse_day_limits("mon"),
        lambda: parse_day_limits("mon off strength"), lambda: parse_day_limits("mon 2000"),
        lambda: parse_day_limits("mon 30; mon 40"), lambda: parse_day_limits("mon 30 yoga"),
        lambda: parse_blackout([], TODAY), lambda: parse_blackout(["xyz"], TODAY),
        lambda: parse_blackout(["2029-01-01"], TODAY),
        lambda: parse_blackout(["2020-01-01..2020-01-03"], TODAY),
    ]
    for attempt in attempts:
        with pytest.raises(InputError) as caught:
            attempt()
        made.append(caught.value)
    return made


def test_every_refusal_reads_in_english_as_the_planner_wrote_it() -> None:
    # the bot's message ids of the examples are the planner's own English
    assert (week_words.DAY_FORM, week_words.AWAY_FORM, week_words.SCHEDULE_EXAMPLE) == (
        DAY_FORM, AWAY_FORM, EXAMPLE)
    refused = _refusals()
    assert {e.code for e in refused} == set(MESSAGES) - {"distinct_days", "no_dose"}
    with i18n.language("en"):
        for exc in refused:
            form = DAY_FORM if DAY_FORM in str(exc) else AWAY_FORM if AWAY_FORM in str(exc) else ""
            assert refusal(exc, form) == str(exc)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_refusal_is_worded_in_each_language(lang: str) -> None:
    with i18n.language(lang):
        for exc in _refusals():
            worded = refusal(exc, week_words.day_form())
            assert worded != str(exc) and "{" not in worded, (exc.code, worded)
            if lang in ("ru", "zh"):
                assert _english_words(worded, "xyz yoga foo strength") == [], worded


def test_a_refusal_from_elsewhere_keeps_its_text() -> None:
    with i18n.language("ru"):
        assert refusal(ValueError("plain")) == "plain"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_calendar_file_is_in_the_athletes_language(athlete_dialogue: Dialogue,
                                                      lang: str) -> None:
    athlete = Athlete(athlete_dialogue, lang)
    athlete.onboard()
    athlete.send("/schedule 7 45")
    athlete.send("/availability mon 2x40")  # a second session on Mondays
    document = athlete.send("/calendar 2")[0].document
    assert document is not None
    events = list(Calendar.from_ical(document[1]).walk("VEVENT"))
    assert len(events) == 14
    summaries = [str(e.get("SUMMARY")) for e in events]
    descriptions = "\n".join(str(e.get("DESCRIPTION", "")) for e in events)
    assert sum(str(e["STATUS"]) == "CONFIRMED" for e in events) >= 4
    assert descriptions.count("1. ") >= 4
    check = (lambda t: _english_words(t, "")) if lang in ("ru", "zh") else _english_phrases
    assert check("\n".join(summaries)) == []
    assert check(descriptions) == []
