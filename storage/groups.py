"""Repository for teams and classes: invite codes, memberships, linked chats, overrides,
readiness marks and broadcast deliveries (the only SQL of the coach and teacher features).

Who may see what is decided in `bot.services.access`; this module answers the facts it needs
(``staff_of``, ``shares_group``) and never filters by itself.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.schema import (
    AuditLog,
    Broadcast,
    BroadcastDelivery,
    Group,
    Membership,
    Override,
    Person,
    ReadinessMark,
    SentReminder,
    utcnow,
)

KINDS = {"team": "coach", "class": "teacher"}
"""Group kind -> the staff role that creates and runs it."""
MEMBER_ROLE = {"team": "athlete", "class": "athlete"}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a gym
CODE_LENGTH = 8
DELIVERY_STATUSES = ("queued", "sent", "failed", "blocked")


def new_invite_code() -> str:
    """A random invite code: 8 of 32 symbols = 40 bits, not guessable by trying."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Codes are typed by hand: ignore case, spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())[:16]


def create_group(session: Session, owner: Person, kind: str, title: str) -> Group:
    """A new team (owner becomes coach) or class (owner becomes teacher)."""
    if kind not in KINDS:
        raise ValueError("a group is a 'team' or a 'class'")
    title = " ".join(title.split())[:128]
    if not title:
        raise ValueError("give it a name, e.g. /team create Rowing U18")
    group = Group(kind=kind, title=title, invite_code=new_invite_code())
    session.add(group)
    session.flush()
    session.add(Membership(person_id=owner.id, group_id=group.id, role=KINDS[kind]))
    session.flush()
    return group


def by_code(session: Session, code: str) -> Group | None:
    """The group an invite code opens (None for an unknown code)."""
    return session.scalar(select(Group).where(Group.invite_code == normalise_code(code)))


def by_chat(session: Session, telegram_chat_id: int) -> Group | None:
    """The group linked to a group chat."""
    return session.scalar(select(Group).where(Group.telegram_chat_id == telegram_chat_id))


def join(session: Session, person: Person, group: Group) -> bool:
    """Make ``person`` an athlete of ``group``; False when they already were."""
    role = MEMBER_ROLE[group.kind]
    if has_role(session, person.id, group.id, role):
        return False
    session.add(Membership(person_id=person.id, group_id=group.id, role=role))
    session.flush()
    return True


def has_role(session: Session, person_id: int, group_id: int, role: str) -> bool:
    """True when the person holds ``role`` in the group."""
    found = session.scalar(
        select(Membership.id).where(
            Membership.person_id == person_id,
            Membership.group_id == group_id,
            Membership.role == role,
        )
    )
    return found is not None


def link_chat(session: Session, group: Group, telegram_chat_id: int) -> None:
    """Link a group chat to the team (a chat belongs to one team at a time)."""
    other = by_chat(session, telegram_chat_id)
    if other is not None and other.id != group.id:
        other.telegram_chat_id = None
        session.flush()
    group.telegram_chat_id = telegram_chat_id
    session.flush()


def groups_of(session: Session, person_id: int, role: str | None = None) -> Sequence[Group]:
    """Groups the person belongs to (optionally in one role), oldest first."""
    query = select(Group).join(Membership).where(Membership.person_id == person_id)
    if role is not None:
        query = query.where(Membership.role == role)
    return session.scalars(query.order_by(Group.id).distinct()).all()


def members(session: Session, group_id: int, role: str = "athlete") -> Sequence[Person]:
    """People holding ``role`` in the group, by id."""
    return session.scalars(
        select(Person)
        .join(Membership)
        .where(Membership.group_id == group_id, Membership.role == role)
        .order_by(Person.id)
    ).all()


def staff_of(session: Session, subject_id: int) -> set[int]:
    """Ids of every coach or teacher of a group in which ``subject_id`` is an athlete."""
    athlete_groups = select(Membership.group_id).where(
        Membership.person_id == subject_id, Membership.role == "athlete"
    )
    rows = session.scalars(
        select(Membership.person_id).where(
            Membership.group_id.in_(athlete_groups), Membership.role.in_(("coach", "teacher"))
        )
    )
    return set(rows)


def shares_group(session: Session, a_id: int, b_id: int) -> bool:
    """True when both people are athletes of one common group (teammates, classmates)."""
    mine = select(Membership.group_id).where(
        Membership.person_id == a_id, Membership.role == "athlete"
    )
    count = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.person_id == b_id,
            Membership.role == "athlete",
            Membership.group_id.in_(mine),
        )
    )
    return bool(count)


# ---- coach overrides ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverrideView:
    """What the planner applies for a day: factors that replace its own, and the coach's note."""

    day: dt.date
    intensity_factor: float
    volume_factor: float
    note: str | None
    coach_name: str | None


