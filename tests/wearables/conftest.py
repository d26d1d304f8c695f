"""Fixtures for the wearable tests: a fresh SQLite database and a consenting athlete."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import Database, open_database
from storage.schema import Person, utcnow

REAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "wearables"
if not REAL_DIR.is_dir():
    REAL_DIR = Path("/work/shared/data/wearables")


def real_files(pattern: str = "*/*") -> list[Path]:
    """The shared real device files, or [] when the folder is absent."""
    return sorted(REAL_DIR.glob(pattern)) if REAL_DIR.is_dir() else []


needs_real = pytest.mark.skipif(
    not REAL_DIR.is_dir(),
    reason=f"shared real wearable files not found at {REAL_DIR} (see data/PROVENANCE.md)",
)


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    database.create_all()
    yield database
    database.dispose()


_TELEGRAM_IDS = itertools.count(1000)


def add_person(db: Database, *, consent: bool = True, **profile: object) -> int:
    with db.session() as session:
        person = Person(telegram_user_id=next(_TELEGRAM_IDS), display_name="Ana",
                        username="ana", **profile)
        if consent:
            person.consent_at = utcnow()
        session.add(person)
        session.flush()
        return person.id


@pytest.fixture()
def athlete(db: Database) -> int:
    return add_person(db, sex="f", birth_year=1995, hr_rest=50.0, hr_max=190.0)
