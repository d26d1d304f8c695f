"""The Alembic migrations build exactly the schema the ORM declares, on both backends.

Why it matters here: encrypted columns (`EncryptedText`, `EncryptedJSON`) keep the plain
TEXT / JSON database type, so switching a column to encryption needs no migration; this test
is what says so, and it fails the day a model change lands without its migration.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import Database
from storage.schema import Base


def test_migrations_match_the_schema(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
