"""A person's current plan: group template, SHAP emphasis, reassessment and scheduled days.

A plan covers 14 days (the PE paper's adjustment period). It is made when none covers the day,
or when new fitness tests arrived: then the tests are grouped and classified
(`models.fitness.assess`), the two weakest items become the emphasis, items compared with the
previous test day are reassessed, and the week's training days are scheduled. The daily
planner reads the stored plan, so the models run once per plan, not once per message.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session as DbSession

from models.items import direction_of, emphasis_for
from planner.availability import Availability
from planner.explanation import FiredRule, ShapFactor
from planner.prescription import Emphasis, plain_feature
from planner.reassess import ItemTrend, item_trends
from storage import plans as plan_repo
from storage.fitness_tests import results_by_day
from storage.groups import class_template_for
from storage.schema import Person, Plan

log = logging.getLogger(__name__)

PLAN_DAYS = 14
DEFAULT_TEMPLATE = "general"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

DEFAULT_WEIGHTS = (0.6, 0.3, 0.1)  # Eq. 9's (gain, fatigue, injury risk), the paper's
Scheduler = Callable[[DbSession, Person, dt.date], dict[str, Any]]


def _sex(person: Person) -> str | None:
    return {"M": "male", "F": "female"}.get(person.sex or "")


def _log_safe(exc: BaseException) -> str:
    """The error's message with every number masked: log lines carry no health value.

    Messages name items, files and model versions (what an operator needs to fix the model),
    but a ValueError raised on the athlete's row could quote a value, so digits never pass.
    """
    return _NUMBER.sub("#", str(exc))[:160]


def current_plan(db: DbSession, person_id: int) -> Plan | None:
    """The newest plan of the person."""
    return plan_repo.latest_plan(db, person_id)


def period_start(person: Person, day: dt.date) -> dt.date:
    """The first day of the 14-day plan period that holds ``day``.

    Periods are a fixed grid from the day the athlete consented, so the plan for a day never
    depends on which day happened to be asked about first (a check-in plans tomorrow, /today
    plans today, /week the next seven days: all land in the same period's plan).
    """
    anchor = person.consent_at.date() if person.consent_at is not None else day
    return anchor + dt.timedelta(days=PLAN_DAYS * ((day - anchor).days // PLAN_DAYS))


def _assessment_meta(
    tests: dict[str, float], sex: str, model_dir: Path | None, age: float | None = None
) -> dict[str, Any]:
    from models.fitness import assess  # scikit-learn (~1 s): only for a fitness test

    result = assess(tests, sex, model_dir, age=age)
    return {
        "template": result.template,
        "cluster": result.cluster_id,
        "predicted_class": result.predicted_class,
        "probabilities": result.probabilities,
        "factors": [
            {"feature": f.feature, "value": f.value, "contribution": f.contribution}
            for f in sorted(result.factors, key=lambda f: -abs(f.contribution))[:5]
        ],
        "emphases": [
            {"feature": d.feature, "emphasis": d.emphasis, "contribution": d.contribution}
            for d in result.deficiencies[:2]
        ],
        "imputed": list(result.imputed),
        "model_versions": dict(result.model_versions),
    }


def _trend_meta(trends: list[ItemTrend]) -> dict[str, Any]:
    return {
        "trends": [
            {"item": t.item, "before": t.before, "after": t.after, "change": round(t.change, 4),
             "trend": t.trend}
            for t in trends
        ]
    }


def ensure_plan(
    db: DbSession,
    person: Person,
    day: dt.date,
    *,
    model_dir: Path | None = None,
    scheduler: Scheduler | None = None,
    store: bool = True,
    weights: tuple[float, float, float] | None = None,
) -> Plan:
    """The plan covering ``day``: the stored one, or a new one (see the module docstring).

    ``store=False`` makes a missing plan for this answer only (not added to the session), so
    the full one, with its week schedule, is still made later. ``weights`` are the week
    scheduler's reward weights: other weights than the stored plan's make a new plan at the
    next re-plan, not at the next period.
    """
    tests_by_day = results_by_day(db, person.id)
    test_days = sorted(d for d in tests_by_day if d <= day)
    # What the plan was made from: the latest tests and the athlete's week preferences; a
    # change in either makes a new plan for the period.
    tests_key = test_days[-1].isoformat() if test_days else "none"
    prefs = person.week_prefs or {}
    if prefs:
        tests_key += "|week:" + ",".join(f"{k}={prefs[k]}" for k in sorted(prefs))
    start = period_start(person, day)
    availability = Availability.from_dict(person.availability).fingerprint(
        start, start + dt.timedelta(days=PLAN_DAYS - 1))
    if availability:  # days off, shorter days, kinds of work, days away in this period
        tests_key += "|avail:" + availability
    class_plan = class_template_for(db, person.id)
    if class_plan is not None:
        tests_key += f"|class:{class_plan[0]}"
    if scheduler is not None and weights is not None and tuple(weights) != DEFAULT_WEIGHTS:
        # The default weights add nothing, so plans stored before weights were part of the
        # key are still found.
        tests_key += "|weights:" + ",".join(f"{w:g}" for w in weights)
    plan = plan_repo.find_plan(db, person.id, start, tests_key)
    if plan is not None:
        return plan
    meta: dict[str, Any] = {"tests_key": tests_key, "template": DEFAULT_TEMPLATE}
    sex = _sex(person)
    if test_days and sex is not None:
        try:
            age = test_days[-1].year - person.birth_year if person.birth_year else None
            meta.update(_assessment_meta(tests_by_day[test_days[-1]], sex, model_dir, age))
        except (ValueError, FileNotFoundError, KeyError) as exc:
            log.warning(
                "fitness assessment failed for person %s, using the %r template: %s: %s",
                person.id, DEFAULT_TEMPLATE, type(exc).__name__, _log_safe(exc),
            )
            meta["assessment_error"] = str(exc)[:200]
    elif test_days:
        meta["assessment_error"] = "sex unknown: the fitness norms are per sex"
    if len(test_days) >= 2:
        trends = item_trends(tests_by_day[test_days[-2]], tests_by_day[test_days[-1]],
                             direction_of)
        meta.update(_trend_meta(trends))
        emphasised = {e["feature"] for e in meta.get("emphases", [])}
        for trend in trends:
            if trend.trend == "stagnating" and trend.item not in emphasised:
                meta.setdefault("emphases", []).append(
                    {"feature": trend.item, "emphasis": emphasis_for(trend.item),
                     "contribution": 0.0, "reason": "stagnating"}
                )
        meta["emphases"] = [
            e for e in meta.get("emphases", [])
            if not any(t.item == e["feature"] and t.trend == "declining" for t in trends)
        ][:2]
    if class_plan is not None:
        # The teacher's class plan is every student's base; their own tests still add the
        # SHAP emphasis, and their loads and week still decide the days (same steps).
        meta["group_template"] = meta["template"]
        meta["template"], meta["class_plan"] = class_plan[0], class_plan[1]
    if scheduler is not None:  # from the loads before the period: fixed once it started
        meta["schedule"] = scheduler(db, person, start)
    if not store:
        return Plan(person_id=person.id, start_day=start,
                    end_day=start + dt.timedelta(days=PLAN_DAYS - 1),
                    template=str(meta["template"]), meta=meta)
    return plan_repo.add_plan(db, person.id, start, start + dt.timedelta(days=PLAN_DAYS - 1),
                              str(meta["template"]), meta)


def plan_inputs(plan: Plan | None, day: dt.date | None = None) -> dict[str, Any]:
    """What the daily planner takes from the stored plan (template, emphasis, days, reasons).

    The week scheduler's days come from the week of ``day`` where that week was planned apart
    (days away in it), else from the plan's usual week.
    """
    meta = (plan.meta or {}) if plan is not None else {}
    emphases = tuple(
        Emphasis(e["feature"], e["emphasis"], float(e.get("contribution", 0.0)))
        for e in meta.get("emphases", [])
    )
    factors = tuple(
        ShapFactor(f["feature"], f.get("value"), float(f["contribution"]))
        for f in meta.get("factors", [])
    )
    schedule = meta.get("schedule") or {}
    week = None
    days: tuple[int, ...] | None
    if day is not None:
        monday = day - dt.timedelta(days=day.weekday())
        week = (schedule.get("by_week") or {}).get(monday.isoformat())
    if week is not None:  # this week was planned around days away: its days, even none
        days = tuple(week["training_days"])
        schedule = {**schedule, "sessions": week["sessions"]}
    else:
        days = tuple(schedule["training_days"]) if schedule.get("training_days") else None
    minutes = {int(x["weekday"]): float(x["minutes"]) + float(
        (x.get("second") or {}).get("minutes", 0.0))
        for x in schedule.get("sessions", []) if x.get("minutes")}
    second = {int(x["weekday"]): (str(x["second"]["modality"]), float(x["second"]["minutes"]))
              for x in schedule.get("sessions", []) if x.get("second")}
    heart_rate = {int(x["weekday"]): float(x["hr_target"])
                  for x in schedule.get("sessions", []) if x.get("hr_target")}
    modality = {int(x["weekday"]): str(x["modality"])
                for x in schedule.get("sessions", []) if x.get("modality")}
    rules: list[FiredRule] = []
    trends = meta.get("trends", [])
    improving = [t for t in trends if t["trend"] == "improving"]
    declining = [t for t in trends if t["trend"] == "declining"]
    if declining:
        worst = min(declining, key=lambda t: t["change"])
        rules.append(
            FiredRule(
                code="reassess_declining",
                effect="investigate; no extra load on that item",
                inputs={"item": worst["item"], "before": worst["before"],
                        "after": worst["after"], "change": worst["change"]},
                threshold="worse by more than 2% since the previous test",
                sentence=(
                    f"Your {plain_feature(worst['item'])} result got worse since your last test "
                    f"({worst['before']:g} -> {worst['after']:g}); tell your coach if something "
                    "is bothering you."
                ),
            )
        )
    elif improving and not declining:
        best = max(improving, key=lambda t: t["change"])
        rules.append(
            FiredRule(
                code="reassess_improving",
                effect="hold",
                inputs={"item": best["item"], "before": best["before"], "after": best["after"],
                        "change": best["change"]},
                threshold="better by more than 2% since the previous test",
                sentence=(
                    f"Your {plain_feature(best['item'])} improved since your last test "
                    f"({best['before']:g} -> {best['after']:g}), so that part of the plan holds."
                ),
            )
        )
    weights = schedule.get("reward_weights")
    if weights:
        gain, fatigue, risk = (float(w) for w in weights)
        rules.append(
            FiredRule(
                code="week_weights",
                effect="the week's days, minutes and kinds of work",
                inputs={"gain": gain, "fatigue": fatigue, "injury_risk": risk},
                threshold="Eq. 9's reward weights (REWARD_WEIGHTS) when this week was planned",
                sentence=(f"This week was planned to weigh performance gain {gain:g}, fatigue "
                          f"{fatigue:g} and injury risk {risk:g}."),
            )
        )
    if meta.get("class_plan"):
        rules.append(
            FiredRule(
                code="class_plan",
                effect=f"template {meta['template']}",
                inputs={"class": meta["class_plan"], "template": meta["template"],
                        "own_group_template": meta.get("group_template")},
                threshold="a class plan set by the teacher is the base of every student's plan",
                sentence=(f"This is {meta['class_plan']}'s class plan, adjusted to your own "
                          "tests, load and week."),
            )
        )
    return {
        "template": str(meta.get("template", DEFAULT_TEMPLATE)),
        "emphases": emphases,
        "shap_factors": factors,
        "training_days": days,
        "minutes_by_weekday": minutes,
        "second_by_weekday": second,
        "hr_by_weekday": heart_rate,
        "modality_by_weekday": modality,
        "plan_rules": tuple(rules),
    }
