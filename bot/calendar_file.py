"""The coming weeks' sessions as an iCalendar file (RFC 5545, the `icalendar` package).

Each day gets one all-day event with a UID fixed by the athlete and the date, so importing a
newer file (after a re-plan) updates the same events instead of adding copies: SEQUENCE grows
with the time of export, which RFC 5545 section 3.8.7.4 asks of a revised event. A day that
became a rest day (or a day away) is sent with STATUS:CANCELLED, which removes an event the
calendar had from an earlier export. Sessions have no clock time in coachloop, hence all-day.

Titles and descriptions are in the current language, as /today words the same session
(`bot.render`, hence a module above the services): /calendar builds the file inside the
athlete's turn, `coachloop calendar` inside ``with i18n.language(person.language)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from icalendar import Calendar, Event
from sqlalchemy.orm import Session as DbSession

from bot.catalogue_words import session_title
from bot.i18n import _
from bot.render import exercise_lines, sentences
from bot.services.planning import PlanningConfig, plan_and_store
from planner.daily import PlannedDay
from storage.schema import Person

PRODID = "-//coachloop//training plan//EN"
MAX_WEEKS = 8


def _person_token(person_id: int, telegram_user_id: int) -> str:
    """Stable per athlete, reveals neither id."""
    return hashlib.sha256(f"coachloop:{person_id}:{telegram_user_id}".encode()).hexdigest()[:16]


def event_uid(person_id: int, telegram_user_id: int, day: dt.date) -> str:
    """The UID of the athlete's event on ``day`` (the same in every export)."""
    return f"{day:%Y%m%d}-{_person_token(person_id, telegram_user_id)}@coachloop"


def _description(planned: PlannedDay) -> str:
    lines = exercise_lines(planned, _("Second session, later in the day:"))
    lines += [f"- {s}" for s in sentences(planned.explanation, planned.session.day)[:3]]
    return "\n".join(lines)


def plan_calendar(days: Sequence[PlannedDay], *, person_id: int, telegram_user_id: int,
                  name: str, now: dt.datetime | None = None) -> bytes:
    """The .ics bytes for these planned days (one event per day, see the module docstring)."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"coachloop: {name}")
    sequence = int(now.timestamp() // 60) - 29_000_000  # minutes since ~2025: only grows
    for planned in days:
        session = planned.session
        event = Event()
        event.add("uid", event_uid(person_id, telegram_user_id, session.day))
        event.add("dtstamp", now)
        event.add("dtstart", session.day)
        event.add("dtend", session.day + dt.timedelta(days=1))
        event.add("sequence", sequence)
        event.add("transp", "TRANSPARENT")
        if session.is_rest:
            event.add("summary", f"coachloop: {session_title(session.title)}")
            event.add("status", "CANCELLED")
        else:
            minutes = session.estimated_minutes()
            # TRANSLATORS: a calendar event's title, after "coachloop: "
            event.add("summary", "coachloop: " + _("{title} (~{minutes} min)").format(
                title=session_title(session.title), minutes=f"{minutes:.0f}"))
            event.add("description", _description(planned))
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    return bytes(cal.to_ical())


def person_calendar(db: DbSession, person: Person, first: dt.date, weeks: int,
                    config: PlanningConfig | None = None) -> tuple[bytes, int]:
    """Plan ``weeks`` weeks from ``first`` (as /week does, stored) and return the .ics bytes
    and how many sessions they hold: what `/calendar` sends and `coachloop calendar` writes."""
    days = [plan_and_store(db, person, first + dt.timedelta(days=i), config)
            for i in range(7 * weeks)]
    data = plan_calendar(days, person_id=person.id, telegram_user_id=person.telegram_user_id,
                         name=person.display_name)
    return data, sum(not d.session.is_rest for d in days)