def set_override(
    session: Session,
    person_id: int,
    coach_id: int,
    day: dt.date,
    *,
    intensity_factor: float,
    volume_factor: float,
    note: str | None,
    group_id: int | None = None,
) -> Override:
    """Record (or replace) the coach's decision for that athlete and day."""
    for name, value in (("intensity", intensity_factor), ("volume", volume_factor)):
        if not 0.0 <= value <= 1.5:
            raise ValueError(f"{name} must be between 0% and 150% of the template")
    row = session.scalar(select(Override).where(Override.person_id == person_id,
                                                Override.day == day))
    if row is None:
        row = Override(person_id=person_id, day=day)
        session.add(row)
    row.coach_id = coach_id
    row.group_id = group_id
    row.intensity_factor = intensity_factor
    row.volume_factor = volume_factor
    row.note = (note or "").strip()[:500] or None
    row.created_at = utcnow()
    session.add(AuditLog(actor_id=coach_id, subject_id=person_id, action="coach_override",
                         detail={"day": day.isoformat()}))
    session.flush()
    return row


def override_for(session: Session, person_id: int, day: dt.date) -> OverrideView | None:
    """The coach override of ``person_id`` on ``day`` (what `plan_and_store` must honour)."""
    row = session.scalar(select(Override).where(Override.person_id == person_id,
                                                Override.day == day))
    if row is None:
        return None
    coach = session.get(Person, row.coach_id) if row.coach_id is not None else None
    return OverrideView(
        day=row.day,
        intensity_factor=row.intensity_factor,
        volume_factor=row.volume_factor,
        note=row.note,
        coach_name=coach.display_name if coach is not None else None,
    )


# ---- readiness marks (alert on a flip) -----------------------------------------------------


def swap_readiness(session: Session, person_id: int, day: dt.date, readiness: str) -> str | None:
    """Store today's readiness colour; returns the colour stored before (None: first time)."""
    row = session.get(ReadinessMark, person_id)
    if row is None:
        session.add(ReadinessMark(person_id=person_id, day=day, readiness=readiness))
        session.flush()
        return None
    before = row.readiness
    row.day = day
    row.readiness = readiness
    session.flush()
    return before


# ---- broadcasts -----------------------------------------------------------------------------


def start_broadcast(
    session: Session, group: Group, sender: Person, day: dt.date, student_ids: Sequence[int]
) -> Broadcast:
    """A broadcast with one queued delivery per student."""
    row = Broadcast(group_id=group.id, sender_id=sender.id, day=day)
    for person_id in student_ids:
        row.deliveries.append(BroadcastDelivery(person_id=person_id, status="queued"))
    session.add(row)
    session.flush()
    return row


def record_deliveries(
    session: Session, broadcast_id: int, outcomes: dict[int, tuple[str, str | None]]
) -> dict[str, int]:
    """Store each student's outcome (keyed by Telegram user id); returns counts per status."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise ValueError(f"no broadcast {broadcast_id}")
    counts = dict.fromkeys(DELIVERY_STATUSES, 0)
    telegram_ids: dict[int, int] = {
        pid: tid for pid, tid in session.execute(
            select(Person.id, Person.telegram_user_id).where(
                Person.id.in_([d.person_id for d in broadcast.deliveries])
            )
        ).all()
    }
    for delivery in broadcast.deliveries:
        status, error = outcomes.get(telegram_ids.get(delivery.person_id, 0), ("failed", "none"))
        if status not in DELIVERY_STATUSES:
            raise ValueError(f"unknown delivery status {status!r}")
        delivery.status = status
        delivery.error = error[:64] if error else None
        counts[status] += 1
    broadcast.finished_at = utcnow()
    session.flush()
    return counts


def reminder_specs(session: Session) -> list[tuple[int, str]]:
    """``(telegram user id, "HH:MM Area/City")`` of every consented person with a reminder."""
    rows = session.execute(
        select(Person.telegram_user_id, Person.reminder_time, Person.timezone).where(
            Person.reminder_time.is_not(None), Person.consent_at.is_not(None)
        )
    ).all()
    return [(int(uid), f"{when} {tz or 'UTC'}") for uid, when, tz in rows]


def digest_specs(session: Session) -> list[tuple[int, str]]:
    """``(telegram user id, "HH:MM Area/City")`` of every consented coach with a digest."""
    rows = session.execute(
        select(Person.telegram_user_id, Person.digest_time, Person.timezone).where(
            Person.digest_time.is_not(None), Person.consent_at.is_not(None))
    ).all()
    return [(int(uid), f"{when} {tz or 'UTC'}") for uid, when, tz in rows]


def claim_reminder(session: Session, telegram_id: int, day: dt.date) -> bool:
    """Claim the user's reminder of ``day`` (their local date); False when it was claimed
    already, by this process or another running the same schedule."""
    if session.get(SentReminder, (telegram_id, day)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SentReminder(telegram_id=telegram_id, day=day))
            session.flush()
    except IntegrityError:
        return False
    return True


def set_class_template(session: Session, group: Group, template: str | None) -> None:
    """Set (or with None clear) the class plan's template."""
    group.plan_template = template
    session.flush()


def class_template_for(session: Session, person_id: int) -> tuple[str, str] | None:
    """(template, class title) of the newest class plan among the student's classes."""
    rows = session.execute(
        select(Group.plan_template, Group.title)
        .join(Membership)
        .where(Membership.person_id == person_id, Membership.role == "athlete",
               Group.kind == "class", Group.plan_template.is_not(None))
        .order_by(Membership.id.desc())
        .limit(1)
    ).first()
    return None if rows is None else (str(rows[0]), str(rows[1]))
