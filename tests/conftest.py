"""Shared fixtures: a migrated database on SQLite (always) and on the real PostgreSQL.

PostgreSQL tests use a schema of their own per test, so parallel runs never collide. Set
COACHLOOP_TEST_POSTGRES_URL to use another server; `make test` starts the local one first.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.dialogue import Dialogue
from nlu import NluEngine
from storage.db import Database

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

POSTGRES_URL = os.environ.get(
    "COACHLOOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_schema_url(schema: str) -> str:
    joiner = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A freshly migrated database of each kind."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        db.upgrade()
        yield db
        db.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(_postgres_schema_url(schema))
    try:
        db.upgrade()
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def nlu_engine() -> NluEngine:
    """The real NLU engine, VADER backend (fast; the ensemble is tested in tests/nlu)."""
    return NluEngine.create(backend="vader")


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
