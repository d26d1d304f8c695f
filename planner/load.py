"""Daily training load: session-RPE, and wearable TRIMP mapped onto the same scale.

Convention (one, used everywhere in coachloop):

* Session load = CR-10 session RPE x duration in minutes (Foster et al. 2001, J Strength Cond
  Res 15:109-115, "session-RPE method"). 7 x 60 min = 420 AU.
* Daily load = the sum of the day's session loads; a calendar day without a session is 0.
* A day with no session RPE but a wearable TRIMP gets ``ratio x TRIMP``, where ``ratio`` is the
  athlete's own calibration (`calibrate_trimp`). Foster et al. 2001 showed session-RPE and
  heart-rate scores are consistently (linearly) related within a person but differ in absolute
  size, so one per-athlete ratio is the simplest honest mapping. Without enough paired days the
  TRIMP is not mapped and is reported separately (``DailyLoad.trimp_unmapped``), so that two
  scales are never silently mixed.
* Days with any session RPE use session RPE only: the wearable session of the same day is most
  likely the same session, and adding both would count it twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.loadtypes import DailyLoad, SessionLoad

MIN_TRIMP_PAIRS = 5
"""Paired days (session RPE and TRIMP on the same day) needed before TRIMP is mapped."""


def session_rpe_load(rpe: float, minutes: float) -> float:
    """Foster's session-RPE load: CR-10 RPE x minutes, in arbitrary units (AU).

    Source: Foster et al. 2001, J Strength Cond Res 15(1):109-115. ``session_rpe_load(7, 60)``
    is 420 AU.
    """
    if not (0 <= rpe <= 10):
        raise ValueError(f"session RPE must be between 0 and 10 (CR-10 scale), got {rpe}")
    if not (0 <= minutes <= 1440):
        raise ValueError(f"session minutes must be between 0 and 1440, got {minutes}")
    return float(rpe) * float(minutes)


@dataclass(frozen=True, slots=True)
class TrimpCalibration:
    """AU of session-RPE load per unit of TRIMP for one athlete, and how it was estimated.

    ``ratio`` = sum of sRPE / sum of TRIMP over the paired days (the least-squares slope through
    the origin when the error variance grows with the load); ``pairs`` = number of paired days.
    """

    ratio: float
    pairs: int

    def to_srpe(self, trimp: float) -> float:
        """TRIMP mapped to the session-RPE scale."""
        return self.ratio * trimp


def _srpe_of(session: SessionLoad) -> float | None:
    if session.rpe is None or session.minutes is None:
        return None
    return session_rpe_load(session.rpe, session.minutes)


def _per_day(sessions: Iterable[SessionLoad]) -> dict[dt.date, tuple[float | None, float | None]]:
    """(sRPE sum or None, TRIMP sum or None) per day from the sessions that carry them."""
    days: dict[dt.date, tuple[float | None, float | None]] = {}
    for session in sessions:
        srpe, trimp = days.get(session.day, (None, None))
        value = _srpe_of(session)
        if value is not None:
            srpe = value if srpe is None else srpe + value
        elif session.trimp is not None:
            # TRIMP counts only for sessions without RPE x minutes (a session that has both is
            # already on the sRPE scale; its TRIMP is used for calibration below).
            trimp = session.trimp if trimp is None else trimp + session.trimp
        days[session.day] = (srpe, trimp)
    return days


def calibrate_trimp(
    sessions: Iterable[SessionLoad], min_pairs: int = MIN_TRIMP_PAIRS
) -> TrimpCalibration | None:
    """Fit the athlete's TRIMP -> sRPE ratio, or ``None`` with fewer than ``min_pairs`` days.

    A paired day has a positive sRPE total and a positive TRIMP total, where TRIMP is taken from
    every session of the day that carries one (with or without RPE). Why a ratio of sums: it is
    the weighted least-squares slope through the origin, insensitive to one odd short session.
    """
    if min_pairs < 1:
        raise ValueError("min_pairs must be at least 1")
    srpe_sum: dict[dt.date, float] = {}
    trimp_sum: dict[dt.date, float] = {}
    for session in sessions:
        value = _srpe_of(session)
        if value is not None:
            srpe_sum[session.day] = srpe_sum.get(session.day, 0.0) + value
        if session.trimp is not None:
            trimp_sum[session.day] = trimp_sum.get(session.day, 0.0) + session.trimp
    paired = [d for d in srpe_sum if srpe_sum[d] > 0 and trimp_sum.get(d, 0.0) > 0]
    if len(paired) < min_pairs:
        return None
    ratio = sum(srpe_sum[d] for d in paired) / sum(trimp_sum[d] for d in paired)
    return TrimpCalibration(ratio=ratio, pairs=len(paired))


def daily_loads(
    sessions: Iterable[SessionLoad], calibration: TrimpCalibration | None = None
) -> dict[dt.date, DailyLoad]:
    """Per-day load on the sRPE scale for the days that have a usable session.

    Days absent from the result had no usable session and count as 0. A session with neither
    RPE x minutes nor TRIMP carries no load and is ignored (it does not start the history).
    A TRIMP-only day without calibration gets load 0 with ``trimp_unmapped`` set.
    """
    result: dict[dt.date, DailyLoad] = {}
    for day, (srpe, trimp) in sorted(_per_day(sessions).items()):
        if srpe is not None:
            result[day] = DailyLoad(day=day, load=srpe, srpe=srpe, trimp=trimp, source="srpe")
        elif trimp is not None and calibration is not None:
            result[day] = DailyLoad(
                day=day, load=calibration.to_srpe(trimp), srpe=None, trimp=trimp, source="trimp"
            )
        elif trimp is not None:
            result[day] = DailyLoad(
                day=day, load=0.0, srpe=None, trimp=trimp, source="none", trimp_unmapped=trimp
            )
    return result


def load_series(
    loads: dict[dt.date, DailyLoad], first: dt.date, last: dt.date
) -> list[float]:
    """Daily loads for every calendar day from ``first`` to ``last`` inclusive, rest days 0."""
    if last < first:
        return []
    count = (last - first).days + 1
    series = [0.0] * count
    for day, entry in loads.items():
        index = (day - first).days
        if 0 <= index < count:
            series[index] = entry.load
    return series


def first_load_day(loads: dict[dt.date, DailyLoad]) -> dt.date | None:
    """The athlete's first day of history: the earliest day carrying a load record.

    TRIMP-only days that could not be mapped do not start the history (they carry no load on
    the sRPE scale).
    """
    days = [d for d, entry in loads.items() if entry.source != "none"]
    return min(days) if days else None


def sessions_until(sessions: Sequence[SessionLoad], today: dt.date) -> list[SessionLoad]:
    """The sessions on or before ``today`` (metrics never look into the future)."""
    return [s for s in sessions if s.day <= today]
