"""The planner's reasons in the athlete's language, worded from each rule's own numbers.

A fired rule (`planner.explanation.FiredRule`) carries an English sentence, effect and
threshold written by the pure core, and the structured ``inputs`` it decided on. For any
other language the bot words the sentence again from ``inputs`` (here) and the effect,
threshold and values too (`bot.rule_details`), so the pure core stays free of the
interface's catalogs and a translation never parses the planner's English. English keeps the
planner's own words (`bot.render` does not call here for it).

A rule stored before an input was added to it (an older plan) has no wording here: the
functions return None and the planner's English is shown, rather than a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from babel.dates import get_day_names as babel_day_names

from bot import i18n
from bot.catalogue_words import (
    clauses,
    exercise_name,
    exercise_names,
    feature,
    listing,
    parts,
    site_label,
    state,
    then,
    word,
    work,
)
from bot.i18n import _, ngettext
from planner.daily import CHANGE_SENTENCE, NIGHT_INTENSITY_CUT
from planner.explanation import FACTOR_SENTENCE, HOLD_SENTENCE, TELL_ME_SENTENCE, Explanation
from planner.frbi import FRBI_THRESHOLD
from planner.rules import FRBI_CUT_DAYS
from planner.session import UNSPECIFIED_PAIN_SITE

Inputs = Mapping[str, Any]
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # the planner's %a, in C


def number(value: float, digits: int = 2) -> str:
    """A number as the planner's ``:g`` writes it, with the locale's decimal sign."""
    return i18n.decimal(value, digits).rstrip("0").rstrip(".,") if digits else \
        i18n.decimal(value, 0)


def change(value: float) -> str:
    """A fractional change as a signed whole percentage ("+4 %", "-15 %")."""
    return ("+" if value > 0 else "-" if value < 0 else "") + i18n.percent(abs(value))


def _weekday(day: dt.date | None) -> str | None:
    return None if day is None else babel_day_names("wide", locale=i18n.babel_locale())[
        day.weekday()]


def date_label(iso: object) -> str:
    try:
        return i18n.day_label(dt.date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso)


def training_days(text: object) -> str | None:
    names = [n.strip() for n in str(text or "").split(",") if n.strip()]
    if not names or not all(n in _WEEKDAYS for n in names):
        return None
    short = babel_day_names("abbreviated", locale=i18n.babel_locale())
    return listing(short[_WEEKDAYS.index(n)] for n in names)


def _pair(first: str, second: str) -> str:
    # TRANSLATORS: two reasons joined, "resting heart rate and weekly strain"
    return _("{first} and {second}").format(first=first, second=second)


def swap(old: str, new: str | None) -> str:
    """One exercise the pain guard changed, as the athlete reads it."""
    if new is None:
        return _("{exercise} removed").format(exercise=exercise_name(old))
    if new == old:
        return _("{exercise}: the other side only").format(exercise=exercise_name(old))
    return _("{old} -> {new}").format(old=exercise_name(old), new=exercise_name(new))


def _pain(inputs: Inputs, day: dt.date | None) -> str | None:
    sides = inputs.get("pain_sides") or {}
    named = [site_label(s, sides) for s in inputs.get("pain_sites") or ()
             if s != UNSPECIFIED_PAIN_SITE]
    text = (_("You reported pain in your {where}, so nothing gets harder.").format(
        where=listing(named)) if named else _("You reported pain, so nothing gets harder."))
    swaps = inputs.get("swaps")
    if swaps:
        changes = clauses(swap(str(old), None if new is None else str(new))
                          for old, new in swaps)
        text = then(text, _("I changed: {changes}.").format(changes=changes))
    elif inputs.get("changed"):  # a plan stored before the swaps were kept as ids
        text = then(text, _("I changed: {changes}.").format(changes=clauses(inputs["changed"])))
    if inputs.get("raise_held_back"):
        text = then(text, _("Your last two weeks would have raised intensity 10%; that waits "
                            "until the pain is gone."))
    return text


def _rest(inputs: Inputs, day: dt.date | None) -> str | None:
    days, weekday = training_days(inputs.get("training_days")), _weekday(day)
    if days is None or weekday is None:
        return None
    return _("{weekday} is a planned rest day: this week you train on {days}.").format(
        weekday=weekday, days=days)


def _weights(inputs: Inputs, day: dt.date | None) -> str | None:
    try:
        gain, fatigue, risk = (float(inputs[k]) for k in ("gain", "fatigue", "injury_risk"))
    except (KeyError, TypeError, ValueError):
        return None
    return _("This week was planned to weigh performance gain {gain}, fatigue {fatigue} and "
             "injury risk {risk}.").format(gain=number(gain), fatigue=number(fatigue),
                                           risk=number(risk))


def _class(inputs: Inputs, day: dt.date | None) -> str | None:
    if not inputs.get("class"):
        return None
    return _("This is {name}'s class plan, adjusted to your own tests, load and week.").format(
        name=inputs["class"])


def _away(inputs: Inputs, day: dt.date | None) -> str | None:
    if "until" not in inputs or "reason" not in inputs:
        return None
    until = str(inputs["until"])
    when = (_("today") if day is not None and until == day.isoformat()
            else _("until {day}").format(day=date_label(until)))
    reason = str(inputs.get("reason") or "")
    if reason:
        return _("You're away {when} ({reason}): no session; your week's sessions are on the "
                 "days you are here.").format(when=when, reason=reason)
    return _("You're away {when}: no session; your week's sessions are on the days you are "
             "here.").format(when=when)


def _modality(inputs: Inputs, day: dt.date | None) -> str | None:
    weekday = _weekday(day)
    if weekday is None or not inputs.get("modality"):
        return None
    text = _("Your week plan makes {weekday} a day of {work}.").format(
        weekday=weekday, work=work(str(inputs["modality"])))
    if inputs.get("removed"):
        text = then(text, _("Left out (that work has its own days this week): {exercises}.")
                    .format(exercises=exercise_names(inputs["removed"])))
    if inputs.get("added"):
        text = then(text, _("Added: {exercises}.").format(
            exercises=exercise_names(inputs["added"])))
    return text


def _minutes(inputs: Inputs, day: dt.date | None) -> str | None:
    weekday = _weekday(day)
    if weekday is None or inputs.get("slot_minutes") is None:
        return None
    slot = f"{float(inputs['slot_minutes']):.0f}"
    sized = f"{float(inputs.get('planned_minutes') or 0):.0f}"
    if inputs.get("target_hr"):
        return _("Your week schedule gives {weekday} about {slot} minutes, so the session is "
                 "sized to about {minutes} minutes, the aerobic work at about {bpm} bpm.").format(
            weekday=weekday, slot=slot, minutes=sized, bpm=f"{float(inputs['target_hr']):.0f}")
    return _("Your week schedule gives {weekday} about {slot} minutes, so the session is sized "
             "to about {minutes} minutes.").format(weekday=weekday, slot=slot, minutes=sized)


def _too_hard(inputs: Inputs, day: dt.date | None) -> str | None:
    if not inputs.get("eased"):
        return None
    return _("You found some exercises too hard lately, so they are easier: {changes}.").format(
        changes=eased(inputs))


def eased(inputs: Inputs) -> str:
    return clauses(swap(str(old), str(new)) for old, new in inputs.get("eased") or ())


def _two_week(inputs: Inputs, day: dt.date | None, up: bool) -> str | None:
    mood, effort = inputs.get("sentiment_mean"), inputs.get("exercise_mean")
    if mood is None or effort is None:
        return None
    scores = {"mood": i18n.signed(float(mood), 2), "effort": i18n.signed(float(effort), 2)}
    if up:
        return _("You completed your sessions and felt good over the last two weeks (mood "
                 "score {mood}, effort score {effort}), so intensity goes up 10%.").format(**scores)
    return _("Over the last two weeks you felt low (mood score {mood}) and sessions were hard "
             "(effort score {effort}), so intensity is 10% lower.").format(**scores)


def _frbi(inputs: Inputs, day: dt.date | None) -> str | None:
    if inputs.get("cut") is None or inputs.get("frbi") is None or "days_left" not in inputs:
        return None
    back = FRBI_CUT_DAYS - int(inputs["days_left"])
    when = _("today") if back <= 0 else ngettext("{n} day ago", "{n} days ago", back).format(
        n=back)
    return _("Load is {percent} lower for {days} days because your fatigue balance was "
             "{frbi} {when}, above {limit}.").format(
        percent=i18n.percent(float(inputs["cut"])), days=FRBI_CUT_DAYS,
        frbi=i18n.decimal(float(inputs["frbi"]), 2), when=when,
        limit=number(FRBI_THRESHOLD))


def _acwr(inputs: Inputs, day: dt.date | None) -> str | None:
    if inputs.get("acwr_if_full") is None or inputs.get("volume_factor") is None:
        return None
    ratio = i18n.decimal(float(inputs["acwr_if_full"]), 1)
    percent = i18n.percent(1 - float(inputs["volume_factor"]))
    if float(inputs.get("acwr_week_end_if_full") or 0.0) > float(
            inputs.get("acwr_today_if_full") or inputs["acwr_if_full"]):
        return _("Done in full, this week's plan would take your last 7 days to {ratio}x your "
                 "4-week average, so today is {percent} shorter: building back gradually "
                 "protects you.").format(ratio=ratio, percent=percent)
    return _("With today's full session your last 7 days would be {ratio}x your 4-week "
             "average, so today is {percent} shorter: building back gradually protects "
             "you.").format(ratio=ratio, percent=percent)


def _override(inputs: Inputs, day: dt.date | None) -> str | None:
    if "note" not in inputs or inputs.get("intensity_factor") is None:
        return None
    who = str(inputs.get("coach") or "") or _("Your coach")
    # TRANSLATORS: a coach's own note after what they decided, quoted as your language quotes
    note = _(' ("{note}")').format(note=inputs["note"]) if inputs.get("note") else ""
    dose = float(inputs["intensity_factor"]) * float(inputs.get("volume_factor") or 0)
    if dose <= 0:
        return _("{who} made today a rest day{note}.").format(who=who, note=note)
    return _("{who} set today's session to {percent} of the plan{note}.").format(
        who=who, percent=i18n.percent(dose), note=note)


def _because(inputs: Inputs) -> str:
    reasons = list(dict.fromkeys(state(f) for f in inputs.get("attributions") or {}))[:2]
    return _pair(*reasons) if len(reasons) == 2 else (reasons[0] if reasons else "")


def _policy(inputs: Inputs, output: str) -> str | None:
    amount = inputs.get(f"{output}_change")
    if amount is None:
        return None
    percent, reasons, more = i18n.percent(abs(float(amount))), _because(inputs), amount > 0
    if output == "volume":
        if reasons:
            text = (_("The scheduling model suggests {percent} more work today, mostly because "
                      "of your {reasons}.") if more else
                    _("The scheduling model suggests {percent} less work today, mostly because "
                      "of your {reasons}."))
        else:
            text = (_("The scheduling model suggests {percent} more work today.") if more
                    else _("The scheduling model suggests {percent} less work today."))
    elif reasons:
        text = (_("It also makes the work {percent} harder, mostly because of your "
                  "{reasons}.") if more else
                _("It also makes the work {percent} easier, mostly because of your {reasons}."))
    else:
        text = (_("It also makes the work {percent} harder.") if more
                else _("It also makes the work {percent} easier."))
    return text.format(percent=percent, reasons=reasons)


def _policy_modality(inputs: Inputs, day: dt.date | None) -> str | None:
    if not inputs.get("modality") or not inputs.get("exercise"):
        return None
    return _("The model leans towards {work} today, so {exercise} gets one more set.").format(
        work=work(str(inputs["modality"])), exercise=exercise_name(str(inputs["exercise"])))


def extra(inputs: Inputs) -> str:
    return clauses(
        (_("{exercise}: one more set") if kind == "set" else _("{exercise} added")).format(
            exercise=exercise_name(str(exercise_id)))
        for exercise_id, kind in inputs.get("extra") or ())


def _emphasis(inputs: Inputs, day: dt.date | None) -> str | None:
    if not inputs.get("extra") or not inputs.get("item"):
        return None
    return _("Your fitness tests show {item} as your weakest point, so there is extra work on "
             "{emphasis}: {changes}.").format(item=feature(str(inputs["item"])),
                                              emphasis=word(str(inputs.get("emphasis") or "")),
                                              changes=extra(inputs))


def _second(inputs: Inputs, day: dt.date | None) -> str | None:
    weekday = _weekday(day)
    if weekday is None or not inputs.get("exercises") or inputs.get("minutes") is None:
        return None
    return _("{weekday} has two sessions: later in the day, about {minutes} minutes of {work} "
             "({exercises}); start it with 5 easy minutes.").format(
        weekday=weekday, minutes=f"{float(inputs['minutes']):.0f}",
        work=work(str(inputs.get("modality") or "")), exercises=exercise_names(inputs["exercises"]))


def _test_values(inputs: Inputs) -> dict[str, str] | None:
    if not inputs.get("item") or inputs.get("before") is None or inputs.get("after") is None:
        return None
    return {"item": feature(str(inputs["item"])), "before": number(float(inputs["before"]), 3),
            "after": number(float(inputs["after"]), 3)}


def _declining(inputs: Inputs, day: dt.date | None) -> str | None:
    values = _test_values(inputs)
    return None if values is None else _(
        "Your result in {item} got worse since your last test ({before} -> {after}); tell your "
        "coach if something is bothering you.").format(**values)


def _improving(inputs: Inputs, day: dt.date | None) -> str | None:
    values = _test_values(inputs)
    return None if values is None else _(
        "Your result in {item} improved since your last test ({before} -> {after}), so that "
        "part of the plan holds.").format(**values)


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


def _night(inputs: Inputs, day: dt.date | None = None) -> str | None:
    words = night_words(inputs)
    if not words:
        return None
    return _("Last night: {signals}. So today's session is {percent} easier.").format(
        signals=", ".join(words), percent=i18n.percent(NIGHT_INTENSITY_CUT))


Wording = Callable[[Inputs, dt.date | None], str | None]
SENTENCES: dict[str, Wording] = {
    "night_guard": _night,
    "pain_guard": _pain, "scheduled_rest": _rest, "week_weights": _weights,
    "class_plan": _class, "away": _away, "scheduled_modality": _modality,
    "scheduled_minutes": _minutes, "too_hard_regress": _too_hard,
    "two_week_up": lambda i, d: _two_week(i, d, up=True),
    "two_week_down": lambda i, d: _two_week(i, d, up=False),
    "frbi_cut": _frbi, "acwr_guard": _acwr, "coach_override": _override,
    "policy_volume": lambda i, d: _policy(i, "volume"),
    "policy_intensity": lambda i, d: _policy(i, "intensity"),
    "policy_modality": _policy_modality, "test_emphasis": _emphasis,
    "second_session": _second, "reassess_declining": _declining,
    "reassess_improving": _improving,
}
"""Each rule code's sentence, worded from its inputs (None: the rule lacks what it needs)."""


