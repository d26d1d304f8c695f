"""Who may act on a chat, a broadcast or a schedule now: one holder, across bot processes.

Why: several bot processes behind one webhook URL share one PostgreSQL database and the inbox
in it. Each may read the same pending update, the same unsent reply, the same open broadcast.
Whoever holds a key handles and sends for it; the others leave it alone. The holder keeps the
key until it is done, so a chat's updates apply, and its replies go out, in order.

PostgreSQL session-level advisory locks do the holding (`pg_try_advisory_lock`): held by a
connection, not a transaction, so a key spans the several transactions and the Telegram calls
of one update, and a process killed with -9 loses its keys the moment PostgreSQL sees its
connection close: nothing to clean up, no lease to expire. Every process holds its keys on
one connection of its own, so a key held in this process is checked here first (PostgreSQL
lets the same session take its own lock again).

SQLite serves one process (it has one writer, and the deployment guide says so): the keys
are held in this process only, which is all the ordering needs there.

Never waits for a key: a process that cannot have one now moves on (the holder will handle
it, or a later round will), so a pool thread never blocks on a lock whose holder needs one.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from storage.db import Database

log = logging.getLogger(__name__)


def lock_id(key: str) -> int:
    """The advisory-lock number of a key: a stable signed 64-bit hash of its text.

    PostgreSQL's advisory locks are per database, not per schema, so `Keys` names each key
    with its schema first.
    """
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Keys:
    """The keys this process holds (and, on PostgreSQL, holds for every process)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.shared = database.dialect == "postgresql"
        self._held: set[str] = set()
        self._guard = threading.Lock()
        self._connection: Connection | None = None
        self._namespace = ""  # the schema: installations sharing a database never collide

    def _conn(self) -> Connection:
        if self._connection is None or self._connection.closed or self._connection.invalidated:
            self._connection = self.database.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT")
            self._namespace = str(self._connection.execute(
                text("SELECT current_schema()")).scalar() or "")
            # the old connection's locks went with it: take this process's keys again
            for key in sorted(self._held):
                if not self._connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                                {"k": self._id(key)}).scalar():
                    log.warning("a key of this process was taken elsewhere while the "
                                "database was away")
        return self._connection

    def try_hold(self, keys: Iterable[str]) -> bool:
        """Take every key of ``keys`` or none of them; False when any is held elsewhere.

        An empty ``keys`` is always granted (an update with no chat orders against nothing).
        """
        wanted = sorted(set(keys))
        with self._guard:
            if any(key in self._held for key in wanted):
                return False
            if not self.shared or not wanted:
                self._held.update(wanted)
                return True
            taken: list[str] = []
            try:
                conn = self._conn()
                for key in wanted:
                    got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                       {"k": self._id(key)}).scalar()
                    if not got:
                        break
                    taken.append(key)
            except DBAPIError:
                self._drop_connection()
                raise
            if len(taken) == len(wanted):
                self._held.update(wanted)
                return True
            self._unlock(taken)
            return False

    def release(self, keys: Iterable[str]) -> None:
        """Give ``keys`` back (those this process does not hold are ignored)."""
        with self._guard:
            mine = [key for key in set(keys) if key in self._held]
            self._held.difference_update(mine)
            if self.shared and mine:
                try:
                    self._unlock(mine)
                except DBAPIError:  # the connection is gone, and its locks with it
                    self._drop_connection()

    def holds(self, key: str) -> bool:
        """Whether this process holds ``key`` now."""
        with self._guard:
            return key in self._held

    def close(self) -> None:
        """Give back every key (closing the connection releases them at PostgreSQL too)."""
        with self._guard:
            self._held.clear()
            self._drop_connection()

    def _id(self, key: str) -> int:
        return lock_id(f"{self._namespace}/{key}")

    def _unlock(self, keys: list[str]) -> None:
        conn = self._conn()
        for key in keys:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._id(key)})

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except DBAPIError:
                log.debug("lock connection already closed")
        self._connection = None
