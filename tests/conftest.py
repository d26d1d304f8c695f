"""Shared fixtures: a migrated database on SQLite (always) and on the real PostgreSQL.

PostgreSQL tests use a schema of their own per test (`tests.databases`). Set
COACHLOOP_TEST_POSTGRES_URL to use another server; `make test` starts the local one first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.dialogue import Dialogue
from nlu import NluEngine
from storage.db import Database
from tests.databases import POSTGRES_URL, scratch_database

__all__ = ["POSTGRES_URL"]  # tests of PostgreSQL faults connect to the server itself

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A freshly migrated database of each kind."""
    with scratch_database(request.param, tmp_path) as db:
        yield db


@pytest.fixture(scope="session")
def nlu_engine() -> NluEngine:
    """The real NLU engine, VADER backend (fast; the ensemble is tested in tests/nlu), read
    once so that no test pays the detector's first load inside what it times."""
    engine = NluEngine.create(backend="vader")
    engine.parse("rpe 5, 30 min, legs fine")
    return engine


@pytest.fixture
def dialogue(sqlite_db: Database, nlu_engine: NluEngine) -> Iterator[Dialogue]:
    """The dialogue on a fresh SQLite database."""
    yield Dialogue(sqlite_db, nlu_engine, timezone="UTC")


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database only (for tests that are not about the backend)."""
    db = Database(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    db.upgrade()
    yield db
    db.dispose()
