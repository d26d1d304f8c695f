"""When the athlete can train, and their plan in their own calendar.

``/availability`` sets per weekday the minutes, kinds of work and sessions (two a day where
allowed); ``/away`` adds days with no training (exams, travel, illness); ``/calendar`` sends the
coming weeks as an .ics file whose events are updated in place by a later export. The week
scheduler plans around what is stored here (`planner.availability`, `bot.services.schedule`):
a change makes a new plan for the period at the next planning, as `/schedule` does.

Bad input changes nothing and is answered with the form that works.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.calendar_file import MAX_WEEKS, person_calendar
from bot.catalogue_words import then
from bot.dialogue.core import CommandHelp, Feature
from bot.i18n import N_, _, ngettext
from bot.refusals import refusal, sentence
from bot.replies import Reply
from bot.services.planning import local_today
from bot.week_words import availability_lines, away_form, day_form
from planner.availability import Availability, narrow, parse_blackout, parse_day_limits
from planner.input_error import InputError
from planner.week_prefs import WeekPreferences, constraints_for
from storage import people
from storage.schema import Person

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue, Turn

DEFAULT_WEEKS = 2
_RESET = ("reset", "default", "clear", "none")


def _today(dialogue: Dialogue, turn: Turn, person: Person) -> dt.date:
    return local_today(person, turn.inc.received_at, dialogue.timezone)


def _error(exc: ValueError, form: str) -> list[Reply]:
    message = refusal(exc, form)[:240]
    tail = "" if form in message else "\n" + _("The form: {form}").format(form=form)
    return [Reply(then(sentence(message), _("Nothing changed.")) + tail)]


def _fewer_days_note(person: Person, availability: Availability) -> str:
    """What the weekday limits leave of the athlete's own week (/schedule), if less."""
    prefs = WeekPreferences.from_dict(person.week_prefs)
    wanted = constraints_for(prefs, hr_rest=60.0, hr_max=190.0)
    left = narrow(wanted, availability)
    if left is None:
        return "\n" + _("That leaves no day to train: no sessions until you free a day.")
    if left.max_sessions < wanted.min_sessions:
        return "\n" + _("That leaves {days} days for the {sessions} sessions a week you asked "
                        "for: you get {days}.").format(days=left.max_sessions,
                                                       sessions=wanted.min_sessions)
    return ""


def availability_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/availability [mon 45; tue off; thu 60 strength; sat 2x40 | reset]."""
    person = dialogue.require_person(turn)
    current = Availability.from_dict(person.availability)
    if not args:
        lines = availability_lines(current) or [_("no limits: any day, 35-60 min, any kind of "
                                              "work")]
        return [Reply(_("Your availability:") + "\n" + "\n".join(f"- {line}" for line in lines)
                      + "\n" + _("Change it: {form}, or /availability reset. Days away: "
                                 "/away.").format(form=day_form()))]
    if len(args) == 1 and args[0].lower() in _RESET:
        kept = Availability(blackouts=current.blackouts)
        people.update_profile(person, availability=None if kept.is_empty else kept.as_dict())
        return [Reply(_("Availability cleared: any day, any kind of work (your days away "
                        "stay; /away lists them). I re-plan your week; /week shows it."))]
    try:
        limits = parse_day_limits(" ".join(args))
    except ValueError as exc:
        return _error(exc, day_form())
    updated = current.with_days(limits)
    people.update_profile(person, availability=updated.as_dict())
    shown = "\n".join(f"- {line}" for line in availability_lines(updated))
    return [Reply(_("Your availability:") + f"\n{shown}{_fewer_days_note(person, updated)}\n"
                  + _("I re-plan your week around it; /week shows it."))]


def away_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/away START[..END] [reason] | /away clear START | /away clear all | /away."""
    person = dialogue.require_person(turn)
    today = _today(dialogue, turn, person)
    current = Availability.from_dict(person.availability)
    coming = [b for b in current.blackouts if b.end >= today]
    if not args:
        if not coming:
            return [Reply(_("No days away planned. Add some: {form}.").format(form=away_form()))]
        lines = "\n".join(f"- {b.describe()}" for b in coming)
        return [Reply(_("Days away:") + f"\n{lines}\n"
                      + _("Remove one: /away clear START_DAY."))]
    if args[0].lower() in ("clear", "remove", "delete", "off"):
        if len(args) != 2:
            return [Reply(_("Say which: /away clear 2026-12-10 (its first day) or /away clear "
                            "all. Nothing changed."))]
        if args[1].lower() == "all":
            updated = Availability(days=current.days)
        else:
            try:
                updated = current.without_blackout(dt.date.fromisoformat(args[1]))
            except ValueError as exc:
                message = (exc if isinstance(exc, InputError)
                           else ValueError(_("'{text}' is not a date like 2026-12-10").format(
                               text=args[1][:20])))
                return _error(message, "/away clear 2026-12-10")
        people.update_profile(person, availability=None if updated.is_empty
                              else updated.as_dict())
        return [Reply(_("Removed. I re-plan those days; /week shows them."))]
    try:
        blackout = parse_blackout(args, today)
        updated = current.with_blackout(blackout, today)
    except ValueError as exc:
        return _error(exc, away_form())
    people.update_profile(person, availability=updated.as_dict())
    return [Reply(_("Away {days}: no training on those days, and the week's sessions move to "
                    "the days you are here. /away lists your days away.").format(
                        days=blackout.describe()))]


def calendar_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/calendar [WEEKS]: the coming weeks as an .ics file."""
    person = dialogue.require_person(turn)
    weeks = DEFAULT_WEEKS
    if args:
        if len(args) != 1 or not args[0].isdigit() or not 1 <= int(args[0]) <= MAX_WEEKS:
            return [Reply(_("Send /calendar, or /calendar WEEKS with 1 to {most} weeks (e.g. "
                            "/calendar 4).").format(most=MAX_WEEKS))]
        weeks = int(args[0])
    today = _today(dialogue, turn, person)
    data, sessions = person_calendar(turn.db, person, today, weeks, dialogue.planning)
    text = ngettext("Your next {weeks} weeks: {sessions} session.",
                    "Your next {weeks} weeks: {sessions} sessions.", sessions).format(
        weeks=weeks, sessions=sessions)
    return [Reply(text + " " + _("Open the file to add them to your calendar; after a re-plan "
                               "send /calendar again and the same events are updated."),
                  document=("coachloop-plan.ics", data))]


def feature() -> Feature:
    """The availability slice of the dialogue: /availability, /away, /calendar."""
    return Feature(
        commands={"availability": availability_cmd, "away": away_cmd,
                  "calendar": calendar_cmd},
        help={
            "availability": CommandHelp(
                # TRANSLATORS: input /availability must accept (see its "e.g." form)
                N_("/availability mon 45; tue off; sat 2x40"), N_("when you can train: minutes, "
                "kinds of work, two sessions a day"), menu=N_("when you can train"), rank=26),
            "away": CommandHelp(N_("/away 2026-12-10..2026-12-14 exams"),
                                N_("days with no training (exams, travel, illness)"),
                                menu=N_("days away (exams, travel)"), rank=26),
            "calendar": CommandHelp("/calendar", N_("your coming sessions as a calendar file"),
                                    menu=N_("sessions as a calendar file"), rank=26),
        },
    )
