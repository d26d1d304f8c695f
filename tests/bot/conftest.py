"""Fixtures for the dialogue and its adapters: a real NLU engine and a migrated database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.dialogue import Dialogue
from nlu import NluEngine
from storage.db import Database


@pytest.fixture(scope="session")
def nlu_engine() -> NluEngine:
    """The real NLU engine, VADER backend (fast; the ensemble is tested in tests/nlu)."""
    return NluEngine.create(backend="vader")


@pytest.fixture
def dialogue(sqlite_db: Database, nlu_engine: NluEngine) -> Iterator[Dialogue]:
    """The dialogue on a fresh SQLite database."""
    yield Dialogue(sqlite_db, nlu_engine, timezone="UTC")
