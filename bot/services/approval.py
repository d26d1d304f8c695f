"""Coach approval of new plans: where a planned day is stored, held as a draft, or restored.

Every stored plan passes `settle_plan`: the coach's setting (the athlete's own, else the first
team default, else ``auto``) and `planner.approval.review` decide whether the new plan reaches
the athlete now or waits as a draft that the coach gets privately (a loose outbox row, sent by
the adapter like a background job's follow-up) with the reasons and approve / edit / reject
buttons. The athlete meanwhile sees the last approved plan, marked as awaiting the coach. A
pain-guard regression is stored at once and shown to the coach. Every replaced plan is kept
(`storage.approvals.REPLACED`) so /undo can bring it back; a restored plan holds against the
planner until the coach decides again (an override, an approval) or pain needs the guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session as DbSession

from bot.replies import Reply, keyboard, to_body
from planner.approval import ApprovalPolicy, PlanSummary, Review, review
from planner.catalogue import load_catalogue
from planner.daily import PlannedDay
from planner.explanation import Explanation, FiredRule, ShapFactor
from planner.session import Prescription, Session
from storage import approvals, groups, outbox
from storage import plans as plan_repo
from storage.schema import Person, PrescribedSession

AWAITING = ("⏳ Awaiting your coach: a change to this session is with them, so this is the last "
            "approved version. I'll tell you when it changes.")
AWAITING_FIRST = ("⏳ Awaiting your coach: they review today's plan before you get it. "
                  "I'll tell you when it is approved.")
PLAN_FIELDS = ("title", "intensity_factor", "volume_factor", "reason_codes", "inputs",
               "exercises", "explanation")


# ---- the stored form of a plan and back ------------------------------------------------------


def payload_of(planned: PlannedDay, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """A planned day as `storage.plans.save_prescribed` stores it (and a revision holds)."""
    session = planned.session
    return {
        "title": session.title,
        "intensity_factor": session.intensity_factor,
        "volume_factor": session.volume_factor,
        "reason_codes": list(session.reason_codes),
        "inputs": dict(inputs),
        "exercises": [{"exercise_id": p.exercise_id, "name": p.name, "sets": p.sets,
                       "reps": p.reps, "seconds": p.seconds, "distance_m": p.distance_m,
                       "pace_s_per_km": p.pace_s_per_km, "load_kg": p.load_kg,
                       "rest_s": p.rest_s} for p in session.prescriptions],
        "explanation": planned.explanation.as_dict(),
    }


def payload_of_row(row: PrescribedSession) -> dict[str, Any]:
    """A stored plan in the same form as `payload_of`."""
    e = row.explanation
    return {
        "title": row.title,
        "intensity_factor": row.intensity_factor,
        "volume_factor": row.volume_factor,
        "reason_codes": list(row.reason_codes or ()),
        "inputs": dict(row.inputs or {}),
        "exercises": [{k: getattr(x, k) for k in plan_repo.EXERCISE_FIELDS}
                      for x in row.exercises],
        "explanation": {"rules": list(e.rules or ()), "factors": list(e.factors or ()),
                        "sentences": list(e.sentences or ())} if e is not None else {},
    }


def summary(plan: Mapping[str, Any]) -> PlanSummary:
    """What a review compares of a stored plan."""
    names = tuple(str(x.get("name") or x.get("exercise_id")) for x in plan.get("exercises", ()))
    return PlanSummary(title=str(plan.get("title", "")), rest=not names,
                       dose=float(plan.get("intensity_factor", 1.0))
                       * float(plan.get("volume_factor", 1.0)),
                       exercises=names, reason_codes=tuple(plan.get("reason_codes") or ()))


def _modality(exercise_id: str) -> str:
    try:
        return load_catalogue().exercise(exercise_id).modality
    except ValueError:  # an exercise the catalogue no longer has: still shown
        return "other"


def planned_from(day: dt.date, plan: Mapping[str, Any], note: str | None = None) -> PlannedDay:
    """A stored plan as the planner's `PlannedDay` (what /today shows), ``note`` first."""
    prescriptions = tuple(
        Prescription(exercise_id=str(x["exercise_id"]), name=str(x["name"]),
                     modality=_modality(str(x["exercise_id"])), sets=int(x.get("sets") or 1),
                     reps=x.get("reps"), seconds=x.get("seconds"),
                     distance_m=x.get("distance_m"), pace_s_per_km=x.get("pace_s_per_km"),
                     load_kg=x.get("load_kg"), rest_s=x.get("rest_s"))
        for x in plan.get("exercises", ()))
    session = Session(day=day, title=str(plan.get("title", "")), prescriptions=prescriptions,
                      intensity_factor=float(plan.get("intensity_factor", 1.0)),
                      volume_factor=float(plan.get("volume_factor", 1.0)),
                      reason_codes=tuple(plan.get("reason_codes") or ()))
    e = plan.get("explanation") or {}
    explanation = Explanation(
        rules=tuple(FiredRule(r["code"], r["effect"], r.get("inputs", {}), r["threshold"],
                              r["sentence"]) for r in e.get("rules") or ()),
        factors=tuple(ShapFactor(f["feature"], f.get("value"), float(f["contribution"]))
                      for f in e.get("factors") or ()),
        sentences=((note,) if note else ()) + tuple(e.get("sentences") or ()),
    )
    return PlannedDay(session=session, explanation=explanation,
                      inputs=dict(plan.get("inputs") or {}))


