"""The readiness and triage flags in the reader's language, worded from each flag's inputs.

The planner gives every flag a code, the numbers and names it says (``inputs``) and an English
sentence. English replies use that sentence as it is (the same text the CLI and the logs
show); any other language gets a sentence built here from the inputs, so no number is parsed
out of English and every decimal is written the reader's way (`bot.i18n.decimal`).

Two families of flags share some codes with different sentences: the triage flags of the
digest (`planner.triage`, `planner.digest`: ``triage_text``) and the day's load flags of
/status and the coach's red alert (`planner.flags`: ``load_text``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from bot import i18n
from bot.i18n import N_, _, ngettext
from bot.render import site_label
from bot.rule_words import NIGHT_CODES, night_words


class Worded(Protocol):
    """A flag as the planner gives it (`TriageFlag`, `DigestFlag`, `Flag`)."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def inputs(self) -> Mapping[str, Any]: ...


Wording = Callable[[Mapping[str, Any]], str]

ITEM_NAMES = {"sleep_quality": N_("sleep quality"), "sleep": N_("sleep quality"),
              "stress": N_("stress"), "fatigue": N_("fatigue"), "soreness": N_("soreness"),
              "hooper": N_("Hooper index")}
"""Wellness items of coachloop's check-in (and the Hooper index); other questionnaires' items
keep the name they were imported with."""
NOTE = N_("a description of load change, not an injury predictor")
LABELS = {
    "acwr_spike": N_("ACWR spike"), "acwr_high": N_("ACWR high"), "acwr_low": N_("ACWR low"),
    "acwr_not_enough_history": N_("short ACWR history"), "acwr_no_load": N_("ACWR undefined"),
    "monotony_high": N_("monotony high"), "strain_spike": N_("strain spike"),
    "strain_high": N_("strain high"), "load_spike": N_("load spike"),
    "hooper_high": N_("Hooper index high"), "frbi_high": N_("fatigue outweighs recovery"),
    "wellness_z_total": N_("wellness worse than usual"),
    "wellness_missing": N_("no wellness report"),
    "wellness_not_enough_history": N_("short wellness baseline"),
    "load_and_wellness": N_("load and wellness at once"), "pain": N_("pain"),
    "session_skipped": N_("session skipped"), "session_overdone": N_("session overdone"),
    "away": N_("away"), "no_checkin": N_("no check-in"), "no_wearable": N_("no wearable file"),
    "sleep_short": N_("short sleep"), "hrv_low": N_("low HRV"),
    "resting_hr_high": N_("resting HR up"),
}
"""Short names of the flags, for the digest's table and the roster (English: the codes)."""


def item_name(name: str) -> str:
    """A wellness item in the current language ("fatigue", "Müdigkeit")."""
    return _(ITEM_NAMES[name]) if name in ITEM_NAMES else name.replace("_", " ")


def flag_label(code: str) -> str:
    """A flag's short name: its code in English (as the table and roster always showed it),
    a few words in any other language."""
    if i18n.current() == i18n.DEFAULT:
        return code
    if code in LABELS:
        return _(LABELS[code])
    if code.startswith("wellness_z_"):
        return _("{item} worse than usual").format(item=item_name(code[len("wellness_z_"):]))
    if code.startswith("wellness_poor_"):
        return _("{item}: worst answer").format(item=item_name(code[len("wellness_poor_"):]))
    return code


def _short(value: float) -> str:
    """A threshold or an answer: no decimals when whole (2, 12), else one (0,8)."""
    return i18n.decimal(value, 0 if float(value).is_integer() else 1)


def _scale(inputs: Mapping[str, Any]) -> str:
    low, high = _short(inputs["low"]), _short(inputs["high"])
    if inputs["higher_is_better"]:
        return _("{low}-{high}, higher is better").format(low=low, high=high)
    return _("{low}-{high}, higher is worse").format(low=low, high=high)


def _labels(codes: Sequence[str]) -> str:
    return ", ".join(flag_label(code) for code in codes)


def _acwr_band(inputs: Mapping[str, Any], high_side: bool) -> str:
    text = (_("ACWR {acwr} above the {low}-{high} band (high side): load rose; {note}")
            if high_side else
            _("ACWR {acwr} below the {low}-{high} band (low side): load dropped; {note}"))
    return text.format(acwr=i18n.decimal(inputs["acwr"], 2), low=_short(inputs["low"]),
                       high=_short(inputs["high"]), note=_(NOTE))


