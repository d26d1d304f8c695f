"""Rows for a research export (the de-identification itself happens in `bot.services.research`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.schema import CheckIn, Person


def consented_checkins(session: Session) -> list[dict[str, Any]]:
    """Every check-in of people who consented, with the person attributes research may use."""
    rows = session.execute(
        select(Person.id, Person.sex, Person.birth_year, Person.sport, CheckIn)
        .join(CheckIn, CheckIn.person_id == Person.id)
        .where(Person.consent_at.is_not(None))
        .order_by(Person.id, CheckIn.day, CheckIn.id)
    ).all()
    return [
        {
            "person_id": person_id, "sex": sex, "birth_year": birth_year, "sport": sport,
            "day": c.day, "rpe": c.rpe, "minutes": c.minutes, "sleep_quality": c.sleep_quality,
            "stress": c.stress, "fatigue": c.fatigue, "soreness": c.soreness,
            "sentiment_level": c.sentiment_level, "pain_sites": list(c.pain_sites or []),
        }
        for person_id, sex, birth_year, sport, c in rows
    ]
