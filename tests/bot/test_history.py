"""The stored-history reader behind the roster, /history and `coachloop report`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bot.services.history import performance_outlook, stored_inputs
from storage import checkins, crypto, fitness_tests, people, plans
from storage.db import Database

DAY = dt.date(2026, 11, 23)


@pytest.fixture
def keyed() -> Iterator[None]:
    yield
    crypto.configure(None)


def test_an_unreadable_plan_still_forecasts_from_the_tests(sqlite_db: Database,
                                                           keyed: None) -> None:
    """Prescriptions under a key that is gone: planned load falls back, the tests stay.

    (Check-ins stored before a key was set stay readable; the plan was written under a key.)
    """
    with sqlite_db.session() as s:
        person = people.get_or_create_person(s, 5, "Lee")
        people.give_consent(s, person, {"health_data": True})
        for back in range(60, 0, -1):
            checkins.add_checkin(s, person, checkins.NewCheckIn(
                day=DAY - dt.timedelta(days=back), rpe=6, minutes=45))
        for back in (56, 42, 28, 14):
            fitness_tests.add_results(s, person.id, DAY - dt.timedelta(days=back),
                                      {"run_3000m_s": (780.0 - back, "s")})
        person_id = person.id
    crypto.configure(crypto.new_key())
    with sqlite_db.session() as s:
        plans.save_prescribed(s, person_id, DAY, title="Easy", intensity_factor=1.0,
                              volume_factor=1.0, reason_codes=[],
                              inputs={"planned_minutes": 50.0}, exercises=[], explanation={})
    end = DAY - dt.timedelta(days=1)
    with sqlite_db.session() as s:
        readable = performance_outlook(s, person_id, stored_inputs(s, person_id, end)[0], end)
    crypto.configure(crypto.new_key())  # the key the plan was written with is gone
    with sqlite_db.session() as s:
        sessions = stored_inputs(s, person_id, end)[0]
        unreadable = performance_outlook(s, person_id, sessions, end)
    assert not readable.plan_unreadable and readable.planned_loads
    assert unreadable.plan_unreadable and unreadable.planned_loads == {}
    assert len(unreadable.forecast.tests) == len(readable.forecast.tests) == 4
