"""PostgreSQL going away under a running bot: reconnect, retry, lose no confirmed check-in."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from bot.dialogue import Dialogue
from bot.replies import Incoming
from nlu import NluEngine
from storage import checkins, people
from storage.checkins import NewCheckIn
from storage.db import Database
from storage.schema import CheckIn, Person
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.postgres
NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def pg() -> Iterator[Database]:
    schema = f"f_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}&application_name={schema}")
    db.upgrade()
    db.schema = schema  # type: ignore[attr-defined]
    yield db
    db.dispose()
    for _ in range(30):  # the server may still be coming back
        try:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            break
        except Exception:
            time.sleep(1)
    admin.dispose()


def _kill_connections(application_name: str) -> int:
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        killed = conn.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                 "WHERE application_name = :name"),
            {"name": application_name},
        ).scalar()
    admin.dispose()
    return int(killed or 0)


def test_dropped_connections_are_replaced_and_the_write_retried(pg: Database) -> None:
    with pg.session() as s:
        person = people.get_or_create_person(s, 5, "P")
        people.give_consent(s, person, {})
    pg.run(lambda s: s.scalar(select(func.count()).select_from(Person)))  # warm the pool
    assert _kill_connections(pg.schema) >= 1  # type: ignore[attr-defined]

    def store(s: object) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        person = people.get_by_telegram_id(s, 5)
        assert person is not None
        checkins.add_checkin(s, person, NewCheckIn(day=NOW.date(), rpe=5, minutes=30,
                                                   source_update_id="t:1"))

    pg.run(store)
    with pg.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1


def _pg_version() -> str | None:
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*")) if Path(
        "/etc/postgresql").exists() else []
    return versions[-1] if versions else None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pg_ctlcluster") is None or _pg_version() is None,
                    reason="needs the local PostgreSQL cluster tools (pg_ctlcluster)")
def test_restarting_postgres_mid_burst_loses_no_confirmed_checkin(pg: Database) -> None:
    dialogue = Dialogue(pg, NluEngine.create(backend="vader"))
    with pg.session() as s:
        for user in range(1, 41):
            person = people.get_or_create_person(s, user, f"A{user}")
            people.give_consent(s, person, {})
    restarted = threading.Event()

    def restart() -> None:
        time.sleep(0.5)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", str(_pg_version()),
                        "main", "restart"], check=True, capture_output=True, timeout=120)
        restarted.set()

    thread = threading.Thread(target=restart)
    thread.start()
    confirmed = 0
    for i in range(1, 41):
        replies = dialogue.handle(Incoming(user_id=i, chat_id=i, display_name=f"A{i}",
                                           received_at=NOW, text="rpe 6, 40 min, fine",
                                           update_id=10_000 + i))
        confirmed += replies[0].text.startswith("Saved")
        time.sleep(0.1)
    thread.join()
    assert restarted.is_set()
    # every update that was not confirmed is redelivered by Telegram; do so here
    for i in range(1, 41):
        dialogue.handle(Incoming(user_id=i, chat_id=i, display_name=f"A{i}", received_at=NOW,
                                 text="rpe 6, 40 min, fine", update_id=10_000 + i))
    with pg.session() as s:
        stored = s.scalar(select(func.count()).select_from(CheckIn))
        distinct = s.scalar(select(func.count(func.distinct(CheckIn.source_update_id))))
    assert confirmed >= 1
    assert stored == distinct == 40