def _history(inputs: Mapping[str, Any]) -> str:
    if not inputs["days"]:
        return _("ACWR: not enough history (no session logged yet)")
    return _("ACWR: not enough history ({days} of {needed} days of load)").format(
        days=inputs["days"], needed=inputs["needed"])


def _spike(inputs: Mapping[str, Any], text: str) -> str:
    return text.format(value=i18n.decimal(inputs["value"], 0), z=i18n.decimal(inputs["z"], 1),
                       days=inputs["days"], mean=i18n.decimal(inputs["mean"], 0))


def _wellness_total(inputs: Mapping[str, Any]) -> str:
    text = (_("wellness ({items}) {z} SD worse than this athlete's last {days} days (items 1 "
              "SD or more worse: {worse})") if inputs["worse"] else
            _("wellness ({items}) {z} SD worse than this athlete's last {days} days"))
    return text.format(
        items=" + ".join(item_name(i) for i in inputs["items"]), z=i18n.decimal(inputs["z"], 1),
        days=inputs["days"],
        worse=", ".join(f"{item_name(name)} {i18n.signed(z, 1)}" for name, z in inputs["worse"]))


def _item_z(inputs: Mapping[str, Any]) -> str:
    text = (_("{item} {z} SD worse than this athlete's last {days} days (yesterday "
              "{answer}, usual {usual} on {scale})") if inputs.get("yesterday") else
            _("{item} {z} SD worse than this athlete's last {days} days (today {answer}, "
              "usual {usual} on {scale})"))
    return text.format(item=item_name(inputs["item"]), z=i18n.decimal(inputs["z"], 1),
                       days=inputs["days"], answer=_short(inputs["answer"]),
                       usual=i18n.decimal(inputs["usual"], 1), scale=_scale(inputs))


def _item_poor(inputs: Mapping[str, Any]) -> str:
    return _("{item} {answer} on {scale}: the worst end of the form").format(
        item=item_name(inputs["item"]), answer=_short(inputs["answer"]), scale=_scale(inputs))


def _no_checkin(inputs: Mapping[str, Any]) -> str:
    if inputs["last"] is None:
        return _("no check-in yet")
    days = int(inputs["days"])
    return ngettext("no check-in for {days} day (last {day})",
                    "no check-in for {days} days (last {day})", days).format(
        days=days, day=i18n.day_label(inputs["last"]))


def _pain(inputs: Mapping[str, Any]) -> str:
    sites = ", ".join(site_label(s, inputs["sides"]) for s in inputs["sites"])
    return _("pain: {sites} (reported in the last 3 days)").format(sites=sites)


TRIAGE: dict[str, Wording] = {
    "acwr_not_enough_history": _history,
    "acwr_no_load": lambda i: _("ACWR undefined: no load in the last {days} days").format(
        days=i["days"]),
    "acwr_spike": lambda i: _(
        "ACWR {acwr} >= {threshold} (high side, Gabbett's danger zone): this week's load is "
        "{acwr}x the 4-week average; {note}").format(
        acwr=i18n.decimal(i["acwr"], 2), threshold=_short(i["threshold"]), note=_(NOTE)),
    "acwr_high": lambda i: _acwr_band(i, high_side=True),
    "acwr_low": lambda i: _acwr_band(i, high_side=False),
    "monotony_high": lambda i: _(
        "monotony {monotony} > {threshold} (Foster 1998): the last 7 days lack easy days").format(
        monotony=i18n.decimal(i["monotony"], 2), threshold=_short(i["threshold"])),
    "strain_spike": lambda i: _spike(i, _(
        "weekly strain {value} AU/week is {z} SD above this athlete's last {days} days (mean "
        "{mean} AU/week)")),
    "load_spike": lambda i: _spike(i, _(
        "the day's load {value} AU is {z} SD above this athlete's last {days} days (mean "
        "{mean} AU)")),
    "wellness_missing": lambda i: ngettext(
        "no wellness report today ({days} day without one): unknown, not fine",
        "no wellness report today ({days} days without one): unknown, not fine",
        int(i["days"])).format(days=i["days"]),
    "wellness_z_total": _wellness_total,
    "wellness_not_enough_history": lambda i: _(
        "wellness baseline too short for {items}: {have} of {needed} reports needed in the "
        "last {days} days").format(items=", ".join(item_name(n) for n in i["items"]),
                                   have=i["have"], needed=i["needed"], days=i["days"]),
    "load_and_wellness": lambda i: _(
        "load rising ({rising}) on a day wellness is worse than usual ({worse}): both at "
        "once").format(rising=_labels(i["rising"]), worse=_labels(i["worse"])),
    "pain": _pain,
    "session_skipped": lambda i: _("yesterday's session skipped (planned vs done)"),
    "session_overdone": lambda i: _("yesterday's session overdone (planned vs done)"),
    "away": lambda i: _("away until {day}").format(day=i18n.day_label(i["until"])),
    "no_checkin": _no_checkin,
    "no_wearable": lambda i: _(
        "no wearable file for {days}+ days (usually syncs: {synced} of the last {window} "
        "days)").format(days=i["days"], synced=i["synced"], window=i["window"]),
}
"""The digest's flags (`planner.triage` and the chat's own, `planner.digest`)."""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _frbi(inputs: Mapping[str, Any]) -> str:
    text = (_("Fatigue outweighs recovery (FRBI {frbi} > {threshold}, load and wellness).")
            if inputs["wellness"] else
            _("Fatigue outweighs recovery (FRBI {frbi} > {threshold}, load only: no wellness "
              "baseline yet)."))
    return text.format(frbi=i18n.decimal(inputs["frbi"], 2), threshold=_short(inputs["threshold"]))


