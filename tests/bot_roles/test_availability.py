"""/availability, /away and /calendar through the whole dialogue, on SQLite and PostgreSQL:
stored, planned around, refused with the form on bad input, exported as updatable events."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from sqlalchemy import select, text

from bot.dialogue import Dialogue
from storage.schema import Person, PrescribedSession
from tests.bot_roles.conftest import NOW, User

FRIDAY = NOW + dt.timedelta(days=11)  # 2026-12-04


def _person(dialogue: Dialogue) -> dict:
    with dialogue.database.session() as s:
        person = s.scalar(select(Person).where(Person.telegram_user_id == 2))
        assert person is not None
        return dict(person.availability or {})


def test_availability_is_stored_shown_and_bad_input_changes_nothing(
    full_dialogue: Dialogue,
) -> None:
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    shown = ana.texts(ana.send("/availability", at=FRIDAY))
    assert "no limits" in shown
    saved = ana.texts(ana.send("/availability mon 30; tue off; sat 2x40 aerobic", at=FRIDAY))
    assert "Mon: up to 30 min" in saved and "Sat: 2 x 40 min, aerobic" in saved
    before = _person(full_dialogue)
    for bad, said in (("/availability funday 30", "not a weekday"),
                      ("/availability mon 2000", "more than a day"),
                      ("/availability wed 45 yoga", "Unknown kind"),
                      ("/away 2026-12-14..2026-12-10 exams", "runs backwards"),
                      ("/away 2026-02-30", "not a date"),
                      ("/calendar 99", "1 to 8 weeks")):
        answer = ana.texts(ana.send(bad, at=FRIDAY))
        assert said in answer, (bad, answer)
        assert _person(full_dialogue) == before
    assert "Nothing changed" in ana.texts(ana.send("/away 2026-12-14..2026-12-10", at=FRIDAY))


def test_days_away_are_rest_days_with_the_reason_and_sessions_move_around_them(
    full_dialogue: Dialogue,
) -> None:
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    answer = ana.texts(ana.send("/away 2026-12-08..2026-12-10 exams", at=FRIDAY))
    assert "2026-12-08..2026-12-10 (exams)" in answer
    # the reason is health-adjacent: stored encrypted when a key is set, never in a group
    assert "exams" in ana.texts(ana.send("/away", at=FRIDAY))
    week = ana.texts(ana.send("/week", at=FRIDAY))
    assert week
    with full_dialogue.database.session() as s:
        rows = {r.day: (r.title, len(r.exercises)) for r in s.scalars(select(PrescribedSession))}
    for day in (dt.date(2026, 12, 8), dt.date(2026, 12, 9), dt.date(2026, 12, 10)):
        assert rows[day] == ("Away", 0)
    trained = [d for d, (_, n) in rows.items() if n]
    assert trained, "the week still has sessions on the days Ana is here"
    why = ana.texts(ana.send("/today", at=FRIDAY + dt.timedelta(days=4)))
    assert "away" in why.lower() and "exams" in why
    assert "Removed" in ana.texts(ana.send("/away clear 2026-12-08", at=FRIDAY))
    assert "No days away" in ana.texts(ana.send("/away", at=FRIDAY))


def test_the_calendar_has_one_event_per_day_with_the_same_uids_after_a_replan(
    full_dialogue: Dialogue,
) -> None:
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    first = ana.send("/calendar", at=FRIDAY)
    assert first[0].document is not None
    name, data = first[0].document
    assert name.endswith(".ics")
    cal = Calendar.from_ical(data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 14
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == 14
    confirmed = [e for e in events if str(e["STATUS"]) == "CONFIRMED"]
    assert confirmed and all("min)" in str(e["SUMMARY"]) for e in confirmed)
    # a re-plan (days away) keeps the UIDs; the days away become cancelled events
    ana.send("/away 2026-12-08..2026-12-09 travel", at=FRIDAY)
    again = Calendar.from_ical(ana.send("/calendar", at=FRIDAY)[0].document[1])  # type: ignore[index]
    events2 = {str(e["UID"]): e for e in again.walk("VEVENT")}
    assert set(events2) == uids
    away = [e for e in events2.values()
            if e.decoded("DTSTART") in (dt.date(2026, 12, 8), dt.date(2026, 12, 9))]
    assert len(away) == 2 and all(str(e["STATUS"]) == "CANCELLED" for e in away)
    assert all(int(events2[u]["SEQUENCE"]) >= int(e["SEQUENCE"])
               for u, e in ((str(e["UID"]), e) for e in events))


def test_the_reason_of_a_day_away_is_not_stored_in_clear_with_a_key(
    full_dialogue: Dialogue,
) -> None:
    from storage import crypto

    if not crypto.enabled():
        crypto.configure(crypto.new_key())
        try:
            _reason_not_in_clear(full_dialogue)
        finally:
            crypto.configure(None)
    else:
        _reason_not_in_clear(full_dialogue)


def _reason_not_in_clear(dialogue: Dialogue) -> None:
    ana = User(dialogue, 2, "Ana")
    ana.onboard()
    ana.send("/away 2026-12-08 flu", at=FRIDAY)
    with dialogue.database.session() as s:
        raw = s.execute(text("SELECT availability FROM person WHERE telegram_user_id = 2")
                        ).scalar()
    assert raw is not None and "flu" not in str(raw)
    assert "flu" in ana.texts(ana.send("/away", at=FRIDAY))
