"""Readiness flags and the green / amber / red level per athlete-day: what a coach's morning
triage (``coachloop readiness``, the daily digest) reads from `planner.readiness_signals`.

Each flag names what it measures, its value and the threshold it crossed, and has a severity:
``red``, ``amber`` or ``info`` (a fact about the data, e.g. "not enough history", that never
changes the level). Thresholds come from the literature, not from fitting injury data:

* ACWR (coupled rolling) outside 0.8-1.3 is amber, on the side it leaves; >= 1.5 is red
  (Gabbett 2016, Br J Sports Med 50:273: the "sweet spot" and the "danger zone"). Before 28
  days of load history there is no ACWR: an info flag says so instead of a guess.
* Monotony > 2 is amber (Foster 1998, Med Sci Sports Exerc 30:1164).
* Strain and the day's load 2 SD or more above the athlete's own last 28 days are amber:
  Foster 1998 found illness followed strain peaks above each athlete's *individual* level,
  so the spike is measured against the athlete, not a fixed AU figure.
* Wellness, on coachloop's 1-7 scale (higher worse): the sum of the items 1 SD worse than the
  athlete's last 28 days is amber, 2 SD red (the ~-1 and ~-2 SD bands of wellness monitoring
  with the questionnaire of McLean et al. 2010, Int J Sports Physiol Perform 5:367, and Gastin
  et al. 2013, J Strength Cond Res 27:2518); one item 2 SD worse is amber. An answer at the
  worst end of the form (the worst sixth, 6-7 of 7) is amber whatever the baseline: coachloop
  convention, so the first weeks are not blind.
* Converging evidence (coachloop convention): a load-rise flag (ACWR high or spike, monotony,
  strain or load spike) on the same day as a wellness flag is red (``load_and_wellness``):
  load rising while the athlete reports being worse than usual is the overreaching pattern of
  Hooper & Mackinnon 1995, and Gabbett 2016 asks for load to be read with wellness; either
  alone is amber.

Level: red if any red flag, else amber if any amber flag, else green. Green means "no flag
among what is known": read the info flags (missing wellness, short history) with it. Flags
describe association with load and self-report, not a prediction of injury.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from planner.acwr import CHRONIC_DAYS
from planner.baseline import BASELINE_DAYS, MIN_BASELINE_OBSERVATIONS
from planner.flags import ACWR_ALERT, ACWR_HIGH, ACWR_LOW, ACWR_NOTE, MONOTONY_HIGH
from planner.wellness_scales import OUR_HIGH, WellnessItem

LEVELS = ("green", "amber", "red")
SEVERITIES = ("info", "amber", "red")
SPIKE_Z = 2.0
"""Strain or load this many SD above the athlete's last 28 days is a spike (amber)."""
WELLNESS_Z_AMBER = 1.0
WELLNESS_Z_RED = 2.0
ITEM_Z_AMBER = 2.0
"""One item alone flags at 2 SD: with five items, ~1 SD on some item is an ordinary day."""
POOR_ANSWER = OUR_HIGH - 1.0
"""6 of coachloop's 1-7 (worst sixth of any form): 1 of 1-5 when higher is better."""
NO_CHECKIN_DAYS = 2
"""Days without a wellness report the digest names as "no check-in"."""
LOAD_RISE = frozenset({"acwr_high", "acwr_spike", "monotony_high", "strain_spike", "load_spike"})


