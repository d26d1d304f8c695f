"""Fatigue-recovery balance index (FRBI): coachloop's one definition.

The CNN-LightGBM-SHAP prescription paper (seed: "cnn-lightgbm-shap-prescription") cuts load by
15-20 % for 3-5 days when "FRBI > 1.2" but does not define the index. coachloop defines it as
acute over chronic load, scaled by how today's wellness compares with the athlete's own:

    FRBI_t = (ATL_t / CTL_t) x (Hooper_t / mean Hooper over the 28 days before t)

* ATL_t / CTL_t: the PMC's 7-day and 42-day exponentially weighted loads after today's load
  (`planner.pmc`), i.e. fatigue relative to fitness; > 1 when recent load exceeds the usual.
* Hooper_t / baseline: > 1 when the athlete reports worse sleep, stress, fatigue or soreness than
  usual (Hooper & Mackinnon 1995), so recovery lags.

FRBI = 1 is balance; > 1.2 means fatigue outweighs recovery by 20 %, the paper's cut-off.

Missing parts: the load part is required: FRBI is ``None`` before 28 days of history (CTL is
still ramping up from 0, which inflates ATL / CTL: 6.0 on day 0) or when CTL is 0. The wellness
part is optional: when today's Hooper index or its baseline (>= 7 days) is missing, the factor
is taken as 1 (no evidence either way) and reported as missing, so the FRBI is then the load
ratio alone and the flag text says so.
"""

from __future__ import annotations

from dataclasses import dataclass

FRBI_THRESHOLD = 1.2
MIN_HISTORY_DAYS = 28


@dataclass(frozen=True, slots=True)
class Frbi:
    """The index and its parts; ``wellness_factor`` is ``None`` when it was not available."""

    value: float
    load_ratio: float
    wellness_factor: float | None


def frbi(
    atl: float,
    ctl: float,
    days_of_history: int,
    hooper_today: float | None,
    hooper_baseline: float | None,
) -> Frbi | None:
    """FRBI as defined in the module docstring, or ``None`` when the load part is undefined."""
    if days_of_history < MIN_HISTORY_DAYS or ctl <= 0:
        return None
    load_ratio = atl / ctl
    factor: float | None = None
    if hooper_today is not None and hooper_baseline is not None and hooper_baseline > 0:
        factor = hooper_today / hooper_baseline
    return Frbi(
        value=load_ratio * (1.0 if factor is None else factor),
        load_ratio=load_ratio,
        wellness_factor=factor,
    )
