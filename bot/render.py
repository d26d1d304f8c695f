"""Turning planner results into chat text (plain, short lines that read well on a phone).

Texts are in the current language (`bot.i18n`); dates and numbers in its locale. What the
planner words itself in English is worded again for other languages: a rule's sentence,
effect, condition and values from its inputs (`bot.rule_words`, `bot.rule_details`); a
template's title, an exercise's name and a line's note from the catalogue's message ids
(`bot.catalogue_words`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from bot import i18n, rule_details, rule_words
from bot.catalogue_words import feature, note, session_title, site_label, word
from bot.i18n import N_, _, ngettext
from bot.services.compliance import DayOutcome
from planner.compliance import compliance
from planner.daily import PlannedDay
from planner.explanation import Explanation, plain_state
from planner.session import Prescription

_TWO_WEEK = N_("Two-week review")
_POLICY = N_("Scheduler (PPO policy)")
_WEEK = N_("Week schedule (ACO)")
_AVAILABILITY = N_("Your availability")
_REASSESS = N_("Fitness reassessment")
RULE_LABELS = {
    "pain_guard": N_("Pain guard"),
    "frbi_cut": N_("Fatigue-recovery balance (FRBI)"),
    "acwr_guard": N_("Load ratio guard (ACWR)"),
    "night_guard": N_("Last night (wearable)"),
    "two_week_up": _TWO_WEEK,
    "two_week_down": _TWO_WEEK,
    "two_week_hold": _TWO_WEEK,
    "two_week_hold_little_data": _TWO_WEEK,
    "coach_override": N_("Coach override"),
    "policy_volume": _POLICY,
    "policy_intensity": _POLICY,
    "policy_modality": _POLICY,
    "scheduled_minutes": _WEEK,
    "scheduled_modality": _WEEK,
    "too_hard_regress": N_("Your exercise feedback"),
    "class_plan": N_("Class plan"),
    "scheduled_rest": _WEEK,
    "away": _AVAILABILITY,
    "second_session": _AVAILABILITY,
    "test_emphasis": N_("Fitness-test emphasis"),
    "reassess_improving": _REASSESS,
    "reassess_stagnating": _REASSESS,
    "reassess_declining": _REASSESS,
    "week_weights": N_("week weights"),
}


def sentences(explanation: Explanation, day: dt.date | None = None) -> list[str]:
    """The explanation's plain sentences: the planner's own in English, else each worded
    again from its rule's inputs (`bot.rule_words`)."""
    if i18n.current() == i18n.DEFAULT:
        return list(explanation.sentences)
    return rule_words.sentences(explanation, day)


def describe(p: Prescription) -> str:
    """A Table-3 style line in the current language: 'Push-ups: 3 x 16 reps, rest 35 s'."""
    if i18n.current() == i18n.DEFAULT:
        return p.describe()
    if p.distance_m is not None and p.sets == 1:
        dose = (_("{km} km").format(km=i18n.decimal(p.distance_m / 1000, 1))
                if p.distance_m >= 1000 else _("{m} m").format(m=f"{p.distance_m:.0f}"))
        if p.pace_s_per_km:
            minutes, seconds = divmod(round(p.pace_s_per_km), 60)
            dose += " " + _("at {pace}/km").format(pace=f"{minutes}:{seconds:02d}")
    elif p.distance_m is not None:
        dose = _("{sets} x {m} m").format(sets=p.sets, m=f"{p.distance_m:.0f}")
    elif p.reps is not None:
        dose = _("{sets} x {reps} reps").format(sets=p.sets, reps=p.reps)
    elif p.seconds is not None and p.sets == 1:
        dose = (_("{n} min").format(n=f"{p.seconds / 60:.0f}") if p.seconds >= 120
                else _("{n} s").format(n=f"{p.seconds:.0f}"))
    elif p.seconds is not None:
        dose = _("{sets} x {n} s").format(sets=p.sets, n=f"{p.seconds:.0f}")
    else:
        dose = ngettext("{sets} set", "{sets} sets", p.sets).format(sets=p.sets)
    rest = ", " + _("rest {n} s").format(n=f"{p.rest_s:.0f}") if p.rest_s else ""
    said = f" ({note(p.note)})" if p.note else ""
    return f"{word(p.name)}: {dose}{rest}{said}"
# pain_guard says that someone is in pain, away may say why (illness): never in a group
PRIVATE_RULES = frozenset({"pain_guard", "away"})


def rule_label(code: str) -> str:
    """The human name of a rule code, in the current language."""
    return _(RULE_LABELS[code]) if code in RULE_LABELS else code.replace("_", " ")