@dataclass(frozen=True, slots=True)
class TriageFlag:
    """One flag: a code naming what it measures, severity, value, threshold, coach text.

    ``message`` is the English sentence (English replies, the CLI and logs); ``inputs`` are the
    numbers and names it says, so the bot words the flag in the reader's language from them
    (`bot.flag_text`) instead of translating a sentence with numbers baked in.
    """

    code: str
    severity: str
    value: float | None
    threshold: float | None
    message: str
    inputs: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: values rounded to 4 decimals."""
        return {"code": self.code, "severity": self.severity, "value": _round(self.value),
                "threshold": _round(self.threshold), "message": self.message}


@dataclass(frozen=True, slots=True)
class DayReadiness:
    """One athlete-day: the level and every flag behind it (info flags included)."""

    athlete: str
    day: dt.date
    level: str
    flags: tuple[TriageFlag, ...]

    def as_dict(self) -> dict[str, Any]:
        """The ``coachloop readiness --json`` record."""
        return {"athlete": self.athlete, "date": self.day.isoformat(), "level": self.level,
                "flags": [flag.as_dict() for flag in self.flags]}


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def level_of(flags: Sequence[TriageFlag]) -> str:
    """Red if any red flag, else amber if any amber flag, else green (info never counts)."""
    severities = {flag.severity for flag in flags}
    if "red" in severities:
        return "red"
    return "amber" if "amber" in severities else "green"


def triage(signals: pd.DataFrame, items: Sequence[WellnessItem] = ()) -> list[DayReadiness]:
    """`DayReadiness` for every row of `planner.readiness_signals.readiness_signals`.

    Each rule is one vectorised test over all rows; only raised flags cost Python work, so the
    cost follows the flags raised rather than rows x rules. Flags of a day come red first,
    then amber, then info, in rule order within a severity.
    """
    n = len(signals)
    flags: list[list[TriageFlag]] = [[] for _ in range(n)]
    get = _Columns(signals)
    _load_rules(get, flags)
    if items:
        _wellness_rules(get, items, flags)
        _converging_rule(flags)
    rank = {severity: -k for k, severity in enumerate(SEVERITIES)}
    athletes = signals["athlete"].astype(str).tolist()
    days = pd.to_datetime(signals["date"]).dt.date.tolist() if n else []
    out = []
    for i in range(n):
        own = tuple(sorted(flags[i], key=lambda f: rank[f.severity]))
        out.append(DayReadiness(athletes[i], days[i], level_of(own), own))
    return out


class _Columns:
    """Float columns of the signals frame, read once each."""

    def __init__(self, signals: pd.DataFrame) -> None:
        self._frame = signals
        self._cache: dict[str, NDArray[np.float64]] = {}

    def __call__(self, name: str) -> NDArray[np.float64]:
        if name not in self._cache:
            self._cache[name] = self._frame[name].to_numpy(dtype=np.float64)
        return self._cache[name]


def _rows(mask: NDArray[np.bool_]) -> list[int]:
    return [int(i) for i in np.nonzero(mask)[0]]


def _load_rules(get: _Columns, flags: list[list[TriageFlag]]) -> None:
    history, acwr, monotony = get("history_days"), get("acwr"), get("monotony")
    undefined = np.isnan(acwr)
    with np.errstate(invalid="ignore"):
        spike, low = acwr >= ACWR_ALERT, acwr < ACWR_LOW
        high = (acwr > ACWR_HIGH) & ~spike
        mono = monotony > MONOTONY_HIGH
    for i in _rows(undefined & (history < CHRONIC_DAYS)):
        days = int(history[i])
        flags[i].append(TriageFlag(
            "acwr_not_enough_history", "info", float(days), float(CHRONIC_DAYS),
            f"ACWR: not enough history ({days} of {CHRONIC_DAYS} days of load)" if days
            else "ACWR: not enough history (no session logged yet)",
            {"days": days, "needed": CHRONIC_DAYS}))
    for i in _rows(undefined & (history >= CHRONIC_DAYS)):
        flags[i].append(TriageFlag("acwr_no_load", "info", None, None,
                                   f"ACWR undefined: no load in the last {CHRONIC_DAYS} days",
                                   {"days": CHRONIC_DAYS}))
    for i in _rows(spike):
        v = float(acwr[i])
        flags[i].append(TriageFlag(
            "acwr_spike", "red", v, ACWR_ALERT,
            f"ACWR {v:.2f} >= {ACWR_ALERT} (high side, Gabbett's danger zone): this week's "
            f"load is {v:.2f}x the 4-week average; {ACWR_NOTE}",
            {"acwr": v, "threshold": ACWR_ALERT}))
    for i in _rows(high):
        v = float(acwr[i])
        flags[i].append(TriageFlag(
            "acwr_high", "amber", v, ACWR_HIGH,
            f"ACWR {v:.2f} above the {ACWR_LOW}-{ACWR_HIGH} band (high side): load rose; "
            f"{ACWR_NOTE}", {"acwr": v, "low": ACWR_LOW, "high": ACWR_HIGH}))
    for i in _rows(low):
        v = float(acwr[i])
        flags[i].append(TriageFlag(
            "acwr_low", "amber", v, ACWR_LOW,
            f"ACWR {v:.2f} below the {ACWR_LOW}-{ACWR_HIGH} band (low side): load dropped; "
            f"{ACWR_NOTE}", {"acwr": v, "low": ACWR_LOW, "high": ACWR_HIGH}))
    for i in _rows(mono):
        v = float(monotony[i])
        flags[i].append(TriageFlag(
            "monotony_high", "amber", v, MONOTONY_HIGH,
            f"monotony {v:.2f} > {MONOTONY_HIGH:g} (Foster 1998): the last 7 days lack easy "
            "days", {"monotony": v, "threshold": MONOTONY_HIGH}))
    for code, what, label, unit in (("strain_spike", "strain", "weekly strain", "AU/week"),
                                    ("load_spike", "load", "the day's load", "AU")):
        z, value, mean = get(f"{what}_z"), get(what), get(f"{what}_mean")
        with np.errstate(invalid="ignore"):
            raised = z >= SPIKE_Z
        for i in _rows(raised):
            flags[i].append(TriageFlag(
                code, "amber", float(z[i]), SPIKE_Z,
                f"{label} {value[i]:.0f} {unit} is {z[i]:.1f} SD above this athlete's last "
                f"{BASELINE_DAYS} days (mean {mean[i]:.0f} {unit})",
                {"value": float(value[i]), "z": float(z[i]), "mean": float(mean[i]),
                 "days": BASELINE_DAYS}))


def _wellness_rules(get: _Columns, items: Sequence[WellnessItem],
                    flags: list[list[TriageFlag]]) -> None:
    gap = get("wellness_gap")
    for i in _rows(gap > 0):
        days = int(gap[i])
        flags[i].append(TriageFlag(
            "wellness_missing", "info", float(days), float(NO_CHECKIN_DAYS),
            f"no wellness report today ({days} day{'s' if days > 1 else ''} without one): "
            "unknown, not fine", {"days": days}))
    total_z = get("total_z")
    with np.errstate(invalid="ignore"):
        total_raised = total_z >= WELLNESS_Z_AMBER
    names = " + ".join(item.name for item in items)
    for i in _rows(total_raised):
        z = float(total_z[i])
        red = z >= WELLNESS_Z_RED
        worst = sorted(((get(f"{it.name}_z")[i], it.name) for it in items), reverse=True)
        named = ", ".join(f"{name} {iz:+.1f}" for iz, name in worst if iz >= WELLNESS_Z_AMBER)
        flags[i].append(TriageFlag(
            "wellness_z_total", "red" if red else "amber", z,
            WELLNESS_Z_RED if red else WELLNESS_Z_AMBER,
            f"wellness ({names}) {z:.1f} SD worse than this athlete's last {BASELINE_DAYS} "
            f"days" + (f" (items 1 SD or more worse: {named})" if named else ""),
            {"z": z, "items": [item.name for item in items], "days": BASELINE_DAYS,
             "worse": [(name, float(iz)) for iz, name in worst if iz >= WELLNESS_Z_AMBER]}))
    for item in items:
        _item_rules(get, item, single=len(items) == 1, flags=flags)
    short = np.zeros(len(gap), dtype=bool)
    fewest = np.full(len(gap), np.inf)
    for item in items:
        count = get(f"{item.name}_n")
        mine = ~np.isnan(get(item.name)) & (count < MIN_BASELINE_OBSERVATIONS)
        short |= mine
        fewest = np.where(mine, np.minimum(fewest, count), fewest)
    for i in _rows(short):
        which = [it.name for it in items if not np.isnan(get(it.name)[i])
                 and get(f"{it.name}_n")[i] < MIN_BASELINE_OBSERVATIONS]
        have = int(fewest[i])
        flags[i].append(TriageFlag(
            "wellness_not_enough_history", "info", float(have),
            float(MIN_BASELINE_OBSERVATIONS),
            f"wellness baseline too short for {', '.join(which)}: {have} of "
            f"{MIN_BASELINE_OBSERVATIONS} reports needed in the last {BASELINE_DAYS} days",
            {"items": which, "have": have, "needed": MIN_BASELINE_OBSERVATIONS,
             "days": BASELINE_DAYS}))


def _item_rules(get: _Columns, item: WellnessItem, single: bool,
                flags: list[list[TriageFlag]]) -> None:
    answer, ours, z, mean = (get(item.name), get(f"{item.name}_ours"), get(f"{item.name}_z"),
                             get(f"{item.name}_mean"))
    scale = item.scale
    with np.errstate(invalid="ignore"):
        # a single item is its own total: the total's 1 / 2 SD rule already reads it
        worse = (z >= ITEM_Z_AMBER) if not single else np.zeros(len(z), dtype=bool)
        poor = ours >= POOR_ANSWER
    for i in _rows(worse):
        flags[i].append(TriageFlag(
            f"wellness_z_{item.name}", "amber", float(z[i]), ITEM_Z_AMBER,
            f"{item.name} {z[i]:.1f} SD worse than this athlete's last {BASELINE_DAYS} days "
            f"(today {answer[i]:g}, usual {scale.from_ours(float(mean[i])):.1f} on "
            f"{scale.describe()})",
            {"item": item.name, "z": float(z[i]), "answer": float(answer[i]),
             "usual": scale.from_ours(float(mean[i])), "days": BASELINE_DAYS, **_scale(item)}))
    for i in _rows(poor):
        flags[i].append(TriageFlag(
            f"wellness_poor_{item.name}", "amber", float(answer[i]),
            scale.from_ours(POOR_ANSWER),
            f"{item.name} {answer[i]:g} on {scale.describe()}: the worst end of the form",
            {"item": item.name, "answer": float(answer[i]), **_scale(item)}))


def _scale(item: WellnessItem) -> dict[str, Any]:
    """The item's scale as flag inputs (what "on 1-5, higher is better" says)."""
    return {"low": item.scale.low, "high": item.scale.high,
            "higher_is_better": item.scale.higher_is_better}


def _converging_rule(flags: list[list[TriageFlag]]) -> None:
    """Red when a load-rise flag and a wellness flag fall on the same day."""
    for own in flags:
        rising = [f.code for f in own if f.code in LOAD_RISE]
        worse = [f.code for f in own if f.code.startswith("wellness_") and f.severity != "info"]
        if rising and worse:
            own.append(TriageFlag(
                "load_and_wellness", "red", None, None,
                f"load rising ({', '.join(rising)}) on a day wellness is worse than usual "
                f"({', '.join(worse)}): both at once", {"rising": rising, "worse": worse}))


def level_counts(days: Sequence[DayReadiness]) -> dict[str, int]:
    """How many days of each level (for summaries)."""
    counts = Counter(day.level for day in days)
    return {level: counts[level] for level in LEVELS}