def _own_sentence(sentence: str, explanation: Explanation) -> str | None:
    """The sentences `planner.explanation.render` adds of its own, in the current language."""
    if sentence == HOLD_SENTENCE:
        return _("Nothing in your recent reports asks for a change, so the plan holds.")
    if sentence == TELL_ME_SENTENCE:
        return _("Tell me how it went after training and I will adjust tomorrow.")
    if explanation.factors and parts(FACTOR_SENTENCE, sentence) is not None:
        top = max(explanation.factors, key=lambda f: abs(f.contribution))
        return _("Your fitness tests point most to your {feature}, so the plan puts some extra "
                 "work there.").format(feature=feature(top.feature))
    found = parts(CHANGE_SENTENCE, sentence)
    if found is not None and found["percent"].rstrip("%").isdigit():
        share = int(found["percent"].rstrip("%")) / 100
        return (_("Overall that is {percent} more work than your last planned session.")
                if found["direction"] == "more" else
                _("Overall that is {percent} less work than your last planned session.")
                ).format(percent=i18n.percent(share))
    return None


def sentences(explanation: Explanation, day: dt.date | None) -> list[str]:
    """The explanation's sentences in the current language, each rule's from its inputs."""
    worded: dict[str, str] = {}
    for rule in explanation.rules:
        wording = SENTENCES.get(rule.code)
        said = wording(rule.inputs, day) if wording is not None and rule.sentence else None
        if said is not None:
            worded[rule.sentence] = said
    out = []
    for sentence in explanation.sentences:
        out.append(worded.get(sentence) or _own_sentence(sentence, explanation) or sentence)
    return out
