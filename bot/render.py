"""Turning planner results into chat text (plain, short lines that read well on a phone)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from bot.services.compliance import DayOutcome
from planner.compliance import compliance
from planner.daily import PlannedDay
from planner.explanation import Explanation, plain_state
from planner.prescription import plain_feature
from planner.rules import site_label

RULE_LABELS = {
    "pain_guard": "Pain guard",
    "frbi_cut": "Fatigue-recovery balance (FRBI)",
    "two_week_up": "Two-week review",
    "two_week_down": "Two-week review",
    "two_week_hold": "Two-week review",
    "two_week_hold_little_data": "Two-week review",
    "coach_override": "Coach override",
    "policy_volume": "Scheduler (PPO policy)",
    "policy_intensity": "Scheduler (PPO policy)",
    "policy_modality": "Scheduler (PPO policy)",
    "scheduled_minutes": "Week schedule (ACO)",
    "too_hard_regress": "Your exercise feedback",
    "class_plan": "Class plan",
    "scheduled_rest": "Week schedule (ACO)",
    "away": "Your availability",
    "second_session": "Your availability",
    "test_emphasis": "Fitness-test emphasis",
    "reassess_improving": "Fitness reassessment",
    "reassess_stagnating": "Fitness reassessment",
    "reassess_declining": "Fitness reassessment",
}
# pain_guard says that someone is in pain, away may say why (illness): never in a group
PRIVATE_RULES = frozenset({"pain_guard", "away"})


def rule_label(code: str) -> str:
    """The human name of a rule code."""
    return RULE_LABELS.get(code, code.replace("_", " "))


def session_text(planned: PlannedDay, *, heading: str | None = None) -> str:
    """The session as a numbered list, PE-paper Table 3 style."""
    session = planned.session
    day = session.day.strftime("%a %d %b")
    head = heading or f"{day}: {session.title}"
    if session.is_rest and (planned.inputs.get("awaiting") or planned.inputs.get("away_until")) \
            and planned.explanation.sentences:
        return f"{head}\n{planned.explanation.sentences[0]}"  # no plan yet: the coach decides
    if session.is_rest:
        return f"{head}\nRest day. Easy walking or mobility is fine.\nAsk /why for the reasons."
    lines = [head]
    second_at = planned.inputs.get("second_session_at")
    for i, p in enumerate(session.prescriptions, 1):
        if second_at is not None and i == second_at + 1:
            lines.append("Second session, later in the day (start with 5 easy minutes):")
        lines.append(f"{i}. {p.describe()}")
    target_hr = planned.inputs.get("target_hr")
    if target_hr:
        lines.append(f"Heart rate in the aerobic parts: about {target_hr:.0f} bpm.")
    factor = session.intensity_factor * session.volume_factor
    if abs(factor - 1) >= 0.005:
        lines.append(f"Load: {factor:.0%} of your template.")
    lines.append(planned.explanation.sentences[0] if planned.explanation.sentences else "")
    lines.append("Ask /why for the reasons.")
    return "\n".join(line for line in lines if line)


def _inputs_text(inputs: Mapping[str, Any]) -> str:
    shown = []
    for key, value in inputs.items():
        if value is None or value == [] or value == {} or key == "changed":
            continue
        if key == "attributions" and isinstance(value, Mapping):  # SHAP on the policy
            value = ", ".join(f"{plain_state(f)} {c:+.3f}" for f, c in value.items())
            shown.append(f"because of {value}")
            continue
        if isinstance(value, float):
            value = round(value, 2)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        shown.append(f"{key.replace('_', ' ')} {value}")
    return "; ".join(shown)


def why_text(planned: PlannedDay) -> str:
    """The explanation of a decision just made."""
    return explanation_text(planned.session.day, planned.explanation)


def explanation_text(day: dt.date, explanation: Explanation) -> str:
    """The explanation: plain sentences first, then each rule with its inputs and threshold."""
    lines = [f"Why {day.strftime('%a %d %b')} looks like this:"]
    lines += [f"- {sentence}" for sentence in explanation.sentences]
    if explanation.rules:
        lines.append("")
        lines.append("Rules that fired:")
        for rule in explanation.rules:
            label = rule_label(rule.code)
            lines.append(
                f"- {label}: {rule.effect} (rule: {rule.threshold}; your values: "
                f"{_inputs_text(rule.inputs)})"
            )
    if explanation.factors:
        lines.append("")
        lines.append("Fitness-test factors:")
        for factor in explanation.factors[:3]:
            value = "" if factor.value is None else f" = {factor.value:g}"
            lines.append(f"- {plain_feature(factor.feature)}{value}: "
                         f"{factor.contribution:+.2f}")
    return "\n".join(lines)


def checkin_summary(values: Mapping[str, Any]) -> str:
    """What was stored, so the athlete can spot a mistake."""
    parts = []
    if values.get("rpe") is not None and values.get("minutes") is not None:
        load = values["rpe"] * values["minutes"]
        parts.append(f"RPE {values['rpe']:g} x {values['minutes']:g} min = load {load:.0f}")
    for key in ("sleep_quality", "stress", "fatigue", "soreness"):
        if values.get(key) is not None:
            parts.append(f"{key.replace('_', ' ')} {values[key]}/7")
    if values.get("pain_sites"):
        sides = values.get("pain_sides") or {}
        parts.append("pain: " + ", ".join(site_label(s, sides) for s in values["pain_sites"]))
    if values.get("sentiment_level") is not None:
        mood = {1: "positive", 0: "neutral", -1: "negative"}[int(values["sentiment_level"])]
        parts.append(f"mood {mood}")
    return "; ".join(parts)


_FIELD_LABELS = {"rpe": "RPE", "minutes": "minutes", "sleep_h": "sleep hours",
                 "sleep_quality": "sleep quality", "pain_sites": "pain"}


def change_summary(changes: Sequence[tuple[str, Any, Any]]) -> str:
    """``RPE 7 → 9, minutes 60 → 90, your note``: what an edit changed, for its author."""
    parts = []
    sides: dict[str, str] = next((new for name, _, new in changes if name == "pain_sides"), {})
    added_sites = {s for name, old, new in changes if name == "pain_sites"
                   for s in new if s not in old}
    for name, old, new in changes:
        if name == "free_text":
            parts.append("your note")
        elif name == "pain_sites":
            added = [site_label(s, sides) for s in new if s not in old]
            parts.append("pain: " + ", ".join(added) + " added")
        elif name == "pain_sides":  # a side said of a site stored before
            said = [site_label(s, new) for s in new
                    if s not in added_sites and new.get(s) != (old or {}).get(s)]
            if said:
                parts.append("pain side: " + ", ".join(said))
        else:
            label = _FIELD_LABELS.get(name, name.replace("_", " "))
            parts.append(f"{label} {new:g}" if old is None else f"{label} {old:g} → {new:g}")
    return ", ".join(parts)


def week_text(days: Sequence[PlannedDay], today: dt.date) -> str:
    """A week at a glance: one line per day."""
    lines = ["Your week:"]
    for planned in days:
        s = planned.session
        mark = "›" if s.day == today else " "
        two = ", 2 sessions" if planned.inputs.get("second_session_at") is not None else ""
        what = (("away" if planned.inputs.get("away_until") else "rest") if s.is_rest
                else f"{s.title} ({s.estimated_minutes():.0f} min{two})")
        lines.append(f"{mark} {s.day.strftime('%a %d')}: {what}")
    return "\n".join(lines)


def compliance_text(days: Sequence[DayOutcome]) -> str:
    """Planned vs done, a line per planned day (rest days kept are left out)."""
    lines = []
    for d in days:
        n = d.numbers
        if d.outcome is None:
            continue
        planned = "rest day" if n.rest else (
            f"{n.planned_minutes:.0f} min" if n.planned_minutes else "a session")
        if n.planned_load is not None and not n.rest:
            planned += f" (~{n.planned_load:.0f} AU)"
        done = "nothing reported" if n.done_minutes is None and not n.exercises_done else (
            f"{n.done_minutes:.0f} min" if n.done_minutes is not None
            else f"{n.exercises_done} exercises")
        if n.done_load is not None:
            done += f", {n.done_load:.0f} AU"
        lines.append(f"{n.day:%a %d %b}: planned {planned}; done {done} -> {d.outcome}")
    if not lines:
        return "Planned vs done: no planned session has ended yet."
    credit = compliance([d.outcome for d in days])
    head = f"Planned vs done (compliance {credit:.0%} over these days):" if credit is not None \
        else "Planned vs done:"
    return "\n".join([head, *lines])