def exercise_lines(planned: PlannedDay, second: str) -> list[str]:
    """The session's exercises as a numbered list (``second`` heads a second session of the
    day) and the heart rate its aerobic parts aim at: /today's and the calendar's body."""
    lines = []
    second_at = planned.inputs.get("second_session_at")
    for i, p in enumerate(planned.session.prescriptions, 1):
        if second_at is not None and i == second_at + 1:
            lines.append(second)
        lines.append(f"{i}. {describe(p)}")
    target_hr = planned.inputs.get("target_hr")
    if target_hr:
        lines.append(_("Heart rate in the aerobic parts: about {bpm} bpm.")
                     .format(bpm=f"{target_hr:.0f}"))
    return lines


def session_text(planned: PlannedDay, *, heading: str | None = None) -> str:
    """The session as a numbered list, PE-paper Table 3 style."""
    session = planned.session
    head = heading or f"{i18n.day_label(session.day)}: {session_title(session.title)}"
    said = sentences(planned.explanation, session.day)
    if session.is_rest and (planned.inputs.get("awaiting") or planned.inputs.get("away_until")) \
            and said:
        return f"{head}\n{said[0]}"  # no plan yet (the coach decides), or a day away
    if session.is_rest:
        return "\n".join([head, _("Rest day. Easy walking or mobility is fine."),
                          _("Ask /why for the reasons.")])
    lines = [head, *exercise_lines(
        planned, _("Second session, later in the day (start with 5 easy minutes):"))]
    factor = session.intensity_factor * session.volume_factor
    if abs(factor - 1) >= 0.005:
        lines.append(_("Load: {percent} of your template.").format(percent=i18n.percent(factor)))
    lines.append(said[0] if said else "")
    lines.append(_("Ask /why for the reasons."))
    return "\n".join(line for line in lines if line)


_ENGLISH_HIDDEN = rule_details.HIDDEN - {"pain_sides"}


def _english_inputs(inputs: Mapping[str, Any]) -> str:
    """A rule's inputs as the planner names them (English): "pain sites knee; ..."."""
    shown = []
    for key, value in inputs.items():
        if value is None or value == [] or value == {} or key in _ENGLISH_HIDDEN:
            continue
        if key == "attributions" and isinstance(value, Mapping):  # SHAP on the policy
            value = ", ".join(f"{plain_state(f)} {i18n.signed(c, 3)}" for f, c in value.items())
            shown.append(_("because of {factors}").format(factors=value))
            continue
        if isinstance(value, float):
            value = round(value, 2)
        if isinstance(value, Mapping):  # {"knee": "left"} reads "knee left", not as a dict
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        shown.append(f"{key.replace('_', ' ')} {value}")
    return "; ".join(shown)


def why_text(planned: PlannedDay) -> str:
    """The explanation of a decision just made."""
    return explanation_text(planned.session.day, planned.explanation)


def explanation_text(day: dt.date, explanation: Explanation) -> str:
    """The explanation: plain sentences first, then each rule with its inputs and threshold."""
    lines = [_("Why {day} looks like this:").format(day=i18n.day_label(day))]
    lines += [f"- {sentence}" for sentence in sentences(explanation, day)]
    if explanation.rules:
        lines.append("")
        lines.append(_("Rules that fired:"))
        english = i18n.current() == i18n.DEFAULT
        for rule in explanation.rules:
            effect = rule.effect if english else rule_details.effect(
                rule.code, rule.inputs, rule.effect)
            threshold = rule.threshold if english else rule_details.threshold(
                rule.code, rule.threshold)
            values = _english_inputs(rule.inputs) if english else rule_details.values(rule.inputs)
            lines.append("- " + _("{rule}: {effect} (rule: {threshold}; your values: {values})")
                         .format(rule=rule_label(rule.code), effect=effect, threshold=threshold,
                                 values=values))
    if explanation.factors:
        lines.append("")
        lines.append(_("Fitness-test factors:"))
        for factor in explanation.factors[:3]:
            value = "" if factor.value is None else f" = {factor.value:g}"
            lines.append(f"- {feature(factor.feature)}{value}: "
                         f"{i18n.signed(factor.contribution, 2)}")
    return "\n".join(lines)


WELLNESS_LABELS = {"sleep_quality": N_("sleep quality"), "stress": N_("stress"),
                   "fatigue": N_("fatigue"), "soreness": N_("soreness")}
MOODS = {1: N_("mood positive"), 0: N_("mood neutral"), -1: N_("mood negative")}
OUTCOMES = {"done": N_("done"), "partial": N_("partial"), "skipped": N_("skipped"),
            "overdone": N_("overdone")}


