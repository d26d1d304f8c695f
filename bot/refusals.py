"""The pure core's refusals of typed input, worded in the reader's language.

`planner.input_error.InputError` carries a code and the values it quotes; each code's English
sentence is a message id here, with the same words as the planner's own text, so an English
reply reads exactly as the planner wrote it and the other languages get a translation. The
example a refusal ends with (``{form}``) is the caller's, in the reader's language
(`bot.week_words`). Any other ValueError keeps its text: the bot's own are translated where
they are raised.
"""

from __future__ import annotations

import datetime as dt

from bot import week_words
from bot.i18n import N_, _
from planner.input_error import InputError

MESSAGES = {
    # /schedule (planner.week_prefs)
    "week_sessions_range": N_("sessions per week must be between {low} and {high}"),
    "week_minutes_range": N_("minutes per session must be between {low} and {high}"),
    "distinct_days": N_("days must be distinct weekdays"),
    "too_few_days": N_("{sessions} sessions need at least {sessions} days; you named {named}"),
    "not_understood": N_("I don't understand '{word}': say e.g. {example}"),
    "two_numbers": N_("say how many sessions and how many minutes, e.g. {example}"),
    # /availability and /away (planner.availability)
    "day_minutes_range": N_("minutes on a training day must be between {low} and {high}"),
    "sessions_per_day": N_("a day holds one or two sessions"),
    "double_too_long": N_("two sessions a day: at most {most} minutes each"),
    "unknown_kind": N_("unknown kind of work '{word}': use {kinds}"),
    "range_backwards": N_("the range runs backwards ({start} after {end}): put the first day "
                          "first"),
    "blackout_too_long": N_("a blackout may last at most {most} days"),
    "blackout_overlap": N_("that overlaps a blackout you already have: /away lists them, /away "
                           "clear START removes one"),
    "too_many_blackouts": N_("at most {most} blackouts: /away clear START removes one"),
    "no_blackout": N_("no blackout starts on {day}: /away lists them"),
    "not_weekday": N_("'{word}' is not a weekday: use {days}"),
    "no_days": N_("say which days, {form}"),
    "weekday_first": N_("start each part with a weekday, {form}"),
    # TRANSLATORS: 'off' is the language's word for a day off that /availability reads
    "no_minutes": N_("say the minutes for {day} ('off' for none), {form}"),
    "off_with_kinds": N_("an off day takes no kinds of work ('{word}'), {form}"),
    "no_dose": N_("say the minutes, {form}"),
    "more_than_a_day": N_("{minutes} minutes is more than a day has, {form}"),
    "named_twice": N_("{day} is named twice: say each day once"),
    # TRANSLATORS: YYYY-MM-DD is how to write the date (the parser reads 2026-12-10 only)
    "not_date": N_("'{word}' is not a date: write YYYY-MM-DD, {form}"),
    "too_far_ahead": N_("{day} is more than a year ahead: check the year"),
    "already_past": N_("{day} is already past: blackouts are for coming days"),
}
"""An `InputError` code -> its sentence (the planner's English, values as placeholders)."""


def _value(name: str, value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "day" and isinstance(value, int):
        return week_words.day_name(value)
    if isinstance(value, float | int):
        return week_words.amount(float(value))
    return str(value)


def sentence(reason: str) -> str:
    """A refusal as a sentence of its own: capitalised, with the language's full stop."""
    # TRANSLATORS: a sentence's end (Chinese: "。")
    return _("{sentence}.").format(sentence=reason[:1].upper() + reason[1:])


def refusal(exc: ValueError, form: str = "") -> str:
    """Why typed input was refused, in the current language (``form``: the example to end
    with where the sentence has one)."""
    if not isinstance(exc, InputError) or exc.code not in MESSAGES:
        return str(exc)
    values = {name: _value(name, value) for name, value in exc.params.items()}
    return _(MESSAGES[exc.code]).format(
        form=form, example=_(week_words.SCHEDULE_EXAMPLE), kinds=week_words.kind_names(),
        days=week_words.day_names(), **values)
