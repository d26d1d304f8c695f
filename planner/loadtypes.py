"""Typed inputs and outputs of the training-load analytics (plain frozen dataclasses).

These are the contract between the load analytics (`planner.readiness`), the planner, the
coach-facing replies and the charts. They hold no behaviour beyond validation, so any layer
can build them from check-ins, wearable activities or a CSV.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

WELLNESS_ITEMS = ("sleep", "stress", "fatigue", "soreness")
"""The four Hooper items (Hooper & Mackinnon 1995), each 1 (very good) .. 7 (very bad)."""

LEVELS = ("watch", "alert")
READINESS = ("green", "watch", "alert")


@dataclass(frozen=True, slots=True)
class SessionLoad:
    """One training session as reported (check-in) or recorded (wearable).

    ``rpe`` is the CR-10 session rating (0-10, Foster et al. 2001) and ``minutes`` the session
    duration; together they give the session-RPE load. ``trimp`` is a heart-rate TRIMP from a
    wearable (e.g. Banister's), used only on days without any session RPE, through the
    athlete's calibration (`planner.load.calibrate_trimp`). A reported rest day is a session
    with ``rpe=0`` or ``minutes=0``.
    """

    day: dt.date
    rpe: float | None
    minutes: float | None
    trimp: float | None = None

    def __post_init__(self) -> None:
        if self.rpe is not None and not (math.isfinite(self.rpe) and 0 <= self.rpe <= 10):
            raise ValueError(f"session RPE must be between 0 and 10 (CR-10 scale), got {self.rpe}")
        if self.minutes is not None and not (
            math.isfinite(self.minutes) and 0 <= self.minutes <= 1440
        ):
            raise ValueError(f"session minutes must be between 0 and 1440, got {self.minutes}")
        if self.trimp is not None and not (math.isfinite(self.trimp) and self.trimp >= 0):
            raise ValueError(f"TRIMP must be a non-negative number, got {self.trimp}")


@dataclass(frozen=True, slots=True)
class WellnessDay:
    """One day's Hooper wellness items, each 1 (very good) .. 7 (very bad); ``None`` = not said.

    ``sleep`` is sleep *quality* on the Hooper scale (not hours).
    """

    day: dt.date
    sleep: int | None
    stress: int | None
    fatigue: int | None
    soreness: int | None

    def __post_init__(self) -> None:
        for name in WELLNESS_ITEMS:
            value = getattr(self, name)
            if value is not None and not (1 <= value <= 7):
                raise ValueError(f"{name} must be between 1 and 7 (Hooper scale), got {value}")


@dataclass(frozen=True, slots=True)
class Night:
    """One night as a wearable measured it (a day summary: a synced night or a CSV row).

    ``day`` is the morning the night ends on (Oura's ``day``, intervals.icu's wellness date, a
    day CSV's date). ``sleep_h`` is hours asleep, ``hrv_ms`` the night's rMSSD and
    ``resting_hr`` its resting (lowest) heart rate; ``None`` = not measured. Estimates a reader
    made for missing values are not measurements and are never put here.
    """

    day: dt.date
    sleep_h: float | None = None
    hrv_ms: float | None = None
    resting_hr: float | None = None

    def __post_init__(self) -> None:
        bounds = {"sleep_h": (0.0, 24.0), "hrv_ms": (1.0, 500.0), "resting_hr": (25.0, 150.0)}
        for name, (low, high) in bounds.items():
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and low <= value <= high):
                raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value}")


@dataclass(frozen=True, slots=True)
class NightSignals:
    """What one day's nights say against the athlete's own baseline (`planner.night`).

    ``sleep_h`` and ``resting_hr`` are the night ending on ``day`` (``None`` without one);
    ``hrv_7d_ln`` is the mean ln rMSSD of the nights of the last 7 days, ``hrv_baseline_ln``
    and ``hrv_baseline_sd`` the mean and sample SD of ln rMSSD over the 30 nights before
    ``day``, ``hrv_change`` the 7-day mean against that baseline as a fraction of rMSSD
    (-0.12 = 12 % below); ``resting_hr_rise`` is the night's resting heart rate minus the
    baseline nights' mean (bpm). ``hrv_low`` and ``resting_hr_high`` say whether the
    threshold was crossed; every number is ``None`` when undefined (too few nights).
    """

    day: dt.date
    sleep_h: float | None = None
    hrv_nights: int = 0
    hrv_7d_ln: float | None = None
    hrv_baseline_ln: float | None = None
    hrv_baseline_sd: float | None = None
    hrv_baseline_nights: int = 0
    hrv_change: float | None = None
    hrv_low: bool = False
    resting_hr: float | None = None
    resting_hr_baseline: float | None = None
    resting_hr_rise: float | None = None
    resting_hr_high: bool = False


@dataclass(frozen=True, slots=True)
class Flag:
    """One threshold crossed: what, how serious, the value against the threshold, and why.

    ``level`` is ``"watch"`` or ``"alert"``; ``source`` names the paper or convention the
    threshold comes from; ``message`` is the English coach-facing sentence (English replies and
    logs); ``inputs`` hold what the sentence says (the rule's numbers and names), so the bot can
    word it in the reader's language without parsing English.
    """

    code: str
    level: str
    value: float
    threshold: float
    source: str
    message: str
    inputs: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"flag level must be one of {LEVELS}, got {self.level!r}")


@dataclass(frozen=True, slots=True)
class DailyLoad:
    """One calendar day's load on the session-RPE scale (arbitrary units, AU).

    ``srpe`` sums the day's RPE x minutes; ``trimp`` sums the day's wearable TRIMP; ``load`` is
    what the metrics use (``srpe`` when the day has any session RPE, else calibrated TRIMP,
    else 0); ``source`` is ``"srpe"``, ``"trimp"`` or ``"none"``; ``trimp_unmapped`` is TRIMP
    that could not be put on the sRPE scale (no calibration yet), reported separately.
    """

    day: dt.date
    load: float
    srpe: float | None
    trimp: float | None
    source: str
    trimp_unmapped: float | None = None


@dataclass(frozen=True, slots=True)
class LoadMetrics:
    """Every load and readiness number for one athlete and one day.

    ``None`` means "undefined by the metric's own definition" (see each function's
    docstring), never "zero". ``wellness_z`` holds only the items whose z-score is defined.
    ``frbi_wellness`` is the wellness factor used in the FRBI (``None`` when it was not
    available and the FRBI is the load ratio alone). ``night`` is what the wearable's nights
    say that day (`planner.night`; ``None`` without any night in its windows). ACWR describes
    load; it is not an injury predictor (Impellizzeri et al. 2020).
    """

    day: dt.date
    load: float
    acwr_rolling: float | None
    acwr_ewma: float | None
    monotony: float | None
    strain: float | None
    ctl: float
    atl: float
    tsb: float
    hooper: float | None
    wellness_z: dict[str, float]
    frbi: float | None
    flags: tuple[Flag, ...]
    readiness: str
    frbi_wellness: float | None = None
    trimp_unmapped: float | None = None
    days_of_history: int = 0
    night: NightSignals | None = None
