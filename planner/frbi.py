"""Fatigue-recovery balance index (FRBI): coachloop's one definition.

The CNN-LightGBM-SHAP prescription paper (seed: "cnn-lightgbm-shap-prescription") cuts load by
15-20 % for 3-5 days when "FRBI > 1.2" but does not define the index. coachloop defines it as
acute over chronic load, scaled by how today's wellness compares with the athlete's own:

    FRBI_t = (mean load of the last 7 days / mean load of the last 28 days)
             x (Hooper_t / mean Hooper index over the 28 days before t)

* The load part is the coupled rolling ACWR (`planner.acwr.acwr_rolling`): > 1 when recent load
  exceeds the usual. Why not the PMC's ATL / CTL: with time constants 7 and 42 days, CTL needs
  about four months to settle, and ATL / CTL swings by +-20 % inside a perfectly steady weekly
  microcycle (0.99-1.42 for a repeated 4-6-0-5-7-0-3 RPE week, tested), so "> 1.2" would fire in
  steady training. A 7-day mean is exactly 1.0 x the 28-day mean for any repeated week.
* The wellness part, Hooper_t / baseline: > 1 when the athlete reports worse sleep, stress,
  fatigue or soreness than usual (Hooper & Mackinnon 1995), i.e. recovery lags.

FRBI = 1 is balance; > 1.2 means fatigue outweighs recovery by 20 %, the paper's cut-off.

Missing parts: the load part is required, so FRBI is ``None`` whenever the rolling ACWR is
(before 28 days of history, or no load in the last 28 days). The wellness part is optional:
when today's Hooper index or its baseline (>= 7 days) is missing, the factor is taken as 1 (no
evidence either way) and reported as missing (``wellness_factor is None``), so the FRBI is then
the load ratio alone and the flag text says so.
"""

from __future__ import annotations

from dataclasses import dataclass

FRBI_THRESHOLD = 1.2


@dataclass(frozen=True, slots=True)
class Frbi:
    """The index and its parts; ``wellness_factor`` is ``None`` when it was not available."""

    value: float
    load_ratio: float
    wellness_factor: float | None


def frbi(
    acwr_rolling: float | None, hooper_today: float | None, hooper_baseline: float | None
) -> Frbi | None:
    """FRBI as defined in the module docstring, or ``None`` when the load part is undefined."""
    if acwr_rolling is None:
        return None
    factor: float | None = None
    if hooper_today is not None and hooper_baseline is not None and hooper_baseline > 0:
        factor = hooper_today / hooper_baseline
    return Frbi(
        value=acwr_rolling * (1.0 if factor is None else factor),
        load_ratio=acwr_rolling,
        wellness_factor=factor,
    )
