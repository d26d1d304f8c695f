"""The rules list of /why in the athlete's language: what each rule did, its condition, and
the values it read, worded from the rule's inputs and the planner's constants.

The sentences are `bot.rule_words`; English keeps the planner's own words (`bot.render` does
not call here for it). A rule the bot cannot word (an unknown code, an older stored plan
without the inputs) shows the planner's English rather than a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot import i18n
from bot.catalogue_words import (
    clauses,
    exercise_name,
    exercise_names,
    feature,
    listing,
    site_label,
    state,
    template_title,
    word,
    work,
)
from bot.i18n import N_, _
from bot.rule_words import Inputs, change, date_label, eased, extra, number, training_days
from planner.daily import (
    ACWR_CEILING,
    ACWR_HORIZON_DAYS,
    ACWR_TARGET,
    NIGHT_INTENSITY_CUT,
    TOO_HARD_DAYS,
    TOO_HARD_RPE,
)
from planner.frbi import FRBI_THRESHOLD
from planner.rules import EXERCISE_THRESHOLD, MIN_EVIDENCE_DAYS, SENTIMENT_THRESHOLD


def _percent_input(key: str, label: str) -> Callable[[Inputs], str | None]:
    def effect(inputs: Inputs) -> str | None:
        value = inputs.get(key)
        return None if value is None else _(label).format(change=change(float(value)))
    return effect


def _override_effect(inputs: Inputs) -> str | None:
    if inputs.get("intensity_factor") is None or inputs.get("volume_factor") is None:
        return None
    return _("intensity {intensity}, volume {volume}").format(
        intensity=i18n.percent(float(inputs["intensity_factor"])),
        volume=i18n.percent(float(inputs["volume_factor"])))


def _modality_effect(inputs: Inputs) -> str | None:
    if not inputs.get("modality"):
        return None
    said = [_("a day of {work}").format(work=work(str(inputs["modality"])))]
    if inputs.get("removed"):
        said.append(_("left out: {exercises}").format(exercises=exercise_names(inputs["removed"])))
    if inputs.get("added"):
        said.append(_("added: {exercises}").format(exercises=exercise_names(inputs["added"])))
    return clauses(said)


def _minutes_effect(inputs: Inputs) -> str | None:
    if inputs.get("template_minutes") is None or inputs.get("planned_minutes") is None:
        return None
    return _("session sized from {before} to {after} min").format(
        before=f"{float(inputs['template_minutes']):.0f}",
        after=f"{float(inputs['planned_minutes']):.0f}")


_FRBI_LOAD = N_("load {change}")
_INTENSITY = N_("intensity {change}")
_VOLUME = N_("volume {change}")


def _frbi_effect(inputs: Inputs) -> str | None:
    cut = inputs.get("cut")
    return None if cut is None else _(_FRBI_LOAD).format(change=change(-float(cut)))


def _acwr_effect(inputs: Inputs) -> str | None:
    factor = inputs.get("volume_factor")
    return None if factor is None else _(_VOLUME).format(change=change(float(factor) - 1))


EFFECTS: dict[str, Callable[[Inputs], str | None]] = {
    "pain_guard": lambda i: _("no increase; exercises loading the site regressed or removed"),
    "frbi_cut": _frbi_effect,
    "acwr_guard": _acwr_effect,
    "night_guard": lambda i: _("intensity {change}, no increase").format(
        change=change(-NIGHT_INTENSITY_CUT)),
    "two_week_up": lambda i: _(_INTENSITY).format(change=change(0.10)),
    "two_week_down": lambda i: _(_INTENSITY).format(change=change(-0.10)),
    "two_week_hold": lambda i: _("no change"),
    "two_week_hold_little_data": lambda i: _("no change"),
    "reassess_improving": lambda i: _("no change"),
    "reassess_declining": lambda i: _("investigate; no extra load on that item"),
    "coach_override": _override_effect,
    "policy_volume": _percent_input("volume_change", _VOLUME),
    "policy_intensity": _percent_input("intensity_change", _INTENSITY),
    "policy_modality": lambda i: _("+1 set of {exercise}").format(
        exercise=exercise_name(str(i["exercise"]))) if i.get("exercise") else None,
    "scheduled_minutes": _minutes_effect,
    "scheduled_modality": _modality_effect,
    "too_hard_regress": lambda i: eased(i) or None,
    "test_emphasis": lambda i: extra(i) or None,
    "away": lambda i: _("no session"),
    "scheduled_rest": lambda i: _("rest day"),
    "week_weights": lambda i: _("the week's days, minutes and kinds of work"),
    "class_plan": lambda i: _("template {title}").format(
        title=template_title(str(i["template"]))) if i.get("template") else None,
    "second_session": lambda i: _("second session: {exercises}").format(
        exercises=exercise_names(i["exercises"])) if i.get("exercises") else None,
}
"""What each rule did, in words (None: the planner's English is shown)."""


def _threshold_two_week(up: bool) -> str:
    values = {"mood": number(SENTIMENT_THRESHOLD), "effort": number(EXERCISE_THRESHOLD)}
    if up:
        return _("mood score at least {mood} and effort score at least {effort} over two "
                 "weeks").format(**values)
    return _("mood score at most -{mood} and effort score at most 0 over two weeks").format(
        mood=values["mood"])


THRESHOLDS: dict[str, Callable[[], str]] = {
    "night_guard": lambda: _("the wearable's night: HRV 7-night mean below the smallest "
                             "worthwhile change, resting HR at least 5 bpm above baseline, "
                             "or sleep under 5 h"),
    "pain_guard": lambda: _("pain reported in the last 3 days"),
    "frbi_cut": lambda: _("fatigue-recovery balance (FRBI) above {limit}").format(
        limit=number(FRBI_THRESHOLD)),
    "acwr_guard": lambda: _("the 7-day / 28-day sRPE load ratio above {ceiling} (Gabbett "
                            "2016), today or {days} days ahead with the week's planned "
                            "minutes: the day brought towards {target}, at most "
                            "halved").format(ceiling=number(ACWR_CEILING), days=ACWR_HORIZON_DAYS,
                                             target=number(ACWR_TARGET)),
    "two_week_up": lambda: _threshold_two_week(up=True),
    "two_week_down": lambda: _threshold_two_week(up=False),
    "two_week_hold": lambda: _("neither two-week rule met"),
    "two_week_hold_little_data": lambda: _("at least {days} reported days in 14").format(
        days=MIN_EVIDENCE_DAYS),
    "reassess_improving": lambda: _("better by more than 2% since the previous test"),
    "reassess_declining": lambda: _("worse by more than 2% since the previous test"),
    "coach_override": lambda: _("a coach's override wins over the planner's factors"),
    "policy_volume": lambda: _("PPO proposal, bounded to +/-5% and guarded by the rules"),
    "policy_intensity": lambda: _("PPO proposal, bounded to +/-5% and guarded by the rules"),
    "policy_modality": lambda: _("the kind of work the PPO policy weights more than for a "
                                 "typical athlete"),
    "scheduled_minutes": lambda: _("the week scheduler's minutes and heart rate for this day "
                                   "(template dose x 0.5-2; heart rate within 50-85% of "
                                   "reserve)"),
    "scheduled_modality": lambda: _("the week scheduler's kind of work for this day (ACO); "
                                    "recovery and flexibility work stays on every day"),
    "too_hard_regress": lambda: _("marked too hard, or RPE {rpe} or more, in the last {days} "
                                  "days").format(rpe=number(TOO_HARD_RPE), days=TOO_HARD_DAYS),
    "test_emphasis": lambda: _("weakest fitness-test items by SHAP (top 2)"),
    "away": lambda: _("a blackout you set (/away): nothing is planned on those days"),
    "scheduled_rest": lambda: _("the week planner's training days (ACO: your sessions per "
                                "week, rest after hard days)"),
    "week_weights": lambda: _("Eq. 9's reward weights (REWARD_WEIGHTS) when this week was "
                              "planned"),
    "class_plan": lambda: _("a class plan set by the teacher is the base of every student's "
                            "plan"),
    "second_session": lambda: _("your availability allows two sessions that day "
                                "(/availability)"),
}
"""Each rule's condition, from the planner's own constants."""


def effect(code: str, inputs: Inputs, english: str) -> str:
    """What a rule did, in the current language (its English when it cannot be worded)."""
    wording = EFFECTS.get(code)
    return (wording(inputs) if wording is not None else None) or english


def threshold(code: str, english: str) -> str:
    """A rule's condition in the current language (its English for an unknown rule)."""
    wording = THRESHOLDS.get(code)
    return wording() if wording is not None else english


VALUE_LABELS = {
    "pain_sites": N_("pain"), "raise_held_back": N_("raise held back"),
    "frbi": N_("FRBI"), "frbi_peak": N_("FRBI peak"), "trigger_day": N_("from"),
    "days_left": N_("days left"), "cut": N_("cut"), "days": N_("reported days"),
    "exercise_mean": N_("effort score"), "sentiment_mean": N_("mood score"),
    "volume_change": N_("volume change"), "intensity_change": N_("intensity change"),
    "exercise": N_("exercise"), "until": N_("until"),
    "training_days": N_("training days"), "item": N_("test item"), "shap": N_("SHAP"),
    "emphasis": N_("emphasis"), "kept": N_("kept"), "removed": N_("left out"),
    "added": N_("added"), "slot_minutes": N_("scheduled minutes"),
    "template_minutes": N_("template minutes"), "planned_minutes": N_("planned minutes"),
    "target_hr": N_("target heart rate"), "too_hard": N_("too hard"),
    "acwr_if_full": N_("load ratio with the full session"),
    "acwr_today_if_full": N_("load ratio today with the full session"),
    "acwr_week_end_if_full": N_("load ratio at the week's end with the full plan"),
    "horizon_days": N_("days looked ahead"), "sleep_short": N_("hours slept"),
    "hrv_low": N_("HRV change from baseline (%)"),
    "resting_hr_high": N_("resting HR above baseline (bpm)"), "acute_7d": N_("7-day load"),
    "chronic_28d": N_("28-day load"), "usual_rpe": N_("usual RPE"),
    "volume_factor": N_("volume factor"), "intensity_factor": N_("intensity factor"),
    "coach": N_("coach"), "minutes": N_("minutes"), "from_item": N_("from exercise"),
    "exercises": N_("exercises"), "gain": N_("performance gain"), "fatigue": N_("fatigue"),
    "injury_risk": N_("injury risk"), "class": N_("class"), "template": N_("template"),
    "own_group_template": N_("your group's template"), "before": N_("before"),
    "after": N_("after"), "change": N_("change"),
}
"""The name of each input a rule reads, as the athlete's "your values" list shows it (the
kind of work, "aerobic work", names itself and is shown alone)."""
HIDDEN = frozenset({"pain_sides", "changed", "swaps", "eased", "extra", "reason", "note"})
"""Inputs said elsewhere (the sides beside the sites, the changes in the sentence) or free
text that is private (why someone is away, a coach's note), never listed."""
_EXERCISE_KEYS = frozenset({"kept", "removed", "added", "too_hard", "exercise", "exercises"})
_PERCENT_KEYS = frozenset({"volume_change", "intensity_change", "change"})


def _value(key: str, value: Any, inputs: Inputs) -> str:
    """One input's value in words: names, days and numbers, never a Python repr."""
    if key == "pain_sites":
        return listing(site_label(str(s), inputs.get("pain_sides") or {}) for s in value)
    if key in _EXERCISE_KEYS:
        return exercise_names(value)
    if key == "modality":
        return work(str(value))
    if key == "item":
        return feature(str(value))
    if key == "emphasis":
        return word(str(value))
    if key in ("template", "own_group_template"):
        return template_title(str(value))
    if key in ("until", "trigger_day"):
        return date_label(value)
    if key == "training_days":
        return training_days(value) or str(value)
    if key in _PERCENT_KEYS:
        return change(float(value))
    if key == "cut":
        return i18n.percent(float(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return number(value)
    if isinstance(value, Mapping):
        return listing(f"{k.replace('_', ' ')} {_value(k, v, inputs)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return listing(_value(key, v, inputs) for v in value)
    return str(value)


def values(inputs: Inputs) -> str:
    """The "your values" list of a rule in the current language."""
    shown: list[str] = []
    for key, value in inputs.items():
        if value is None or value == [] or value == {} or value == "" or key in HIDDEN:
            continue
        if key == "attributions" and isinstance(value, Mapping):  # SHAP on the policy
            factors = listing(f"{state(f)} {i18n.signed(float(c), 3)}" for f, c in value.items())
            shown.append(_("because of {factors}").format(factors=factors))
            continue
        said = _value(key, value, inputs)
        if key == "modality":
            shown.append(said)
            continue
        label = _(VALUE_LABELS[key]) if key in VALUE_LABELS else key.replace("_", " ")
        # TRANSLATORS: one of the values a rule read, "template minutes: 30"
        shown.append(_("{name}: {value}").format(name=label, value=said))
    return clauses(shown)
