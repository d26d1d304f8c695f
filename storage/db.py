"""Opening the database: engine, durable SQLite pragmas, sessions, migrations.

SQLite is opened in WAL mode with ``synchronous=FULL`` (a confirmed check-in survives power
loss, not only a process crash) and foreign keys on (SQLite ignores ``ON DELETE CASCADE``
otherwise, and erasure would silently miss rows). PostgreSQL is used through ``DATABASE_URL``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage.schema import Base

log = logging.getLogger(__name__)
T = TypeVar("T")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, decide where transactions begin: pysqlite's legacy mode
    # does not BEGIN before a SAVEPOINT, so releasing one would commit the whole transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: a transaction that reads and then writes can
    # then never fail half-way with "database is locked" (SQLite cannot upgrade a read lock
    # while another writer commits); readers in WAL mode are not blocked by it.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (psycopg2 is not installed)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """An engine with the durability settings above; creates the SQLite file's folder.

    ``hide_parameters``: a database error's message would otherwise carry the statement's
    bound values (a check-in's free text, an RPE) into the log line that reports it.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_recycle=1800, hide_parameters=True)


class WriterLock:
    """SQLite's one writer, as a lock of this process's threads, where short urgent work goes
    ahead of the queue.

    Reentrant (a unit of work may open another in the same thread). An ``urgent`` acquirer
    still waits for the current holder, but not behind the others waiting: marking a reply
    sent is a one-row write, and while it waits behind handlers that plan in their
    transactions, a crash would make the restart send that reply again.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._owner: int | None = None
        self._depth = 0
        self._urgent = 0

    @contextlib.contextmanager
    def hold(self, *, urgent: bool = False) -> Iterator[None]:
        """Hold the writer for the block."""
        me = threading.get_ident()
        with self._cond:
            if self._owner != me:
                self._urgent += urgent
                while self._owner is not None or (not urgent and self._urgent):
                    self._cond.wait()
                self._urgent -= urgent
                self._owner = me
            self._depth += 1
        try:
            yield
        finally:
            with self._cond:
                self._depth -= 1
                if self._depth == 0:
                    self._owner = None
                    self._cond.notify_all()


class Database:
    """One database: an engine, a session factory and a retry policy for transient faults."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer and every transaction here takes the write lock up front;
        # threads of this process queue on a lock of ours instead of SQLite's busy handler,
        # whose sleeping retries (up to 100 ms each) let one thread starve the others.
        self._one_writer = WriterLock() if self.dialect == "sqlite" else None

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextlib.contextmanager
    def session(self, *, urgent: bool = False) -> Iterator[Session]:
        """A unit of work: commits on normal exit, rolls back on any error (``urgent``: a
        short write that goes ahead of the queue for SQLite's writer, `WriterLock`)."""
        writer = self._one_writer
        with writer.hold(urgent=urgent) if writer is not None else contextlib.nullcontext():
            session = self._sessions()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def run(self, work: Callable[[Session], T], *, attempts: int = 5,
            urgent: bool = False) -> T:
        """Run ``work`` in one transaction, retrying when the connection dropped.

        Why: PostgreSQL may restart under a running bot; a check-in must then be retried, not
        lost. Only connection-level errors are retried (the transaction was rolled back, so a
        retry cannot store anything twice); integrity errors propagate at once.
        """
        delay = 0.2
        for attempt in range(1, attempts + 1):
            try:
                with self.session(urgent=urgent) as session:
                    return work(session)
            except (OperationalError, DBAPIError) as exc:
                if not getattr(exc, "connection_invalidated", False) and not isinstance(
                    exc, OperationalError
                ):
                    raise
                if attempt == attempts:
                    raise
                log.warning("database unavailable (attempt %d/%d); retrying", attempt, attempts)
                self.engine.dispose()
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
        raise RuntimeError("unreachable")  # pragma: no cover

    def create_all(self) -> None:
        """Create every table directly (tests); production uses `upgrade()` (Alembic)."""
        Base.metadata.create_all(self.engine)

    def upgrade(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        from storage.migrate import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def open_database(url: str) -> Database:
    """Open (but do not migrate) the database at ``url``."""
    return Database(url)
