"""Scratch databases for tests and benchmarks: a SQLite file, or a PostgreSQL schema.

A PostgreSQL schema of its own per use, so parallel runs never collide; it is dropped
afterwards. Set COACHLOOP_TEST_POSTGRES_URL to use another server.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text

from storage.db import Database

POSTGRES_URL = os.environ.get(
    "COACHLOOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_schema_url(schema: str) -> str:
    """The server's URL with ``schema`` as the search path."""
    joiner = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{joiner}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def scratch_database(kind: str, folder: Path, *, prefix: str = "t") -> Iterator[Database]:
    """A freshly migrated database: ``sqlite`` (a file in ``folder``) or ``postgresql``."""
    if kind == "sqlite":
        db = Database(f"sqlite:///{folder / 'test.sqlite3'}")
        try:
            db.upgrade()
            yield db
        finally:
            db.dispose()
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(postgres_schema_url(schema))
    try:
        db.upgrade()
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
