"""Repository for daily check-ins (the athlete's reports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.schema import AuditLog, CheckIn, Person


class ConsentRequired(PermissionError):
    """Health data was about to be stored for someone who has not consented."""


@dataclass(frozen=True, slots=True)
class NewCheckIn:
    """What the dialogue collected; validated here again because storage is the last gate."""

    day: dt.date
    rpe: float | None = None
    minutes: float | None = None
    sleep_h: float | None = None
    sleep_quality: int | None = None
    fatigue: int | None = None
    soreness: int | None = None
    stress: int | None = None
    mood: int | None = None
    free_text: str | None = None
    sentiment_score: float | None = None
    sentiment_level: int | None = None
    sentiment_backends: dict[str, float] = field(default_factory=dict)
    pain_sites: tuple[str, ...] = ()
    pain_sides: dict[str, str] = field(default_factory=dict)
    source: str = "telegram"
    source_update_id: str | None = None
    message_ref: str | None = None


_RANGES: dict[str, tuple[float, float]] = {
    "rpe": (0, 10),
    "minutes": (0, 1440),
    "sleep_h": (0, 24),
    "sleep_quality": (1, 7),
    "fatigue": (1, 7),
    "soreness": (1, 7),
    "stress": (1, 7),
    "mood": (1, 7),
    "sentiment_score": (-1, 1),
}


def validate(new: NewCheckIn) -> None:
    """Refuse out-of-range values with a message a user can act on."""
    for name, (low, high) in _RANGES.items():
        value = getattr(new, name)
        if value is not None and not (low <= value <= high):
            raise ValueError(f"{name.replace('_', ' ')} must be between {low:g} and {high:g}")
    if new.free_text is not None and len(new.free_text) > 4000:
        raise ValueError("the text is too long (at most 4000 characters)")


def add_checkin(session: Session, person: Person, new: NewCheckIn) -> tuple[CheckIn, bool]:
    """Store a check-in once; returns ``(row, created)``.

    A check-in carrying a ``source_update_id`` that is already stored is returned as is
    (``created`` False): a Telegram update delivered twice is stored once.
    """
    if person.consent_at is None:
        raise ConsentRequired("no consent on record: health data cannot be stored")
    validate(new)
    if new.source_update_id is not None:
        existing = session.scalar(
            select(CheckIn).where(CheckIn.source_update_id == new.source_update_id)
        )
        if existing is not None:
            return existing, False
    row = CheckIn(
        person_id=person.id,
        day=new.day,
        rpe=new.rpe,
        minutes=new.minutes,
        sleep_h=new.sleep_h,
        sleep_quality=new.sleep_quality,
        fatigue=new.fatigue,
        soreness=new.soreness,
        stress=new.stress,
        mood=new.mood,
        free_text=new.free_text,
        sentiment_score=new.sentiment_score,
        sentiment_level=new.sentiment_level,
        sentiment_backends=dict(new.sentiment_backends),
        pain_sites=list(new.pain_sites),
        pain_sides=sided(new.pain_sites, new.pain_sides),
        source=new.source,
        source_update_id=new.source_update_id,
        message_ref=new.message_ref,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        existing = session.scalar(
            select(CheckIn).where(CheckIn.source_update_id == new.source_update_id)
        )
        if existing is None:
            raise
        return existing, False
    return row, True


def by_message(session: Session, person_id: int, message_ref: str | None) -> CheckIn | None:
    """The person's check-in completed by chat message ``message_ref`` (None if none)."""
    if message_ref is None:
        return None
    return session.scalar(
        select(CheckIn)
        .where(CheckIn.person_id == person_id, CheckIn.message_ref == message_ref)
        .order_by(CheckIn.id.desc())
        .limit(1)
    )


_AMENDABLE = ("rpe", "minutes", "sleep_h", "sleep_quality", "fatigue", "soreness", "stress",
              "mood", "free_text", "sentiment_score", "sentiment_level")
_DERIVED = ("sentiment_score", "sentiment_level")  # follow the text; not reported as changes


