"""Roster triage for coaches: each athlete's readiness, trends, flags and what the plan does.

Orchestration only (storage in, planner decides): readiness and flags come from
`planner.readiness.metrics_history` (ACWR after Gabbett 2016, monotony after Foster 1998,
Hooper index after Hooper & Mackinnon 1995, see `planner.flags`); the plan's answer is the
session already stored for the day. A roster is a read: asking for it never plans, stores or
runs the policy for anyone (planning happens when the athlete checks in, asks for the day, or
gets the morning reminder). Nothing here decides who may see a value: `bot.services.access`
does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session as DbSession

from bot.services import access
from bot.services.compliance import week_compliance
from bot.services.history import stored_metrics
from bot.services.planning import local_today
from planner.explanation import Explanation, FiredRule
from planner.loadtypes import LoadMetrics
from storage import checkins as checkin_repo
from storage import groups
from storage import plans as plan_repo
from storage.schema import Group, Person, PrescribedSession

TREND_DAYS = 7
PAIN_DAYS = 3
READINESS_RANK = {"alert": 0, "watch": 1, "green": 2}
NOT_PLANNED = "not planned yet today"


@dataclass(frozen=True, slots=True)
class AthleteStatus:
    """One roster line, before any visibility filter."""

    person_id: int
    name: str
    metrics: LoadMetrics
    acwr_week_ago: float | None
    load_7d: float
    load_prev_7d: float
    sentiment_7d: float | None
    sentiment_prev_7d: float | None
    plan_title: str
    plan_reasons: tuple[str, ...]
    plan_sentence: str | None
    pain_sites: tuple[str, ...]
    last_free_text: str | None
    pain_sides: Mapping[str, str]  # the side said last of each of ``pain_sites``, if any
    compliance: float | None = None
    # the stored plan's rules and sentences, so a reply can word them in its reader's language
    plan_explanation: Explanation | None = None

    @property
    def readiness(self) -> str:
        """green / watch / alert."""
        return self.metrics.readiness

    def need(self) -> tuple[int, int, float]:
        """Sort key: alerts first, then more flags, then ACWR furthest from 1."""
        acwr = self.metrics.acwr_rolling
        distance = abs(acwr - 1.0) if acwr is not None else 0.0
        return (READINESS_RANK.get(self.readiness, 3), -len(self.metrics.flags), -distance)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _history(db: DbSession, person: Person, today: dt.date) -> list[LoadMetrics]:
    """The last two weeks of metrics, from the whole stored history (wearables included)."""
    return stored_metrics(db, person.id, today - dt.timedelta(days=2 * TREND_DAYS - 1), today)


def today_metrics(db: DbSession, person: Person, today: dt.date) -> LoadMetrics:
    """Today's load metrics and readiness for one athlete."""
    return _history(db, person, today)[-1]


def athlete_status(db: DbSession, person: Person, today: dt.date, *,
                   viewer: Person) -> AthleteStatus:
    """Everything a coach may be shown about one athlete today (``viewer`` must be staff)."""
    access.require_staff(db, viewer, person)
    rows = list(checkin_repo.list_checkins(
        db, person.id, since=today - dt.timedelta(2 * TREND_DAYS), until=today))
    history = _history(db, person, today)
    metrics = history[-1]
    week_ago = history[-1 - TREND_DAYS] if len(history) > TREND_DAYS else None
    loads = [m.load for m in history]
    this_week = today - dt.timedelta(days=TREND_DAYS - 1)
    prev_week = this_week - dt.timedelta(days=TREND_DAYS)
    sent_now = [r.sentiment_score for r in rows
                if r.day >= this_week and r.sentiment_score is not None]
    sent_before = [r.sentiment_score for r in rows
                   if prev_week <= r.day < this_week and r.sentiment_score is not None]
    pain = sorted({site for r in rows if r.day > today - dt.timedelta(PAIN_DAYS)
                   for site in (r.pain_sites or ())})
    sides: dict[str, str] = {}
    for r in rows:  # oldest first: the latest report of a site says its side
        if r.day > today - dt.timedelta(PAIN_DAYS):
            for site in r.pain_sites or ():
                side = (r.pain_sides or {}).get(site)
                if side:
                    sides[site] = side
                else:
                    sides.pop(site, None)
    texts = [r.free_text for r in rows if r.free_text]
    stored = plan_repo.get_prescribed(db, person.id, today)
    sentences = list(stored.explanation.sentences or ()) if (
        stored is not None and stored.explanation is not None) else []
    return AthleteStatus(
        person_id=person.id,
        name=person.display_name,
        metrics=metrics,
        acwr_week_ago=week_ago.acwr_rolling if week_ago is not None else None,
        load_7d=sum(loads[-TREND_DAYS:]),
        load_prev_7d=sum(loads[:-TREND_DAYS]),
        sentiment_7d=_mean(sent_now),
        sentiment_prev_7d=_mean(sent_before),
        plan_title=stored.title if stored is not None else NOT_PLANNED,
        plan_reasons=tuple(stored.reason_codes or ()) if stored is not None else (),
        plan_sentence=sentences[0] if sentences else None,
        pain_sites=tuple(pain),
        pain_sides=sides,
        last_free_text=texts[-1] if texts else None,
        compliance=week_compliance(db, person.id, today),
        plan_explanation=_explanation(stored),
    )


def team_status(db: DbSession, group_id: int, now: dt.datetime, default_tz: str, *,
                viewer: Person) -> list[tuple[Person, AthleteStatus]]:
    """Every athlete of the group, those who need attention first (roster triage).

    ``viewer`` must be the group's coach or teacher (`access.require_group_staff`).
    """
    group = db.get(Group, group_id)
    if group is None:
        raise ValueError("no such team or class")
    access.require_group_staff(db, viewer, group)
    out = []
    for person in groups.members(db, group_id):
        if person.consent_at is None:
            continue
        out.append((person, athlete_status(db, person, local_today(person, now, default_tz),
                                           viewer=viewer)))
    out.sort(key=lambda pair: pair[1].need())
    return out


def readiness_flip(db: DbSession, person: Person, today: dt.date) -> LoadMetrics | None:
    """Store today's readiness; the metrics when it has just turned to "alert", else None."""
    if not groups.staff_of(db, person.id):
        return None
    metrics = today_metrics(db, person, today)
    before = groups.swap_readiness(db, person.id, today, metrics.readiness)
    if metrics.readiness == "alert" and before != "alert":
        return metrics
    return None


def _explanation(stored: PrescribedSession | None) -> Explanation | None:
    """The stored plan's rules and sentences as the planner gave them (None: no plan yet)."""
    if stored is None or stored.explanation is None:
        return None
    e = stored.explanation
    return Explanation(
        rules=tuple(FiredRule(r["code"], r["effect"], r.get("inputs", {}), r["threshold"],
                              r["sentence"]) for r in e.rules or ()),
        sentences=tuple(e.sentences or ()))
