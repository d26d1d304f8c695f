"""The 25-feature observation, for simulated athletes and for real ones alike.

The PPO paper (Bo 2025, section 3.3) uses a 25-dimensional state of heart rate, muscle fatigue,
joint indicators and psychological scores. Ours is built by one function, `encode`, from values
a real athlete's stored data also gives (resting HR, HRV, daily loads, wellness, sentiment,
body), so that a policy trained in the simulator can be asked about a real person through
`observation_from_history`. Features are scaled to roughly [-1, 1] (paper Eq. 4, z-scores
around population values) and clipped to [-5, 5].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from planner.sim.body import body_load_table
from planner.sim.dynamics import H_REF, LOAD_REF, load_metrics

OBS_DIM = 25
OBS_CLIP = 5.0
FEATURES = (
    "resting_hr", "ln_rmssd", "muscle_fatigue", "vo2max", "psych", "sentiment_trend",
    "joint_knee", "joint_hip", "joint_shoulder", "joint_lumbar", "acute_load", "chronic_load",
    "acwr", "monotony", "strain", "days_since_rest", "fitness", "last_load", "injured",
    "dow_sin", "dow_cos", "sex_female", "bmi", "height", "body_load",
)
# Population-default impulse-response constants used when the individual ones are unknown.
DEFAULT_TAU_FITNESS = 42.0
DEFAULT_TAU_FATIGUE = 7.0


def encode(
    *,
    resting_hr: float,
    ln_rmssd: float,
    fatigue_h: float,
    fitness_g: float,
    vo2max: float,
    psych: float,
    sentiment_trend: float,
    joints: np.ndarray,
    loads: np.ndarray,
    days_since_rest: int,
    injured: bool,
    day_of_week: int,
    sex: str,
    height_m: float,
    mass_kg: float,
) -> np.ndarray:
    """Scale the raw values into the 25-feature observation (order = `FEATURES`)."""
    acute, chronic, acwr, monotony, strain = load_metrics(np.asarray(loads, dtype=np.float64))
    body = body_load_table(sex, height_m, mass_kg)
    dow = 2.0 * np.pi * (day_of_week % 7) / 7.0
    x = np.array(
        [
            (resting_hr - 65.0) / 15.0,
            (ln_rmssd - 4.0) / 0.6,
            fatigue_h / H_REF - 1.0,
            (vo2max - 45.0) / 10.0,
            (psych - 3.0) / 2.0,
            sentiment_trend,
            *(np.asarray(joints, dtype=np.float64) / 3.0),
            acute / LOAD_REF - 1.0,
            chronic / LOAD_REF - 1.0,
            acwr - 1.0,
            monotony / 2.0 - 1.0,
            strain / 1000.0 - 1.0,
            days_since_rest / 7.0,
            fitness_g / (LOAD_REF * DEFAULT_TAU_FITNESS) - 1.0,
            float(loads[-1]) / LOAD_REF,
            1.0 if injured else 0.0,
            np.sin(dow),
            np.cos(dow),
            1.0 if sex == "F" else 0.0,
            (mass_kg / height_m**2 - 22.0) / 4.0,
            (height_m - 1.70) / 0.10,
            float(body.mean()) / 3.0 - 1.0,
        ]
    )
    return np.clip(x, -OBS_CLIP, OBS_CLIP).astype(np.float32)


def observation_from_history(
    *,
    resting_hr: float,
    hrv_rmssd_ms: float,
    daily_loads: Sequence[float],
    wellness: float,
    sentiment_trend: float,
    sex: str,
    height_m: float,
    mass_kg: float,
    days_since_rest: int,
    vo2max: float | None = None,
    injured: bool = False,
    day_of_week: int = 0,
    recent_joint_load: Sequence[float] | None = None,
) -> np.ndarray:
    """The simulator's observation for a REAL athlete, from plain stored values.

    ``daily_loads``: Banister TRIMP per day, oldest first, rest days as 0 (at least 7 days; up to
    the last 120 are used; fewer than 28 are padded with their mean). `planner.sim.dynamics.trimp`
    turns a session's minutes and HR-reserve fraction into TRIMP. ``wellness``: psychological
    score on the paper's 1-5 scale (5 = best). ``sentiment_trend``: recent mean sentiment in
    [-1, 1]. ``vo2max`` defaults to the paper's baseline 45 ml/kg/min. ``recent_joint_load``:
    the four joint-group exposures of the last session if known (else estimated as a balanced
    session of the last day's load on this body type). Fitness and fatigue are the Banister
    filters with population-default time constants (42 d, 7 d) run over the given loads.
    """
    loads = np.asarray(list(daily_loads), dtype=np.float64)[-120:]
    if loads.size < 7:
        raise ValueError("need at least 7 days of daily loads (use 0 for rest days)")
    if np.any(loads < 0) or not np.all(np.isfinite(loads)):
        raise ValueError("daily loads must be finite and non-negative")
    if not 1.0 <= wellness <= 5.0:
        raise ValueError("wellness is the 1-5 psychological score (5 = best)")
    if hrv_rmssd_ms <= 0:
        raise ValueError("HRV rMSSD must be positive (milliseconds)")
    g = h = 0.0
    for w in loads:
        g = g * np.exp(-1.0 / DEFAULT_TAU_FITNESS) + w
        h = h * np.exp(-1.0 / DEFAULT_TAU_FATIGUE) + w
    window = loads[-28:]
    if window.size < 28:
        window = np.concatenate([np.full(28 - window.size, window.mean()), window])
    if recent_joint_load is None:
        body = body_load_table(sex, height_m, mass_kg)
        joints = body.mean(axis=0) * 0.9 * min(float(loads[-1]) / 60.0, 2.0)
    else:
        joints = np.asarray(list(recent_joint_load), dtype=np.float64)
        if joints.shape != (4,):
            raise ValueError("recent_joint_load has 4 values: knee, hip, shoulder, lumbar")
    return encode(
        resting_hr=resting_hr,
        ln_rmssd=float(np.log(hrv_rmssd_ms)),
        fatigue_h=h,
        fitness_g=g,
        vo2max=45.0 if vo2max is None else vo2max,
        psych=wellness,
        sentiment_trend=float(np.clip(sentiment_trend, -1.0, 1.0)),
        joints=joints,
        loads=window,
        days_since_rest=days_since_rest,
        injured=injured,
        day_of_week=day_of_week,
        sex=sex,
        height_m=height_m,
        mass_kg=mass_kg,
    )