def _week_ratio(inputs: Mapping[str, Any], text: str) -> str:
    return text.format(acwr=i18n.decimal(inputs["acwr"], 2), threshold=_short(inputs["threshold"]),
                       note=_(NOTE))


LOAD: dict[str, Wording] = {
    "acwr_spike": lambda i: _week_ratio(i, _(
        "This week's load is {acwr}x the 4-week average (>= {threshold}): a sharp rise; "
        "{note}.")),
    "acwr_high": lambda i: _week_ratio(i, _(
        "This week's load is {acwr}x the 4-week average (above {threshold}); {note}.")),
    "acwr_low": lambda i: _week_ratio(i, _(
        "This week's load is {acwr}x the 4-week average (below {threshold}): a drop in load; "
        "{note}.")),
    "monotony_high": lambda i: _(
        "Training monotony is {monotony} (above {threshold}): the week lacks easy days.").format(
        monotony=i18n.decimal(i["monotony"], 2), threshold=_short(i["threshold"])),
    "strain_high": lambda i: _("Weekly strain is {strain} AU (above {threshold}).").format(
        strain=i18n.decimal(i["strain"], 0), threshold=i18n.decimal(i["threshold"], 0)),
    "hooper_high": lambda i: _("Hooper index is {hooper} (above {threshold} of 28).").format(
        hooper=i18n.decimal(i["hooper"], 0), threshold=i18n.decimal(i["threshold"], 0)),
    "frbi_high": _frbi,
}
"""The day's load flags (`planner.flags`)."""


def _load_wellness(inputs: Mapping[str, Any]) -> str:
    return _capital(_("{item} is {z} SD worse than this athlete's usual (last {days} "
                      "days).").format(item=item_name(inputs["item"]),
                                       z=i18n.decimal(inputs["z"], 1), days=inputs["days"]))


def _night(inputs: Mapping[str, Any]) -> str:
    """A wearable night's flag (`planner.night`): its value in words, from the flag's inputs
    (`rule_words.night_words`)."""
    return ", ".join(night_words(inputs))


def _triage_wording(code: str) -> Wording | None:
    if code in TRIAGE:
        return TRIAGE[code]
    if code in NIGHT_CODES:
        return _night
    if code.startswith("wellness_z_"):
        return _item_z
    if code.startswith("wellness_poor_"):
        return _item_poor
    return None


def _load_wording(code: str) -> Wording | None:
    if code in LOAD:
        return LOAD[code]
    if code in NIGHT_CODES:
        return _night
    return _load_wellness if code.startswith("wellness_z_") else None


def _worded(flag: Worded, wording: Wording | None) -> str:
    if i18n.current() == i18n.DEFAULT or wording is None:
        return flag.message
    return wording(flag.inputs)


def triage_text(flag: Worded) -> str:
    """A digest flag (`planner.triage`, `planner.digest`) in the current language."""
    return _worded(flag, _triage_wording(flag.code))


def load_text(flag: Worded) -> str:
    """A day's load flag (`planner.flags`) in the current language."""
    return _worded(flag, _load_wording(flag.code))

