"""Keys: one holder at a time, across processes (two `Database`s stand for two processes: an
advisory lock belongs to a connection, and each `Keys` holds its own)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import Database
from storage.locks import Keys, lock_id
from tests.databases import scratch_database


@pytest.fixture
def two(database: Database) -> Iterator[tuple[Keys, Keys]]:
    """The keys of this process, and of another process on the same database."""
    other_db = Database(database.url)
    mine, theirs = Keys(database), Keys(other_db)
    yield mine, theirs
    mine.close()
    theirs.close()
    other_db.dispose()


def test_a_key_has_one_holder_until_it_is_given_back(two: tuple[Keys, Keys]) -> None:
    mine, theirs = two
    assert mine.try_hold(["chat:1"])
    assert not mine.try_hold(["chat:1"])  # held here: a second taker in this process waits
    if mine.shared:
        assert not theirs.try_hold(["chat:1"])
    mine.release(["chat:1"])
    assert theirs.try_hold(["chat:1"])
    assert not mine.holds("chat:1") and theirs.holds("chat:1")


def test_keys_are_taken_all_or_none(two: tuple[Keys, Keys]) -> None:
    mine, theirs = two
    if not mine.shared:
        pytest.skip("one process on SQLite: nothing to share")
    assert theirs.try_hold(["user:7"])
    assert not mine.try_hold(["chat:7", "user:7"])
    assert not mine.holds("chat:7")  # the free one was given back, not kept
    assert theirs.try_hold(["chat:7"])


def test_a_dead_holder_loses_its_keys(two: tuple[Keys, Keys]) -> None:
    mine, theirs = two
    if not mine.shared:
        pytest.skip("one process on SQLite: nothing to share")
    assert theirs.try_hold(["broadcast:3"])
    theirs.database.engine.dispose()  # its connection closes, as a kill -9 closes it
    theirs._connection.invalidate()  # type: ignore[union-attr]
    assert mine.try_hold(["broadcast:3"])


def test_no_keys_are_always_granted(two: tuple[Keys, Keys]) -> None:
    mine, _ = two
    assert mine.try_hold([]) and mine.try_hold([])


def test_installations_sharing_a_server_do_not_share_keys(database: Database) -> None:
    """Two schemas of one PostgreSQL database hold the same key names independently."""
    if database.dialect != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    with tempfile.TemporaryDirectory() as folder, \
            scratch_database("postgresql", Path(folder)) as other:
        here, there = Keys(database), Keys(other)
        try:
            assert here.try_hold(["chat:1"]) and there.try_hold(["chat:1"])
        finally:
            here.close()
            there.close()


def test_lock_ids_are_stable_signed_64_bit_numbers() -> None:
    assert lock_id("chat:1") == lock_id("chat:1") != lock_id("chat:2")
    assert all(-(2**63) <= lock_id(f"user:{i}") < 2**63 for i in range(100))
