"""A coach's decisions on drafts (approve, reject, edit) and /undo, each in the audit trail.

The access rule is checked here, not only in the handlers: only a coach of the athlete decides
on their drafts (`access.require_staff`); an athlete may undo their own day only in ``auto``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from bot import i18n
from bot.i18n import N_, _
from bot.services import access
from bot.services.approval import payload_of_row, planned_from, policy_for, store
from planner.approval import ApprovalPolicy
from planner.daily import PlannedDay
from storage import approvals, groups
from storage import plans as plan_repo
from storage.schema import Group, Person, PlanRevision

STATUS_WORDS = {approvals.APPROVED: N_("approved"), approvals.REJECTED: N_("rejected"),
                approvals.EDITED: N_("edited"), approvals.SUPERSEDED: N_("superseded")}
"""How a draft was decided, as the coach reads it when deciding it again."""


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision made: whose day, which day, and the plan the athlete has now."""

    athlete: Person
    day: dt.date
    planned: PlannedDay | None


def _open_draft(db: DbSession, coach: Person, revision_id: int) -> tuple[PlanRevision, Person]:
    row = approvals.revision(db, revision_id)
    athlete = db.get(Person, row.person_id) if row is not None else None
    if row is None or athlete is None:
        raise ValueError(_("that draft no longer exists"))
    access.require_staff(db, coach, athlete)
    if row.status != approvals.PENDING:
        status = STATUS_WORDS.get(row.status)
        raise ValueError(_("that draft was {status} already (/drafts lists the open "
                           "ones)").format(status=_(status) if status else row.status))
    return row, athlete


def approve(db: DbSession, coach: Person, revision_id: int) -> Decided:
    """The draft becomes the athlete's plan of its day."""
    row, athlete = _open_draft(db, coach, revision_id)
    store(db, athlete.id, row.day, row.session, plan_repo.get_prescribed(db, athlete.id, row.day))
    approvals.decide(db, row, approvals.APPROVED, coach.id, "plan_approved")
    return Decided(athlete, row.day, planned_from(row.day, row.session))


def reject(db: DbSession, coach: Person, revision_id: int) -> Decided:
    """The draft is dropped; the athlete keeps the previous plan (it is not asked again)."""
    row, athlete = _open_draft(db, coach, revision_id)
    approvals.decide(db, row, approvals.REJECTED, coach.id, "plan_rejected")
    stored = plan_repo.get_prescribed(db, athlete.id, row.day)
    return Decided(athlete, row.day,
                   planned_from(row.day, payload_of_row(stored)) if stored else None)


def edit(db: DbSession, coach: Person, revision_id: int, factor: float) -> Decided:
    """The coach's own dose for the day (as /override: 0 = rest); the caller re-plans it."""
    row, athlete = _open_draft(db, coach, revision_id)
    team = next(iter(groups.groups_of(db, athlete.id, role="athlete")), None)
    groups.set_override(db, athlete.id, coach.id, row.day, intensity_factor=factor,
                        volume_factor=1.0 if factor > 0 else 0.0, note=None,
                        group_id=team.id if team is not None else None)
    approvals.decide(db, row, approvals.EDITED, coach.id, "plan_edited", {"factor": factor})
    release(db, athlete.id, row.day, coach.id)
    return Decided(athlete, row.day, None)


def pending_for(db: DbSession, coach: Person, led: list[Group]) -> list[tuple[Person,
                                                                              PlanRevision]]:
    """Every open draft of the athletes of ``led`` (the coach's teams), oldest first."""
    athletes = {p.id: p for g in led for p in groups.members(db, g.id)}
    out = []
    for row in approvals.pending_of(db, sorted(athletes)):
        access.require_staff(db, coach, athletes[row.person_id])
        out.append((athletes[row.person_id], row))
    return out


def approve_all(db: DbSession, coach: Person, group: Group) -> list[Decided]:
    """Every open draft of one team, approved."""
    access.require_group_staff(db, coach, group)
    return [approve(db, coach, row.id) for _, row in pending_for(db, coach, [group])]


def release(db: DbSession, person_id: int, day: dt.date, actor_id: int | None) -> None:
    """A restored plan stops holding (the coach decided anew)."""
    pinned = approvals.newest(db, person_id, day, (approvals.RESTORED,))
    if pinned is not None:
        approvals.decide(db, pinned, approvals.RELEASED, actor_id, "plan_restore_released")


def undo(db: DbSession, actor: Person, athlete: Person, day: dt.date) -> Decided:
    """Bring back the plan the day had before its last change, and hold it.

    The athlete may undo their own day in ``auto`` only (under review, the coach decides);
    nobody undoes a pain guard: it protects a painful site today.
    """
    if actor.id == athlete.id:
        if policy_for(db, athlete) != ApprovalPolicy():
            raise access.AccessDenied(_("your coach reviews your plans, so ask them to undo"))
    else:
        access.require_staff(db, actor, athlete)
    stored = plan_repo.get_prescribed(db, athlete.id, day)
    if stored is not None and "pain_guard" in (stored.reason_codes or ()):
        raise ValueError(_("the pain guard holds that day (pain in the last 3 days): it "
                           "cannot be undone; /override changes the dose"))
    older = approvals.newest(db, athlete.id, day, (approvals.REPLACED,))
    if older is None:
        raise ValueError(_("{day} has no earlier plan to go back to").format(
            day=i18n.day_label(day)))
    plan: dict[str, Any] = dict(older.session)
    release(db, athlete.id, day, actor.id)
    store(db, athlete.id, day, plan, stored)
    approvals.decide(db, older, approvals.RESTORED, actor.id, "plan_restored")
    draft = approvals.newest(db, athlete.id, day, (approvals.PENDING,))
    if draft is not None:
        approvals.decide(db, draft, approvals.SUPERSEDED, actor.id, "plan_draft_superseded")
    return Decided(athlete, day, planned_from(day, plan))
