"""Storage behaviour on both SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select, text

from storage import checkins, conversations, inbox, people, plans
from storage.checkins import ConsentRequired, NewCheckIn
from storage.db import Database
from storage.migrate import current_revision
from storage.schema import Base, CheckIn, Person

DAY = dt.date(2026, 11, 2)


def _consenting(db: Database, tg_id: int = 42) -> int:
    with db.session() as s:
        person = people.get_or_create_person(s, tg_id, "Ana")
        people.give_consent(s, person, {"health_data": True})
        return person.id


def test_migrations_create_every_table(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert current_revision(database.engine) is not None


def test_checkin_round_trip_keeps_values_and_timezone(database: Database) -> None:
    person_id = _consenting(database)
    with database.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        checkins.add_checkin(
            s,
            person,
            NewCheckIn(day=DAY, rpe=7, minutes=60, soreness=5, free_text="legs heavy",
                       sentiment_score=-0.4, sentiment_level=-1, pain_sites=("knee",),
                       sentiment_backends={"vader": -0.4}),
        )
    with database.session() as s:
        (row,) = checkins.list_checkins(s, person_id)
        assert (row.rpe, row.minutes, row.soreness) == (7, 60, 5)
        assert row.pain_sites == ["knee"]
        assert row.sentiment_backends == {"vader": -0.4}
        assert row.created_at.tzinfo is not None


def test_duplicate_update_is_stored_once(database: Database) -> None:
    person_id = _consenting(database)
    for _ in range(3):
        with database.session() as s:
            person = s.get(Person, person_id)
            assert person is not None
            checkins.add_checkin(s, person, NewCheckIn(day=DAY, rpe=5, minutes=30,
                                                       source_update_id="telegram:1001"))
    with database.session() as s:
        assert len(checkins.list_checkins(s, person_id)) == 1


def test_inbox_records_an_update_id_once(database: Database) -> None:
    with database.session() as s:
        assert inbox.record_update(s, 77, payload="{}") is True
        # recorded but not handled yet (e.g. a crash mid-handling): still to be handled
        assert inbox.record_update(s, 77) is True
    with database.session() as s:
        assert [u.update_id for u in inbox.pending(s)] == [77]
        inbox.mark(s, 77, "done")
    with database.session() as s:
        assert inbox.status_of(s, 77) == "done"
        assert inbox.record_update(s, 77) is False
        assert inbox.pending(s) == []


def test_checkin_without_consent_is_refused(database: Database) -> None:
    with database.session() as s:
        person = people.get_or_create_person(s, 5, "No consent")
        with pytest.raises(ConsentRequired):
            checkins.add_checkin(s, person, NewCheckIn(day=DAY, rpe=3, minutes=20))


@pytest.mark.parametrize("field,value", [("rpe", 11), ("minutes", -1), ("soreness", 8)])
def test_out_of_range_values_are_refused_with_a_message(
    database: Database, field: str, value: float
) -> None:
    person_id = _consenting(database)
    with database.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        with pytest.raises(ValueError, match=field.replace("_", " ")):
            checkins.add_checkin(s, person, NewCheckIn(day=DAY, **{field: value}))


def test_a_failed_transaction_keeps_what_was_stored_before(database: Database) -> None:
    person_id = _consenting(database)
    with database.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        checkins.add_checkin(s, person, NewCheckIn(day=DAY, rpe=4, minutes=40))
    with pytest.raises(RuntimeError), database.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        checkins.add_checkin(s, person, NewCheckIn(day=DAY, rpe=6, minutes=50))
        raise RuntimeError("crash between store and reply")
    with database.session() as s:
        assert [c.rpe for c in checkins.list_checkins(s, person_id)] == [4]


def test_deleting_a_person_cascades_to_every_row(database: Database) -> None:
    person_id = _consenting(database)
    with database.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        checkins.add_checkin(s, person, NewCheckIn(day=DAY, rpe=4, minutes=40))
        plans.save_prescribed(s, person_id, DAY, title="t", intensity_factor=1.0,
                              volume_factor=1.0, reason_codes=[], inputs={},
                              exercises=[{"exercise_id": "plank", "name": "Plank", "sets": 3}],
                              explanation={"sentences": ["x"]})
        plans.add_exercise_log(s, person_id, DAY, exercise_id="plank", status="done")
        conversations.save_state(s, "1:42", person_id, "checkin_rpe", {"mode": "full"})
    with database.session() as s:
        s.delete(s.get(Person, person_id))
    with database.session() as s:
        for table in Base.metadata.sorted_tables:
            if "person_id" in table.c:
                count = s.execute(
                    select(table).where(table.c.person_id == person_id)
                ).all()
                assert count == [], table.name


def test_prescribed_session_is_replaced_not_duplicated(database: Database) -> None:
    person_id = _consenting(database)
    for title in ("first", "second"):
        with database.session() as s:
            plans.save_prescribed(s, person_id, DAY, title=title, intensity_factor=1.1,
                                  volume_factor=0.85, reason_codes=["frbi_cut"], inputs={},
                                  exercises=[{"exercise_id": "plank", "name": "Plank",
                                              "sets": 3, "seconds": 30.0}],
                                  explanation={"rules": [{"code": "frbi_cut"}]})
    with database.session() as s:
        row = plans.get_prescribed(s, person_id, DAY)
        assert row is not None and row.title == "second"
        assert [e.exercise_id for e in row.exercises] == ["plank"]
        assert row.explanation is not None and row.explanation.rules[0]["code"] == "frbi_cut"


def test_find_person_by_id_username_and_name(database: Database) -> None:
    person_id = _consenting(database, tg_id=9001)
    with database.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        person.username = "ana_runs"
    with database.session() as s:
        for ref in (str(person_id), "9001", "@ana_runs", "ANA"):
            found = people.find_person(s, ref)
            assert found is not None and found.id == person_id, ref
        assert people.find_person(s, "nobody") is None


def test_sqlite_is_opened_durably(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_naive_datetimes_are_refused(sqlite_db: Database) -> None:
    with pytest.raises(Exception, match="naive"), sqlite_db.session() as s:
        s.add(Person(telegram_user_id=1, display_name="x",
                     consent_at=dt.datetime(2026, 1, 1)))
        s.flush()
    with sqlite_db.session() as s:
        assert s.scalars(select(CheckIn)).all() == []