def awaiting(day: dt.date, stored: PrescribedSession | None) -> PlannedDay:
    """What the athlete sees while a draft waits: the last approved plan, marked."""
    if stored is None:  # nothing approved yet: no session to show, only the wait
        return planned_from(day, {"title": "Awaiting your coach's approval",
                                  "inputs": {"awaiting": True}}, AWAITING_FIRST)
    return planned_from(day, payload_of_row(stored), AWAITING)


# ---- the setting -------------------------------------------------------------------------------


def policy_for(db: DbSession, person: Person) -> ApprovalPolicy:
    """The athlete's own setting, else the first team default, else auto."""
    row = approvals.setting_for_person(db, person.id)
    if row is None:
        teams = [g.id for g in groups.groups_of(db, person.id, role="athlete")]
        row = approvals.setting_for_groups(db, teams)
    return ApprovalPolicy() if row is None else ApprovalPolicy(row.mode, row.threshold)


# ---- storing a new plan --------------------------------------------------------------------


def store(db: DbSession, person_id: int, day: dt.date, plan: Mapping[str, Any],
          stored: PrescribedSession | None) -> None:
    """Make ``plan`` the day's plan; a different plan it replaces is kept for /undo."""
    if stored is not None and not summary(payload_of_row(stored)).same_as(summary(plan)):
        approvals.add_revision(db, person_id, day, approvals.REPLACED, payload_of_row(stored))
    plan_repo.save_prescribed(db, person_id, day, **{k: plan[k] for k in PLAN_FIELDS})


def settle_plan(db: DbSession, person: Person, day: dt.date, planned: PlannedDay,
                plan: dict[str, Any], *, final: bool = True) -> PlannedDay:
    """Store the new plan, or hold it for the coach; returns what the athlete is shown.

    ``final`` False (the reply path's quick plan, which the full re-plan follows): a plan that
    needs review is not drafted from it, only the full plan is, so the coach gets one draft.
    """
    policy = policy_for(db, person)
    stored = plan_repo.get_prescribed(db, person.id, day)
    previous = summary(payload_of_row(stored)) if stored is not None else None
    decision = review(policy, previous, summary(plan))
    pinned = approvals.newest(db, person.id, day, (approvals.RESTORED,))
    if pinned is not None and not decision.pain_guard and stored is not None:
        return planned_from(day, payload_of_row(stored))  # a restored plan holds
    if not decision.hold:
        store(db, person.id, day, plan, stored)
        _close_pending(db, person.id, day)
        if pinned is not None:
            approvals.decide(db, pinned, approvals.RELEASED, None, "plan_restore_released",
                             {"why": "pain guard"})
        if (decision.pain_guard and policy.mode != "auto"
                and (previous is None or "pain_guard" not in previous.reason_codes)):
            _tell_coaches(db, person, _pain_notice(person, day, plan, decision))
            approvals.audit(db, None, person.id, "plan_pain_guard_applied",
                            {"day": day.isoformat()})
        return planned
    rejected = approvals.newest(db, person.id, day, (approvals.REJECTED,))
    if rejected is not None and summary(rejected.session).same_as(summary(plan)):
        # the coach said no to this very plan: the previous one stays, without asking again
        return planned_from(day, payload_of_row(stored)) if stored is not None else awaiting(
            day, None)
    if not final:
        return awaiting(day, stored)
    return _draft(db, person, day, plan, decision, policy, stored)


