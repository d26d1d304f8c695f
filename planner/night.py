"""What a wearable's nights say about readiness: sleep hours, HRV and resting heart rate.

Every athlete is compared with themself, as with the self-reports (`planner.wellness`):

* Sleep: a night under `SLEEP_SHORT_H` (7 h) is short, a watch flag; under
  `SLEEP_VERY_SHORT_H` (5 h) an alert. Adults need 7 h or more (Watson et al. 2015, Sleep
  38:843, the AASM/SRS consensus); athletes' performance and mood fall after nights cut to
  about 4-5 h (Fullagar et al. 2015, Sports Med 45:161). Measured hours and the check-in's
  Hooper sleep item are *combined*, the athlete's own rating first: the rating keeps feeding
  the Hooper index and its z-score unchanged, and when the athlete rated that night good
  (1 or 2 of 7) a night of 5-7 h raises nothing (a short sleeper who feels rested) and one
  under 5 h is only a watch. Without a rating the hours decide alone.
* HRV: the mean ln rMSSD of the last 7 days' nights (at least 3 of them, Plews et al. 2014,
  IJSPP 9:783) against the athlete's 30 nights before today (at least 14): below the
  baseline mean minus the smallest worthwhile change, 0.5 x the baseline SD, is a watch
  flag. The 7-day rolling ln rMSSD and that band are the HRV-guided training of Plews et al.
  2012 (Eur J Appl Physiol 112:3729), Vesterinen et al. 2016 (Med Sci Sports Exerc 48:1347)
  and Javaloyes et al. 2019 (IJSPP 14:23), where a week below the band meant easy
  training. One low night moves a 7-day mean by a seventh: the mean is there so that one
  night's noise does not decide.
* Resting heart rate: the night's resting (lowest) heart rate `RESTING_HR_RISE_BPM` (5 bpm)
  or more above the mean of the 30 nights before (at least 14) is a watch flag: a morning
  heart rate more than 5 bpm above the athlete's normal is the classic sign of incomplete
  recovery (Jeukendrup & Van Diemen 1998, J Sports Sci 16:S91).

Nights without a value simply do not count: a missing night is unknown, never "as usual".
The baselines leave today out, so today's deviation is not diluted by itself. Pure: the rows
are read in `bot.services.history`, the same way for a synced night and a CSV's.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping

from planner.loadtypes import Flag, Night, NightSignals

SLEEP_SHORT_H = 7.0
SLEEP_VERY_SHORT_H = 5.0
GOOD_SLEEP_RATING = 2
"""A Hooper sleep answer this good or better (1-7, higher worse) softens the hours flag."""
HRV_WINDOW_DAYS = 7
HRV_MIN_WINDOW_NIGHTS = 3
BASELINE_DAYS = 30
MIN_BASELINE_NIGHTS = 14
SWC_SD = 0.5
"""The smallest worthwhile change of ln rMSSD, in baseline SDs (Plews et al. 2012)."""
RESTING_HR_RISE_BPM = 5.0

SLEEP_SOURCE = (
    "Watson et al. 2015 Sleep 38:843 (>= 7 h for adults); Fullagar et al. 2015 Sports Med "
    "45:161 (< 5 h); softened by a good Hooper sleep rating (coachloop convention)"
)
HRV_SOURCE = (
    "7-day mean ln rMSSD below the 30-night mean - 0.5 SD: Plews et al. 2012 Eur J Appl "
    "Physiol 112:3729; Vesterinen et al. 2016 Med Sci Sports Exerc 48:1347"
)
RESTING_HR_SOURCE = (
    "resting HR >= 5 bpm above the 30-night mean: Jeukendrup & Van Diemen 1998 J Sports Sci "
    "16:S91"
)
#: The night flags that change the day's plan (`planner.daily`): a short night the athlete
#: rated good, or of 5-7 h, is shown to the coach but leaves the session as it is.
PLAN_FLAGS = frozenset({"hrv_low", "resting_hr_high"})


def merge_nights(nights: Iterable[Night]) -> dict[dt.date, Night]:
    """One night per day; a later record's measured values fill what an earlier one lacks.

    Storage already keeps one day summary per day (the first source wins); this only makes
    the function safe for callers that pass several.
    """
    merged: dict[dt.date, Night] = {}
    for night in nights:
        kept = merged.get(night.day)
        if kept is None:
            merged[night.day] = night
            continue
        merged[night.day] = Night(
            night.day,
            sleep_h=kept.sleep_h if kept.sleep_h is not None else night.sleep_h,
            hrv_ms=kept.hrv_ms if kept.hrv_ms is not None else night.hrv_ms,
            resting_hr=kept.resting_hr if kept.resting_hr is not None else night.resting_hr,
        )
    return merged


def _values(by_day: Mapping[dt.date, Night], day: dt.date, days: range, name: str
            ) -> list[float]:
    """The measured ``name`` of the nights ``day - k`` for ``k`` in ``days``."""
    out = []
    for back in days:
        night = by_day.get(day - dt.timedelta(days=back))
        value = None if night is None else getattr(night, name)
        if value is not None:
            out.append(float(value))
    return out


def night_signals(by_day: Mapping[dt.date, Night], day: dt.date) -> NightSignals | None:
    """The signals of ``day`` (module docstring); ``None`` when no night is in any window.

    ``by_day`` is `merge_nights`'s result; nights after ``day`` are never read.
    """
    tonight = by_day.get(day)
    window = [math.log(v) for v in _values(by_day, day, range(HRV_WINDOW_DAYS), "hrv_ms")]
    base = [math.log(v) for v in _values(by_day, day, range(1, BASELINE_DAYS + 1), "hrv_ms")]
    resting = _values(by_day, day, range(1, BASELINE_DAYS + 1), "resting_hr")
    if tonight is None and not window and not base and not resting:
        return None
    hrv_7d = statistics.fmean(window) if len(window) >= HRV_MIN_WINDOW_NIGHTS else None
    hrv_mean = hrv_sd = change = None
    low = False
    if len(base) >= MIN_BASELINE_NIGHTS:
        hrv_mean, hrv_sd = statistics.fmean(base), statistics.stdev(base)
        if hrv_7d is not None:
            change = math.exp(hrv_7d - hrv_mean) - 1.0
            low = hrv_sd > 0 and hrv_7d < hrv_mean - SWC_SD * hrv_sd
    rest_today = tonight.resting_hr if tonight is not None else None
    rest_mean = statistics.fmean(resting) if len(resting) >= MIN_BASELINE_NIGHTS else None
    rise = None if rest_today is None or rest_mean is None else rest_today - rest_mean
    return NightSignals(
        day=day,
        sleep_h=tonight.sleep_h if tonight is not None else None,
        hrv_nights=len(window),
        hrv_7d_ln=hrv_7d,
        hrv_baseline_ln=hrv_mean,
        hrv_baseline_sd=hrv_sd,
        hrv_baseline_nights=len(base),
        hrv_change=change,
        hrv_low=low,
        resting_hr=rest_today,
        resting_hr_baseline=rest_mean,
        resting_hr_rise=rise,
        resting_hr_high=rise is not None and rise >= RESTING_HR_RISE_BPM,
    )


def _sleep_flag(hours: float, rating: int | None) -> Flag | None:
    rated_good = rating is not None and rating <= GOOD_SLEEP_RATING
    if hours < SLEEP_VERY_SHORT_H:
        level, threshold = ("watch" if rated_good else "alert"), SLEEP_VERY_SHORT_H
    elif hours < SLEEP_SHORT_H and not rated_good:
        level, threshold = "watch", SLEEP_SHORT_H
    else:
        return None
    rated = " (rated good by the athlete)" if rated_good else ""
    return Flag("sleep_short", level, hours, threshold, SLEEP_SOURCE,
                f"Slept {hours:.1f} h last night{rated}, under {threshold:g} h.",
                {"sleep_short": hours})


def night_flags(signals: NightSignals | None, sleep_rating: int | None = None
                ) -> tuple[Flag, ...]:
    """The flags of one day's night signals; ``sleep_rating`` is that day's Hooper sleep
    answer (1-7, higher worse), ``None`` when the athlete gave none (module docstring)."""
    if signals is None:
        return ()
    flags = []
    if signals.sleep_h is not None:
        sleep = _sleep_flag(signals.sleep_h, sleep_rating)
        if sleep is not None:
            flags.append(sleep)
    if signals.hrv_low and signals.hrv_change is not None and signals.hrv_baseline_sd:
        band = math.exp(-SWC_SD * signals.hrv_baseline_sd) - 1.0
        flags.append(Flag(
            "hrv_low", "watch", round(100 * signals.hrv_change, 1), round(100 * band, 1),
            HRV_SOURCE,
            f"HRV (7-night mean) is {-signals.hrv_change:.0%} below this athlete's 30-night "
            f"baseline, beyond the smallest worthwhile change ({-band:.0%}).",
            {"hrv_low": round(100 * signals.hrv_change, 1)}))
    if signals.resting_hr_high and signals.resting_hr_rise is not None:
        flags.append(Flag(
            "resting_hr_high", "watch", round(signals.resting_hr_rise, 1), RESTING_HR_RISE_BPM,
            RESTING_HR_SOURCE,
            f"Resting heart rate is {signals.resting_hr_rise:.0f} bpm above this athlete's "
            f"30-night baseline (>= {RESTING_HR_RISE_BPM:g}).",
            {"resting_hr_high": round(signals.resting_hr_rise, 1)}))
    return tuple(flags)


PLAN_HRV_SWC = 2.0
"""How many smallest worthwhile changes low HRV alone must fall for the plan to ease: one SWC
(0.5 SD of the nightly ln rMSSD) is what the coach is shown, but the 7-night mean of pure
night-to-night noise (SD 0.08, resting HR 48 +- 1) crosses it on 25-31 days of 365 (three
seeded synthetic years), which would ease a healthy athlete's session most weeks. Two SWC
(1 SD) was crossed on 0-1 days of those years (the test holds it to a few); HRV beyond one
SWC still eases the day when another night flag (resting HR, very short sleep) agrees."""


def _hrv_beyond(flag: Flag, swcs: float) -> bool:
    """Whether a ``hrv_low`` flag's drop exceeds ``swcs`` SWC (its threshold is one SWC as a
    share: exp(-0.5 SD) - 1, so k SWC is (1 + threshold) ** k - 1)."""
    band = (1.0 + flag.threshold / 100.0) ** swcs - 1.0
    return flag.value / 100.0 < band


def plan_flags(flags: Iterable[Flag]) -> tuple[Flag, ...]:
    """The night flags that ease the day's session: a raised resting heart rate, sleep only
    at alert (under 5 h without a good rating), and low HRV when it is clear (`PLAN_HRV_SWC`)
    or another of these agrees; `PLAN_FLAGS`."""
    flags = tuple(flags)
    others = tuple(f for f in flags if f.code in PLAN_FLAGS - {"hrv_low"}
                   or (f.code == "sleep_short" and f.level == "alert"))
    hrv = tuple(f for f in flags if f.code == "hrv_low"
                and (others or _hrv_beyond(f, PLAN_HRV_SWC)))
    return tuple(f for f in flags if f in others or f in hrv)
