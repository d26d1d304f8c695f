"""PostgreSQL going away under a running bot: reconnect, retry, lose no confirmed check-in.

The restart test proves the retry, not only the outcome: it records every failed attempt that
`Database.run` logs while the server is restarting, and requires at least one check-in whose
write failed during the outage and was then committed and confirmed ("Saved") on the same
message, i.e. retried across the restart rather than redelivered.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
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


class _Attempts(logging.Handler):
    """Failed attempts logged by `Database.run` ("database unavailable ... retrying")."""

    def __init__(self) -> None:
        super().__init__()
        self.at: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "database unavailable" in record.getMessage():
            self.at.append(record.created)


def _require_cluster_tools() -> str:
    """The cluster version; a loud skip without the tools, and a failure under CI."""
    version = _pg_version()
    if shutil.which("pg_ctlcluster") is not None and version is not None:
        return version
    reason = ("NOT RUN: restarting PostgreSQL needs pg_ctlcluster and /etc/postgresql/<version> "
              "(Debian's postgresql-common); the promise 'a PostgreSQL restart loses no "
              "confirmed check-in' is UNTESTED on this machine")
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.slow
def test_restarting_postgres_mid_burst_loses_no_confirmed_checkin(pg: Database) -> None:
    version = _require_cluster_tools()
    dialogue = Dialogue(pg, NluEngine.create(backend="vader"))
    with pg.session() as s:
        for user in range(1, 41):
            person = people.get_or_create_person(s, user, f"A{user}")
            people.give_consent(s, person, {})
    restarted = threading.Event()
    window: list[float] = []

    def restart() -> None:
        time.sleep(0.5)
        window.append(time.time())
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version,
                        "main", "restart"], check=True, capture_output=True, timeout=120)
        window.append(time.time())
        restarted.set()

    attempts = _Attempts()
    logging.getLogger("storage.db").addHandler(attempts)
    thread = threading.Thread(target=restart)
    thread.start()
    confirmed: set[int] = set()
    retried_and_saved: list[int] = []
    try:
        for i in range(1, 41):
            failed_before = len(attempts.at)
            replies = dialogue.handle(Incoming(user_id=i, chat_id=i, display_name=f"A{i}",
                                               received_at=NOW, text="rpe 6, 40 min, fine",
                                               update_id=10_000 + i))
            if replies[0].text.startswith("Saved"):
                confirmed.add(i)
                if len(attempts.at) > failed_before:
                    retried_and_saved.append(i)
            time.sleep(0.1)
        thread.join()
    finally:
        logging.getLogger("storage.db").removeHandler(attempts)
    assert restarted.is_set()
    down_from, up_at = window
    during = [t for t in attempts.at if down_from <= t <= up_at + 1.0]
    assert during, f"no write was attempted while the server was down ({attempts.at}, {window})"
    assert retried_and_saved, "no write failed during the restart and then committed on retry"
    # every update that was not confirmed is redelivered by Telegram; do so here
    for i in range(1, 41):
        dialogue.handle(Incoming(user_id=i, chat_id=i, display_name=f"A{i}", received_at=NOW,
                                 text="rpe 6, 40 min, fine", update_id=10_000 + i))
    with pg.session() as s:
        per_athlete = dict(s.execute(
            select(Person.telegram_user_id, func.count(CheckIn.id))
            .join(CheckIn, CheckIn.person_id == Person.id)
            .group_by(Person.telegram_user_id)).all())
        retried = s.scalars(select(CheckIn).join(Person, Person.id == CheckIn.person_id)
                            .where(Person.telegram_user_id.in_(retried_and_saved))).all()
    assert confirmed <= set(per_athlete)  # every confirmed check-in is there
    assert per_athlete == {i: 1 for i in range(1, 41)}  # once each, after the redelivery
    # the retried rows were written by an attempt made once the server was back
    assert all(r.created_at.timestamp() >= min(during) for r in retried)