def _close_pending(db: DbSession, person_id: int, day: dt.date) -> None:
    draft = approvals.newest(db, person_id, day, (approvals.PENDING,))
    if draft is not None:
        approvals.decide(db, draft, approvals.SUPERSEDED, None, "plan_draft_superseded")


def _draft(db: DbSession, person: Person, day: dt.date, plan: dict[str, Any],
           decision: Review, policy: ApprovalPolicy,
           stored: PrescribedSession | None) -> PlannedDay:
    proposed = summary(plan)
    pending = approvals.newest(db, person.id, day, (approvals.PENDING,))
    if pending is not None and summary(pending.session).same_as(proposed):
        pending.session = dict(plan)  # the same plan, its newest reasons
        return awaiting(day, stored)
    if pending is not None:
        approvals.decide(db, pending, approvals.SUPERSEDED, None, "plan_draft_superseded")
    row = approvals.add_revision(db, person.id, day, approvals.PENDING, plan, decision.reasons)
    approvals.audit(db, None, person.id, "plan_drafted",
                    {"day": day.isoformat(), "revision": row.id, "mode": policy.mode})
    text = draft_text(person, day, plan, decision.reasons, policy, stored)
    _tell_coaches(db, person, text, keyboard(
        [("Approve", f"appr:{row.id}"), ("Edit", f"apredit:{row.id}"),
         ("Reject", f"aprrej:{row.id}")]))
    return awaiting(day, stored)


# ---- what the coach reads ----------------------------------------------------------------------


def plan_lines(plan: Mapping[str, Any]) -> list[str]:
    """The plan as numbered lines with its dose (the athlete's /today, shorter)."""
    shown = planned_from(dt.date(2000, 1, 1), plan).session
    if shown.is_rest:
        return [f"{shown.title}: rest day"]
    lines = [shown.title] + [f"{i}. {p.describe()}" for i, p in
                             enumerate(shown.prescriptions, 1)]
    dose = shown.intensity_factor * shown.volume_factor
    if abs(dose - 1) >= 0.005:
        lines.append(f"Load: {dose:.0%} of the template.")
    return lines


def why_lines(plan: Mapping[str, Any]) -> list[str]:
    """The plan's reasons as /why gives them (its sentences)."""
    sentences = (plan.get("explanation") or {}).get("sentences") or ()
    return [f"- {s}" for s in sentences]


def draft_text(person: Person, day: dt.date, plan: Mapping[str, Any],
               reasons: tuple[str, ...], policy: ApprovalPolicy,
               stored: PrescribedSession | None) -> str:
    """The coach's private message about a draft."""
    when = day.strftime("%a %d %b")
    now = stored.title if stored is not None else "nothing yet"
    return "\n".join([
        f"📝 Draft for {person.display_name}, {when} ({policy.describe()}): "
        f"{'; '.join(reasons)}.",
        *plan_lines(plan), "Why:", *why_lines(plan),
        f"Until you decide {person.display_name} sees: {now}."])


def _pain_notice(person: Person, day: dt.date, plan: Mapping[str, Any],
                 decision: Review) -> str:
    return "\n".join([
        f"🩹 Pain guard applied for {person.display_name} on {day:%a %d %b}, at once (safety "
        f"is never held for approval): {'; '.join(decision.reasons)}.",
        *plan_lines(plan), "Why:", *why_lines(plan),
        f"/undo @{person.username or person.display_name} {day.isoformat()} is refused "
        "while the pain guard holds; /override changes the dose."])


def _tell_coaches(db: DbSession, person: Person, text: str,
                  buttons: tuple[tuple[Any, ...], ...] = ()) -> None:
    """A private message to each coach of the athlete, through the outbox."""
    for staff_id in sorted(groups.staff_of(db, person.id)):
        staff = db.get(Person, staff_id)
        if staff is None or staff.consent_at is None:
            continue
        reply = Reply(text, buttons=buttons, chat_id=staff.telegram_user_id)
        outbox.add(db, None, [outbox.Outgoing(staff.telegram_user_id, to_body(reply))])
