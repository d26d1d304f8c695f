"""Two processes storing the same athlete's day at once (a reply's plan and a background
re-plan) replace one another in turn; neither fails on the unique day."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from sqlalchemy import func, select

from storage import people, plans
from storage.db import Database
from storage.schema import PrescribedSession

DAY = dt.date(2026, 12, 3)


def _save(database: Database, person_id: int, title: str, errors: list[BaseException],
          start: threading.Barrier) -> None:
    def work(s: Any) -> None:
        start.wait(5)
        plans.save_prescribed(s, person_id, DAY, title=title, intensity_factor=1.0,
                              volume_factor=1.0, reason_codes=[], inputs={}, exercises=[],
                              explanation={})

    try:
        database.run(work)
    except BaseException as exc:  # what a thread raised, for the test to see
        errors.append(exc)


def test_concurrent_plans_of_one_day_replace_one_another(database: Database) -> None:
    with database.session() as s:
        person = people.get_or_create_person(s, 55, "A")
        people.give_consent(s, person, {})
        person_id = person.id
    other = Database(database.url)  # a second process's connections
    errors: list[BaseException] = []
    for round_ in range(5):
        start = threading.Barrier(2)
        threads = [threading.Thread(target=_save, args=(db, person_id, f"{name}{round_}",
                                                        errors, start))
                   for db, name in ((database, "reply"), (other, "job"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    other.dispose()
    assert errors == []
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(PrescribedSession)) == 1