def checkin_summary(values: Mapping[str, Any]) -> str:
    """What was stored, so the athlete can spot a mistake."""
    parts = []
    if values.get("rpe") is not None and values.get("minutes") is not None:
        load = values["rpe"] * values["minutes"]
        parts.append(_("RPE {rpe} x {minutes} min = load {load}").format(
            rpe=f"{values['rpe']:g}", minutes=f"{values['minutes']:g}", load=f"{load:.0f}"))
    for key in ("sleep_quality", "stress", "fatigue", "soreness"):
        if values.get(key) is not None:
            parts.append(f"{_(WELLNESS_LABELS[key])} {values[key]}/7")
    if values.get("pain_sites"):
        sides = values.get("pain_sides") or {}
        parts.append(_("pain: {sites}").format(
            sites=", ".join(site_label(s, sides) for s in values["pain_sites"])))
    if values.get("sentiment_level") is not None:
        mood = MOODS[int(values["sentiment_level"])]
        parts.append(_(mood))
    return "; ".join(parts)


_FIELD_LABELS = {"rpe": N_("RPE"), "minutes": N_("minutes"), "sleep_h": N_("sleep hours"),
                 "sleep_quality": N_("sleep quality"), "pain_sites": N_("pain")}


def change_summary(changes: Sequence[tuple[str, Any, Any]]) -> str:
    """``RPE 7 → 9, minutes 60 → 90, your note``: what an edit changed, for its author."""
    parts = []
    sides: dict[str, str] = next((new for name, _, new in changes if name == "pain_sides"), {})
    added_sites = {s for name, old, new in changes if name == "pain_sites"
                   for s in new if s not in old}
    for name, old, new in changes:
        if name == "free_text":
            parts.append(_("your note"))
        elif name == "pain_sites":
            added = [site_label(s, sides) for s in new if s not in old]
            parts.append(_("pain: {sites} added").format(sites=", ".join(added)))
        elif name == "pain_sides":  # a side said of a site stored before
            said = [site_label(s, new) for s in new
                    if s not in added_sites and new.get(s) != (old or {}).get(s)]
            if said:
                parts.append(_("pain side: {sites}").format(sites=", ".join(said)))
        else:
            label = _(_FIELD_LABELS[name]) if name in _FIELD_LABELS else name.replace("_", " ")
            parts.append(f"{label} {new:g}" if old is None else f"{label} {old:g} → {new:g}")
    return ", ".join(parts)


def week_text(days: Sequence[PlannedDay], today: dt.date) -> str:
    """A week at a glance: one line per day."""
    lines = [_("Your week:")]
    for planned in days:
        s = planned.session
        mark = "›" if s.day == today else " "
        if s.is_rest:
            what = _("away") if planned.inputs.get("away_until") else _("rest")
        elif planned.inputs.get("second_session_at") is not None:
            what = _("{title} ({minutes} min, 2 sessions)").format(
                title=session_title(s.title), minutes=f"{s.estimated_minutes():.0f}")
        else:
            what = _("{title} ({minutes} min)").format(
                title=session_title(s.title), minutes=f"{s.estimated_minutes():.0f}")
        lines.append(f"{mark} {i18n.weekday_label(s.day)}: {what}")
    return "\n".join(lines)


def compliance_text(days: Sequence[DayOutcome]) -> str:
    """Planned vs done, a line per planned day (rest days kept are left out)."""
    lines = []
    for d in days:
        n = d.numbers
        if d.outcome is None:
            continue
        planned = _("rest day") if n.rest else (
            _("{n} min").format(n=f"{n.planned_minutes:.0f}") if n.planned_minutes
            else _("a session"))
        if n.planned_load is not None and not n.rest:
            planned += f" (~{n.planned_load:.0f} AU)"
        done = _("nothing reported") if n.done_minutes is None and not n.exercises_done else (
            _("{n} min").format(n=f"{n.done_minutes:.0f}") if n.done_minutes is not None
            else ngettext("{n} exercise", "{n} exercises", n.exercises_done).format(
                n=n.exercises_done))
        if n.done_load is not None:
            done += f", {n.done_load:.0f} AU"
        lines.append(_("{day}: planned {planned}; done {done} -> {outcome}").format(
            day=i18n.day_label(n.day), planned=planned, done=done,
            outcome=_(OUTCOMES[d.outcome]) if d.outcome in OUTCOMES else d.outcome))
    if not lines:
        return _("Planned vs done: no planned session has ended yet.")
    credit = compliance([d.outcome for d in days])
    head = (_("Planned vs done (compliance {percent} over these days):")
            .format(percent=i18n.percent(credit)) if credit is not None
            else _("Planned vs done:"))
    return "\n".join([head, *lines])
