"""Research exports carry no identity, and injury counts get differential-privacy noise."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from bot.services.research import deidentify, laplace_counts
from storage import checkins, people
from storage.checkins import NewCheckIn
from storage.db import Database
from storage.research import consented_checkins

TODAY = dt.date(2026, 11, 23)


def _seed(db: Database) -> None:
    with db.session() as s:
        for tg, name in ((111, "Alice Secretname"), (222, "Bob Hiddenname")):
            person = people.get_or_create_person(s, tg, name)
            people.give_consent(s, person, {})
            people.update_profile(person, sex="F", birth_year=2008, sport="football")
            for offset in range(3):
                checkins.add_checkin(s, person, NewCheckIn(
                    day=dt.date(2026, 10, 1) + dt.timedelta(days=offset), rpe=6, minutes=50,
                    free_text=f"{name} private words", pain_sites=("knee",) if offset else ()))
        people.get_or_create_person(s, 333, "No Consent")


def test_export_has_no_identity_and_relative_days(sqlite_db: Database) -> None:
    _seed(sqlite_db)
    with sqlite_db.session() as s:
        rows = consented_checkins(s)
    export = deidentify(rows, today=TODAY, epsilon=None)
    text = repr(export)
    for secret in ("Secretname", "Hiddenname", "private words", "111", "222", "2026-10"):
        assert secret not in text
    assert {r["age_band"] for r in export.rows} == {"15-19"}
    assert sorted({r["day_index"] for r in export.rows}) == [0, 1, 2]
    assert len({r["pseudonym"] for r in export.rows}) == 2
    assert export.pain_people_by_site == {"knee": 2}


def test_two_exports_cannot_be_linked_by_pseudonym(sqlite_db: Database) -> None:
    _seed(sqlite_db)
    with sqlite_db.session() as s:
        rows = consented_checkins(s)
    first = {r["pseudonym"] for r in deidentify(rows, today=TODAY).rows}
    second = {r["pseudonym"] for r in deidentify(rows, today=TODAY).rows}
    assert first.isdisjoint(second)


def test_laplace_noise_is_unbiased_and_scaled_by_epsilon() -> None:
    rng = np.random.default_rng(0)
    strict = [laplace_counts({"k": 100}, 0.5, rng)["k"] - 100 for _ in range(4000)]
    loose = [laplace_counts({"k": 100}, 5.0, rng)["k"] - 100 for _ in range(4000)]
    assert abs(float(np.mean(strict))) < 0.3
    assert np.std(strict) > 5 * np.std(loose)
    with pytest.raises(ValueError):
        laplace_counts({"k": 1}, 0.0, rng)
