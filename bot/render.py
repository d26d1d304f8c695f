"""Turning planner results into chat text (plain, short lines that read well on a phone).

Texts are in the current language (`bot.i18n`); dates and numbers in its locale. What the
planner words itself (a rule's sentence, a template's title, an exercise's name) is English
data of the pure core, shown as it comes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from babel.dates import get_day_names as babel_day_names

from bot import i18n
from bot.i18n import N_, _, ngettext
from bot.services.compliance import DayOutcome
from bot.services.roster import NOT_PLANNED
from planner.compliance import compliance
from planner.daily import NIGHT_INTENSITY_CUT, PlannedDay
from planner.explanation import Explanation, plain_state
from planner.prescription import plain_feature
from planner.rules import site_label as english_site_label
from planner.session import UNSPECIFIED_PAIN_SITE, Prescription

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
SITE_NAMES = {
    "lower_back": N_("lower back"), "upper_back": N_("upper back"), "back": N_("back"),
    "hip_flexor": N_("hip flexor"), "it_band": N_("IT band"), "achilles": N_("Achilles"),
    "hamstring": N_("hamstring"), "knee": N_("knee"), "shin": N_("shin"),
    "ankle": N_("ankle"), "shoulder": N_("shoulder"), "calf": N_("calf"),
    "groin": N_("groin"), "hip": N_("hip"), "wrist": N_("wrist"), "elbow": N_("elbow"),
    "neck": N_("neck"), "foot": N_("foot"), "toe": N_("toe"), "quad": N_("quad"),
    "glute": N_("glute"), "hand": N_("hand"), "chest": N_("chest"), "head": N_("head"),
    "unspecified": N_("unspecified"),
}
SIDE_NAMES = {"left": N_("left"), "right": N_("right"), "both": N_("both")}
TITLES = {"Rest day": N_("Rest day"),
          "Rest day (coach's decision)": N_("Rest day (coach's decision)"),
          "Away": N_("Away"),
          NOT_PLANNED: N_("not planned yet today")}


def site_label(site: str, sides: Mapping[str, str] | None = None) -> str:
    """A pain site with its side in the current language ("left knee", "rodilla (lado
    izquierdo)"): the side is a word beside the site, so no language needs its gender."""
    if i18n.current() == i18n.DEFAULT:
        return english_site_label(site, sides)
    name = _(SITE_NAMES[site]) if site in SITE_NAMES else site.replace("_", " ")
    side = (sides or {}).get(site)
    if side not in SIDE_NAMES:
        return name
    # TRANSLATORS: a pain site with its side; reorder freely, e.g. "{site} ({side})"
    return _("{side} {site}").format(side=_(SIDE_NAMES[side]), site=name)


PLANNER_WORDS = {text: text for text in (
    N_("no increase; exercises loading the site regressed or removed"),
    N_("pain reported in the last 3 days"),
    N_("rest day"),
    N_("the week's days, minutes and kinds of work"),
    N_("Eq. 9's reward weights (REWARD_WEIGHTS) when this week was planned"),
    N_("the week planner's training days (ACO: your sessions per week, rest after hard days)"),
    N_("a class plan set by the teacher is the base of every student's plan"),
)}
"""The planner's fixed English phrases of the rules shown on the day path, translated by
the bot (the pure core stays free of the interface's catalogs)."""


def planner_words(text: str) -> str:
    """A fixed planner phrase in the current language; any other text as the planner said."""
    return _(PLANNER_WORDS[text]) if text in PLANNER_WORDS else text


def sentences(explanation: Explanation, day: dt.date | None = None) -> list[str]:
    """The explanation's plain sentences in the current language where the bot can word them
    from the rule's own inputs (the pain guard first: the safety message must be understood;
    the week's rest day and weights, a class plan), the planner's English elsewhere."""
    if i18n.current() == i18n.DEFAULT:
        return list(explanation.sentences)
    worded = {}
    for rule in explanation.rules:
        wording = _WORDINGS.get(rule.code)
        said = wording(rule.inputs, day) if wording is not None and rule.sentence else None
        if said is not None:
            worded[rule.sentence] = said
    return [worded.get(sentence, sentence) for sentence in explanation.sentences]


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # the planner's %a, in C


def _rest_sentence(inputs: Mapping[str, Any], day: dt.date | None) -> str | None:
    names = [n.strip() for n in str(inputs.get("training_days", "")).split(",") if n.strip()]
    if day is None or not names or not all(n in _WEEKDAYS for n in names):
        return None
    short = babel_day_names("abbreviated", locale=i18n.babel_locale())
    full = babel_day_names("wide", locale=i18n.babel_locale())
    return _("{weekday} is a planned rest day: this week you train on {days}.").format(
        weekday=full[day.weekday()], days=", ".join(short[_WEEKDAYS.index(n)] for n in names))


def _weights_sentence(inputs: Mapping[str, Any], day: dt.date | None) -> str | None:
    try:
        gain, fatigue, risk = (float(inputs[k]) for k in ("gain", "fatigue", "injury_risk"))
    except (KeyError, TypeError, ValueError):
        return None
    return _("This week was planned to weigh performance gain {gain}, fatigue {fatigue} and "
             "injury risk {risk}.").format(gain=_short(gain), fatigue=_short(fatigue),
                                           risk=_short(risk))


def _class_sentence(inputs: Mapping[str, Any], day: dt.date | None) -> str | None:
    if not inputs.get("class"):
        return None
    return _("This is {name}'s class plan, adjusted to your own tests, load and week.").format(
        name=inputs["class"])


