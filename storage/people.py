"""Repository for people: lookup, creation, profile and consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.schema import Person, utcnow

PROFILE_FIELDS = (
    "sex",
    "birth_year",
    "height_cm",
    "mass_kg",
    "sport",
    "level",
    "timezone",
    "hr_rest",
    "hr_max",
    "reminder_time",
    "digest_time",
    "week_prefs",
    "language",
    "availability",
)


def get_by_telegram_id(session: Session, telegram_user_id: int) -> Person | None:
    """The person behind a Telegram user id, if known."""
    return session.scalar(select(Person).where(Person.telegram_user_id == telegram_user_id))


def get_or_create_person(session: Session, telegram_user_id: int, display_name: str) -> Person:
    """Find the person, or create them with no health data and no consent yet."""
    person = get_by_telegram_id(session, telegram_user_id)
    if person is None:
        person = Person(telegram_user_id=telegram_user_id, display_name=display_name[:128] or "?")
        session.add(person)
        session.flush()
    return person


def find_person(session: Session, name_or_id: str) -> Person | None:
    """Resolve a command-line or chat reference: internal id, Telegram id, @username or name."""
    ref = name_or_id.strip()
    if not ref:
        return None
    if ref.lstrip("-").isdigit():
        number = int(ref)
        person = session.get(Person, number)
        return person or get_by_telegram_id(session, number)
    if ref.startswith("@"):
        ref = ref[1:]
    return session.scalar(
        select(Person)
        .where(
            or_(
                func.lower(Person.username) == ref.lower(),
                func.lower(Person.display_name) == ref.lower(),
            )
        )
        .order_by(Person.id)
        .limit(1)
    )


def give_consent(
    session: Session, person: Person, scope: dict[str, Any], at: dt.datetime | None = None
) -> None:
    """Record consent (time and scope); health data may be stored from now on.

    ``at`` is when the person said yes (the message's time); it anchors their plan periods.
    """
    person.consent_at = at.astimezone(dt.UTC) if at is not None else utcnow()
    person.consent_scope = dict(scope)


def has_consent(person: Person | None) -> bool:
    """True when the person agreed to have their health data stored."""
    return person is not None and person.consent_at is not None


def update_profile(person: Person, **values: Any) -> None:
    """Set profile fields; unknown names are a programming error."""
    for key, value in values.items():
        if key not in PROFILE_FIELDS:
            raise ValueError(f"unknown profile field {key!r}")
        setattr(person, key, value)


def age_on(person: Person, day: dt.date) -> int | None:
    """Age in whole years on ``day`` from the birth year (mid-year assumption)."""
    if person.birth_year is None:
        return None
    return day.year - person.birth_year
