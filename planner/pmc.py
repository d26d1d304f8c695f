"""Performance-management chart: chronic (CTL) and acute (ATL) training load and balance (TSB).

Convention (Coggan's PMC, an exponentially weighted form of Banister's fitness-fatigue model):

    CTL_t = CTL_{t-1} + (load_t - CTL_{t-1}) / 42
    ATL_t = ATL_{t-1} + (load_t - ATL_{t-1}) / 7
    TSB_t = CTL_{t-1} - ATL_{t-1}

with CTL and ATL both 0 the day before the athlete's first day, so TSB on day 0 is 0. TSB uses
yesterday's values: it is the "form" an athlete brings into today's session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CTL_DAYS = 42
ATL_DAYS = 7


@dataclass(frozen=True, slots=True)
class PmcPoint:
    """CTL, ATL and TSB on one day."""

    ctl: float
    atl: float
    tsb: float


def pmc(loads: Sequence[float]) -> list[PmcPoint]:
    """CTL/ATL/TSB for each day of ``loads`` (first day of history to today, rest days 0)."""
    ctl = atl = 0.0
    out: list[PmcPoint] = []
    for load in loads:
        tsb = ctl - atl
        ctl = ctl + (load - ctl) / CTL_DAYS
        atl = atl + (load - atl) / ATL_DAYS
        out.append(PmcPoint(ctl=ctl, atl=atl, tsb=tsb))
    return out