def _short(value: float) -> str:
    """A weight as the planner's ``:g`` writes it, with the locale's decimal sign."""
    return i18n.decimal(value, 2).rstrip("0").rstrip(".,") or "0"


def _pain_sentence(inputs: Mapping[str, Any], day: dt.date | None = None) -> str:
    sides = inputs.get("pain_sides") or {}
    named = [site_label(s, sides) for s in inputs.get("pain_sites") or ()
             if s != UNSPECIFIED_PAIN_SITE]
    text = (_("You reported pain in your {where}, so nothing gets harder.").format(
        where=", ".join(named)) if named else _("You reported pain, so nothing gets harder."))
    if inputs.get("changed"):
        text += " " + _("I changed: {changes}.").format(changes="; ".join(inputs["changed"]))
    if inputs.get("raise_held_back"):
        text += " " + _("Your last two weeks would have raised intensity 10%; that waits until "
                        "the pain is gone.")
    return text


NIGHT_CODES = ("sleep_short", "hrv_low", "resting_hr_high")
"""The night's flags (`planner.night`), in the order they are said."""


def night_words(values: Mapping[str, Any]) -> list[str]:
    """The night's raised signals in words, from flag code -> the flag's value ("slept 4.5 h",
    "HRV 12% below baseline", "resting HR 6 bpm above baseline"); /status and /why share it."""
    words = []
    hours, change, rise = (values.get(code) for code in NIGHT_CODES)
    if isinstance(hours, int | float):
        words.append(_("slept {hours} h").format(hours=i18n.decimal(float(hours), 1)))
    if isinstance(change, int | float):
        words.append(_("HRV {percent} below baseline").format(
            percent=i18n.percent(abs(float(change)) / 100)))
    if isinstance(rise, int | float):
        words.append(_("resting HR {bpm} bpm above baseline").format(bpm=f"{float(rise):.0f}"))
    return words


def _night_sentence(inputs: Mapping[str, Any], day: dt.date | None = None) -> str | None:
    words = night_words(inputs)
    if not words:
        return None
    return _("Last night: {signals}. So today's session is {percent} easier.").format(
        signals=", ".join(words), percent=i18n.percent(NIGHT_INTENSITY_CUT))


_WORDINGS = {"pain_guard": _pain_sentence, "scheduled_rest": _rest_sentence,
             "week_weights": _weights_sentence, "class_plan": _class_sentence,
             "night_guard": _night_sentence}


def session_title(title: str) -> str:
    """A session's title: the planner's rest days translated, a template's title as it is."""
    return _(TITLES[title]) if title in TITLES else title


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
    note = f" ({p.note})" if p.note else ""
    return f"{p.name}: {dose}{rest}{note}"
# pain_guard says that someone is in pain, away may say why (illness): never in a group
PRIVATE_RULES = frozenset({"pain_guard", "away"})


def rule_label(code: str) -> str:
    """The human name of a rule code, in the current language."""
    return _(RULE_LABELS[code]) if code in RULE_LABELS else code.replace("_", " ")


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
    lines = [head]
    second_at = planned.inputs.get("second_session_at")
    for i, p in enumerate(session.prescriptions, 1):
        if second_at is not None and i == second_at + 1:
            lines.append(_("Second session, later in the day (start with 5 easy minutes):"))
        lines.append(f"{i}. {describe(p)}")
    target_hr = planned.inputs.get("target_hr")
    if target_hr:
        lines.append(_("Heart rate in the aerobic parts: about {bpm} bpm.")
                     .format(bpm=f"{target_hr:.0f}"))
    factor = session.intensity_factor * session.volume_factor
    if abs(factor - 1) >= 0.005:
        lines.append(_("Load: {percent} of your template.").format(percent=i18n.percent(factor)))
    lines.append(said[0] if said else "")
    lines.append(_("Ask /why for the reasons."))
    return "\n".join(line for line in lines if line)


def _inputs_text(inputs: Mapping[str, Any]) -> str:
    shown = []
    for key, value in inputs.items():
        if value is None or value == [] or value == {} or key == "changed":
            continue
        if key == "attributions" and isinstance(value, Mapping):  # SHAP on the policy
            value = ", ".join(f"{plain_state(f)} {i18n.signed(c, 3)}" for f, c in value.items())
            shown.append(_("because of {factors}").format(factors=value))
            continue
        if isinstance(value, float):
            value = round(value, 2) if i18n.current() == i18n.DEFAULT else i18n.decimal(
                value, 2).rstrip("0").rstrip(".,")
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
        for rule in explanation.rules:
            lines.append("- " + _("{rule}: {effect} (rule: {threshold}; your values: {values})")
                         .format(rule=rule_label(rule.code), effect=planner_words(rule.effect),
                                 threshold=planner_words(rule.threshold),
                                 values=_inputs_text(rule.inputs)))
    if explanation.factors:
        lines.append("")
        lines.append(_("Fitness-test factors:"))
        for factor in explanation.factors[:3]:
            value = "" if factor.value is None else f" = {factor.value:g}"
            lines.append(f"- {plain_feature(factor.feature)}{value}: "
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
                title=s.title, minutes=f"{s.estimated_minutes():.0f}")
        else:
            what = _("{title} ({minutes} min)").format(
                title=s.title, minutes=f"{s.estimated_minutes():.0f}")
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