def amend(
    session: Session, row: CheckIn, values: dict[str, Any], placeholder: str = "unspecified"
) -> list[tuple[str, Any, Any]]:
    """Apply an edited message to its check-in; returns ``(field, old, new)`` per change.

    Only the values given change; pain sites given are added to the stored ones and never
    removed (pain reported once stays on record; ``placeholder``, pain without a site, gives
    way to a named site). The new values are validated as a new check-in would be, and the
    change leaves an audit line naming the fields, not the values.
    """
    candidate = {name: values[name] for name in _AMENDABLE if values.get(name) is not None}
    validate(NewCheckIn(day=row.day, **candidate))
    changes = [(name, getattr(row, name), value) for name, value in candidate.items()
               if name not in _DERIVED and getattr(row, name) != value]
    for name, value in candidate.items():
        setattr(row, name, value)
    if values.get("sentiment_backends"):
        row.sentiment_backends = dict(values["sentiment_backends"])
    stored = set(row.pain_sites or [])
    merged = stored | set(values.get("pain_sites") or ())
    if len(merged) > 1:
        merged.discard(placeholder)  # a named site replaces "pain, somewhere"
    if merged != stored:
        changes.append(("pain_sites", sorted(stored), sorted(merged)))
        row.pain_sites = sorted(merged)
    sides = sided(merged, {**(row.pain_sides or {}), **dict(values.get("pain_sides") or {})})
    if sides != (row.pain_sides or {}):
        changes.append(("pain_sides", dict(row.pain_sides or {}), sides))
        row.pain_sides = sides
    if changes:
        session.add(AuditLog(actor_id=row.person_id, subject_id=row.person_id,
                             action="checkin_edited",
                             detail={"checkin_id": row.id, "fields": [c[0] for c in changes]}))
    session.flush()
    return changes


def locate_pain(
    session: Session, person_id: int, day: dt.date, sites: tuple[str, ...], placeholder: str,
    sides: dict[str, str] | None = None,
) -> CheckIn | None:
    """Add body ``sites`` to the person's latest check-in of ``day`` (None if there is none).

    A check-in that reported pain "somewhere" carries ``placeholder`` as its site; once the
    athlete says where, the placeholder is replaced, so the planner protects that site.
    """
    row = session.scalar(
        select(CheckIn)
        .where(CheckIn.person_id == person_id, CheckIn.day == day)
        .order_by(CheckIn.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    known = {s for s in (row.pain_sites or []) if s != placeholder} | set(sites)
    row.pain_sites = sorted(known)
    row.pain_sides = sided(known, {**(row.pain_sides or {}), **(sides or {})})
    session.flush()
    return row


SIDES = ("left", "right")


def sided(sites: Any, sides: dict[str, str] | None) -> dict[str, str]:
    """The sides of ``sites`` that were said, as a new map (others dropped, never invented)."""
    known = set(sites)
    return {site: side for site, side in (sides or {}).items() if site in known and side in SIDES}


def first_checkin_day(session: Session, person_id: int) -> dt.date | None:
    """The day of the person's first check-in (the start of their two-week blocks)."""
    return session.scalar(select(func.min(CheckIn.day)).where(CheckIn.person_id == person_id))


def list_checkins(
    session: Session, person_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> Sequence[CheckIn]:
    """A person's check-ins, oldest first, optionally within ``[since, until]``."""
    query = select(CheckIn).where(CheckIn.person_id == person_id)
    if since is not None:
        query = query.where(CheckIn.day >= since)
    if until is not None:
        query = query.where(CheckIn.day <= until)
    return session.scalars(query.order_by(CheckIn.day, CheckIn.id)).all()


def as_dict(row: CheckIn) -> dict[str, Any]:
    """A check-in as plain JSON-ready data (export)."""
    return {
        "day": row.day.isoformat(),
        "rpe": row.rpe,
        "minutes": row.minutes,
        "sleep_h": row.sleep_h,
        "sleep_quality": row.sleep_quality,
        "fatigue": row.fatigue,
        "soreness": row.soreness,
        "stress": row.stress,
        "mood": row.mood,
        "free_text": row.free_text,
        "sentiment_score": row.sentiment_score,
        "sentiment_level": row.sentiment_level,
        "sentiment_backends": row.sentiment_backends,
        "pain_sites": row.pain_sites,
        "pain_sides": row.pain_sides or {},
        "source": row.source,
        "created_at": row.created_at.isoformat(),
    }
