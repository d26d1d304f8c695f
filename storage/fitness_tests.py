"""Repository for fitness-test results (long format: one row per item and day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.schema import FitnessTest


def add_results(
    session: Session, person_id: int, day: dt.date, values: Mapping[str, tuple[float, str | None]]
) -> list[FitnessTest]:
    """Store ``{item: (value, unit)}`` taken on ``day`` (a re-test the same day replaces it)."""
    rows = []
    existing = {
        row.item: row
        for row in session.scalars(
            select(FitnessTest).where(FitnessTest.person_id == person_id,
                                      FitnessTest.taken_on == day)
        )
    }
    for item, (value, unit) in values.items():
        row = existing.get(item)
        if row is None:
            row = FitnessTest(person_id=person_id, taken_on=day, item=item)
            session.add(row)
        row.value = float(value)
        row.unit = unit
        rows.append(row)
    session.flush()
    return rows


def latest_results(session: Session, person_id: int) -> dict[str, float]:
    """The newest value of each item the person has taken."""
    rows: Sequence[FitnessTest] = session.scalars(
        select(FitnessTest)
        .where(FitnessTest.person_id == person_id)
        .order_by(FitnessTest.taken_on, FitnessTest.id)
    ).all()
    return {row.item: row.value for row in rows}


def results_by_day(session: Session, person_id: int) -> dict[dt.date, dict[str, float]]:
    """Every test day's results, oldest day first (for reassessment between test days)."""
    rows: Sequence[FitnessTest] = session.scalars(
        select(FitnessTest)
        .where(FitnessTest.person_id == person_id)
        .order_by(FitnessTest.taken_on, FitnessTest.id)
    ).all()
    days: dict[dt.date, dict[str, float]] = {}
    for row in rows:
        days.setdefault(row.taken_on, {})[row.item] = row.value
    return days
