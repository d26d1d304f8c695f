"""Threshold flags on the load and wellness metrics, and the readiness colour they add up to.

Every flag carries its threshold and the source of that threshold. Readiness rule (coachloop
convention): ``"alert"`` if any flag is an alert, else ``"watch"`` if any flag is raised, else
``"green"``. Flags describe load and self-reported state; none is an injury prediction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from planner.frbi import FRBI_THRESHOLD, Frbi
from planner.loadtypes import Flag

ACWR_LOW = 0.8
ACWR_HIGH = 1.3
ACWR_ALERT = 1.5
MONOTONY_HIGH = 2.0
STRAIN_HIGH = 6000.0
WELLNESS_Z_WATCH = 1.0
WELLNESS_Z_ALERT = 2.0
HOOPER_HIGH = 12.0

ACWR_SOURCE = (
    "Gabbett 2016 Br J Sports Med 50:273 (0.8-1.3 band, >=1.5); descriptive only: "
    "Impellizzeri et al. 2020 IJSPP 15:907"
)
ACWR_NOTE = "a description of load change, not an injury predictor"
MONOTONY_SOURCE = "Foster 1998 Med Sci Sports Exerc 30:1164 (monotony > 2)"
STRAIN_SOURCE = (
    "coachloop heuristic (6000 AU/week) after Foster 1998: illness followed individual strain "
    "peaks; not a validated universal cut-off"
)
WELLNESS_Z_SOURCE = (
    "coachloop convention (z >= 1 watch, >= 2 alert) on the athlete's own 28-day baseline; "
    "Saw, Main & Gastin 2016 Br J Sports Med 50:281"
)
HOOPER_SOURCE = "Hooper & Mackinnon 1995 Sports Med 20:321 (index); > 12 is coachloop's cut-off"
FRBI_SOURCE = "CNN-LightGBM-SHAP prescription paper: FRBI > 1.2 cuts load 15-20% for 3-5 days"


def _acwr_flags(acwr: float | None) -> list[Flag]:
    if acwr is None:
        return []
    if acwr >= ACWR_ALERT:
        return [
            Flag("acwr_spike", "alert", acwr, ACWR_ALERT, ACWR_SOURCE,
                 f"This week's load is {acwr:.2f}x the 4-week average (>= {ACWR_ALERT}): "
                 f"a sharp rise; {ACWR_NOTE}.", {"acwr": acwr, "threshold": ACWR_ALERT}),
        ]
    if acwr > ACWR_HIGH:
        return [
            Flag("acwr_high", "watch", acwr, ACWR_HIGH, ACWR_SOURCE,
                 f"This week's load is {acwr:.2f}x the 4-week average (above {ACWR_HIGH}); "
                 f"{ACWR_NOTE}.", {"acwr": acwr, "threshold": ACWR_HIGH}),
        ]
    if acwr < ACWR_LOW:
        return [
            Flag("acwr_low", "watch", acwr, ACWR_LOW, ACWR_SOURCE,
                 f"This week's load is {acwr:.2f}x the 4-week average (below {ACWR_LOW}): "
                 f"a drop in load; {ACWR_NOTE}.", {"acwr": acwr, "threshold": ACWR_LOW}),
        ]
    return []


def _wellness_flags(z: Mapping[str, float]) -> list[Flag]:
    flags = []
    for name, value in z.items():
        if value >= WELLNESS_Z_ALERT:
            level, threshold = "alert", WELLNESS_Z_ALERT
        elif value >= WELLNESS_Z_WATCH:
            level, threshold = "watch", WELLNESS_Z_WATCH
        else:
            continue
        label = "Hooper index" if name == "hooper" else name
        flags.append(
            Flag(f"wellness_z_{name}", level, value, threshold, WELLNESS_Z_SOURCE,
                 f"{label.capitalize()} is {value:.1f} SD worse than this athlete's usual "
                 f"(last 28 days).", {"item": name, "z": value, "days": 28})
        )
    return flags


def load_flags(
    acwr: float | None,
    monotony: float | None,
    strain: float | None,
    wellness_z: Mapping[str, float],
    hooper: float | None,
    frbi: Frbi | None,
) -> tuple[Flag, ...]:
    """All flags raised by one day's metrics, in a stable order.

    ``acwr`` is the coupled rolling ACWR: the 0.8-1.3 band was derived from rolling averages
    (Gabbett 2016), so the flag uses the same form.
    """
    flags = _acwr_flags(acwr)
    if monotony is not None and monotony > MONOTONY_HIGH:
        flags.append(
            Flag("monotony_high", "watch", monotony, MONOTONY_HIGH, MONOTONY_SOURCE,
                 f"Training monotony is {monotony:.2f} (above {MONOTONY_HIGH}): the week lacks "
                 "easy days.", {"monotony": monotony, "threshold": MONOTONY_HIGH})
        )
    if strain is not None and strain > STRAIN_HIGH:
        flags.append(
            Flag("strain_high", "watch", strain, STRAIN_HIGH, STRAIN_SOURCE,
                 f"Weekly strain is {strain:.0f} AU (above {STRAIN_HIGH:.0f}).",
                 {"strain": strain, "threshold": STRAIN_HIGH})
        )
    flags.extend(_wellness_flags(wellness_z))
    if hooper is not None and hooper > HOOPER_HIGH:
        flags.append(
            Flag("hooper_high", "watch", hooper, HOOPER_HIGH, HOOPER_SOURCE,
                 f"Hooper index is {hooper:.0f} (above {HOOPER_HIGH:.0f} of 28).",
                 {"hooper": hooper, "threshold": HOOPER_HIGH})
        )
    if frbi is not None and frbi.value > FRBI_THRESHOLD:
        basis = (
            "load and wellness" if frbi.wellness_factor is not None
            else "load only: no wellness baseline yet"
        )
        flags.append(
            Flag("frbi_high", "alert", frbi.value, FRBI_THRESHOLD, FRBI_SOURCE,
                 f"Fatigue outweighs recovery (FRBI {frbi.value:.2f} > {FRBI_THRESHOLD}, "
                 f"{basis}).", {"frbi": frbi.value, "threshold": FRBI_THRESHOLD,
                                "wellness": frbi.wellness_factor is not None})
        )
    return tuple(flags)


def readiness(flags: Iterable[Flag]) -> str:
    """``"alert"`` if any alert flag, else ``"watch"`` if any flag, else ``"green"``."""
    levels = {flag.level for flag in flags}
    if "alert" in levels:
        return "alert"
    if "watch" in levels:
        return "watch"
    return "green"
