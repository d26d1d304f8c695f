"""Repository for coach approval: settings per athlete or team, plan revisions (drafts and
replaced plans), and once-a-day claims (digests, nudges).

Plain values in and out; which plan needs review is `planner.approval`'s decision and who may
decide is `bot.services.access`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.schema import ApprovalSetting, AuditLog, DailyClaim, PlanRevision, utcnow

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
EDITED = "edited"
SUPERSEDED = "superseded"
REPLACED = "replaced"
RESTORED = "restored"
RELEASED = "released"
KEEP_REPLACED = 5
"""Replaced plans kept per athlete and day (what /undo can go back to)."""


def setting_for_person(session: Session, person_id: int) -> ApprovalSetting | None:
    """The athlete's own setting."""
    return session.scalar(select(ApprovalSetting).where(ApprovalSetting.person_id == person_id))


def setting_for_groups(session: Session, group_ids: Sequence[int]) -> ApprovalSetting | None:
    """The first team default among ``group_ids`` (in that order)."""
    if not group_ids:
        return None
    rows = {r.group_id: r for r in session.scalars(
        select(ApprovalSetting).where(ApprovalSetting.group_id.in_(list(group_ids))))}
    return next((rows[g] for g in group_ids if g in rows), None)


def set_setting(session: Session, *, actor_id: int, mode: str, threshold: float,
                person_id: int | None = None, group_id: int | None = None) -> ApprovalSetting:
    """Store (or replace) the setting of one athlete or one team; audited."""
    if (person_id is None) == (group_id is None):
        raise ValueError("a setting is for one athlete or one team")
    column = ApprovalSetting.person_id if person_id is not None else ApprovalSetting.group_id
    row = session.scalar(select(ApprovalSetting).where(column == (person_id or group_id)))
    if row is None:
        row = ApprovalSetting(person_id=person_id, group_id=group_id)
        session.add(row)
    row.mode, row.threshold, row.set_by, row.updated_at = mode, threshold, actor_id, utcnow()
    session.add(AuditLog(actor_id=actor_id, subject_id=person_id, action="approval_setting",
                         detail={"mode": mode, "threshold": threshold, "group_id": group_id}))
    session.flush()
    return row


def add_revision(session: Session, person_id: int, day: dt.date, status: str,
                 plan: dict[str, Any], reasons: Sequence[str] = ()) -> PlanRevision:
    """Store one version of a day's plan; only the newest `KEEP_REPLACED` replaced ones stay."""
    row = PlanRevision(person_id=person_id, day=day, status=status, session=dict(plan),
                       reasons=list(reasons))
    session.add(row)
    session.flush()
    if status == REPLACED:
        ids = session.scalars(
            select(PlanRevision.id).where(PlanRevision.person_id == person_id,
                                          PlanRevision.day == day,
                                          PlanRevision.status == REPLACED)
            .order_by(PlanRevision.id.desc())).all()
        if len(ids) > KEEP_REPLACED:
            session.execute(delete(PlanRevision).where(PlanRevision.id.in_(ids[KEEP_REPLACED:])))
    return row


def revision(session: Session, revision_id: int) -> PlanRevision | None:
    """One revision by id."""
    return session.get(PlanRevision, revision_id)


def newest(session: Session, person_id: int, day: dt.date,
           statuses: Sequence[str]) -> PlanRevision | None:
    """The newest revision of that day in one of ``statuses``."""
    return session.scalar(
        select(PlanRevision).where(PlanRevision.person_id == person_id, PlanRevision.day == day,
                                   PlanRevision.status.in_(list(statuses)))
        .order_by(PlanRevision.id.desc()).limit(1))


def pending_of(session: Session, person_ids: Sequence[int]) -> Sequence[PlanRevision]:
    """Drafts waiting for a coach among these athletes, oldest first."""
    if not person_ids:
        return []
    return session.scalars(
        select(PlanRevision).where(PlanRevision.person_id.in_(list(person_ids)),
                                   PlanRevision.status == PENDING)
        .order_by(PlanRevision.id)).all()


def decide(session: Session, row: PlanRevision, status: str, actor_id: int | None,
           action: str, detail: dict[str, Any] | None = None) -> None:
    """Close a revision with ``status``; the audit trail says who (None: the planner)."""
    row.status, row.decided_by, row.decided_at = status, actor_id, utcnow()
    session.add(AuditLog(actor_id=actor_id, subject_id=row.person_id, action=action,
                         detail={"day": row.day.isoformat(), "revision": row.id,
                                 **(detail or {})}))
    session.flush()


def audit(session: Session, actor_id: int | None, subject_id: int, action: str,
          detail: dict[str, Any]) -> None:
    """One line of the audit trail (never health values)."""
    session.add(AuditLog(actor_id=actor_id, subject_id=subject_id, action=action,
                         detail=detail))


def claim(session: Session, kind: str, telegram_id: int, day: dt.date) -> bool:
    """Claim one ``kind`` of message for the user and day; False when claimed already."""
    if session.get(DailyClaim, (kind, telegram_id, day)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(DailyClaim(kind=kind, telegram_id=telegram_id, day=day))
            session.flush()
    except IntegrityError:
        return False
    return True
