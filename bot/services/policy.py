"""Ask the shipped PPO scheduling policy about a real athlete, and why it answers so.

The athlete's stored history becomes the simulator's 25-feature state
(`planner.sim.observation.observation_from_history`); the policy's intensity and volume
outputs are compared with its outputs for a typical athlete (the all-zero standardised
state), and each difference, scaled to at most +/-5 %, is proposed to the daily planner,
whose rules guard it; so is the modality whose share of the mix it raises most. SHAP on the
policy (`models.policy_explain`) names the state features behind each difference.

Only days before ``day`` are used, so a plan asked for in the morning and in the evening is the
same decision.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from models.policy_explain import explain_outputs
from planner.daily import PolicyProposal
from planner.explanation import ShapFactor
from planner.sim.athletes import MODALITIES
from planner.sim.dynamics import decode_action, trimp
from planner.sim.observation import FEATURES, observation_from_history
from storage.schema import Activity, CheckIn, Person

log = logging.getLogger(__name__)

MAX_CHANGE = 0.05
MIN_DAYS = 7
INTENSITY = 0  # indices in the 8-value action (planner.sim.dynamics.decode_action)
VOLUME = 1
MIN_LEAN = 0.05  # a modality share this much above a typical athlete's counts as a lean


@lru_cache(maxsize=2)
def _policy(path: str) -> Any:
    # torch and stable-baselines3 load only when a policy is used (PlanningConfig.use_policy)
    from models.ppo import load_policy

    return load_policy(Path(path))


def daily_trimp(
    person: Person, checkins: Sequence[CheckIn], activities: Sequence[Activity],
    first: dt.date, last: dt.date,
) -> list[float]:
    """TRIMP per day from ``first`` to ``last``: check-ins (RPE as %HRR) or wearable TRIMP."""
    sex = "F" if person.sex == "F" else "M"
    by_day: dict[dt.date, float] = {}
    for row in checkins:
        if row.rpe is not None and row.minutes:
            by_day[row.day] = by_day.get(row.day, 0.0) + trimp(row.minutes, row.rpe / 10, sex)
    for activity in activities:
        if activity.day is not None and activity.day not in by_day and activity.trimp_banister:
            by_day[activity.day] = activity.trimp_banister
    span = (last - first).days + 1
    return [by_day.get(first + dt.timedelta(days=i), 0.0) for i in range(max(span, 0))]


def _psych(checkins: Sequence[CheckIn], day: dt.date) -> float:
    """Hooper items (1 best .. 7 worst) as the paper's 1-5 psychological score (5 best)."""
    for row in reversed(checkins):
        if (day - row.day).days > 3:
            break
        items = [v for v in (row.sleep_quality, row.stress, row.fatigue, row.soreness) if v]
        if items:
            return 5.0 - (sum(items) / len(items) - 1.0) * 4.0 / 6.0
    return 3.0


HRV_DAYS = 14  # a heart-rate variability reading older than this says nothing about today


def rest_and_hrv(person: Person, day: dt.date, activities: Sequence[Activity],
                 day_summaries: Sequence[Activity] = ()) -> tuple[float, float | None]:
    """The policy's resting heart rate and HRV (RMSSD, ms) for ``day``.

    A wearable's nights (day summaries: Oura, intervals.icu's wellness, a day CSV) are read
    first, as measured at rest overnight; values the import estimated (``extra.imputed``) are
    not measurements and are skipped. Then a session file's RMSSD, then the profile's resting
    heart rate (65 bpm if none). Only the last `HRV_DAYS` days count.
    """
    recent = sorted((a for a in day_summaries if a.day is not None and a.day < day
                     and (day - a.day).days <= HRV_DAYS), key=lambda a: (a.day, a.id))
    hrv = None
    resting = float(person.hr_rest or 65.0)
    for row in recent:
        estimated = (row.extra or {}).get("imputed") or {}
        if row.rmssd_ms and "hrv_ms" not in estimated:
            hrv = float(row.rmssd_ms)
        value = (row.extra or {}).get("resting_hr")
        if isinstance(value, int | float) and "resting_hr" not in estimated and value > 0:
            resting = float(value)
    if hrv is None:
        files = sorted((a.day, float(a.rmssd_ms)) for a in activities
                       if a.rmssd_ms and a.day is not None and 0 < (day - a.day).days <= HRV_DAYS)
        hrv = files[-1][1] if files else None  # the newest reading
    return resting, hrv


def propose_for(
    person: Person,
    day: dt.date,
    checkins: Sequence[CheckIn],
    activities: Sequence[Activity],
    policy_path: Path,
    *,
    injured: bool = False,
    day_summaries: Sequence[Activity] = (),
) -> PolicyProposal | None:
    """The policy's proposal for ``day``, or None with too little history (< 7 days)."""
    from models.ppo import propose  # torch: see _policy

    past = [c for c in checkins if c.day < day]
    acts = [a for a in activities if a.day is not None and a.day < day]
    days = [c.day for c in past] + [a.day for a in acts if a.day is not None]
    if not days or (day - min(days)).days < MIN_DAYS:
        return None
    loads = daily_trimp(person, past, acts, min(days), day - dt.timedelta(days=1))
    rest_run = 0
    for load in reversed(loads):
        if load <= 0:
            break
        rest_run += 1
    resting_hr, hrv = rest_and_hrv(person, day, acts, day_summaries)
    sentiments = [c.sentiment_score for c in past if c.sentiment_score is not None
                  and (day - c.day).days <= 7]
    obs = observation_from_history(
        resting_hr=resting_hr,
        hrv_rmssd_ms=hrv if hrv is not None else float(np.exp(4.0)),
        daily_loads=loads,
        wellness=_psych(past, day),
        sentiment_trend=float(np.mean(sentiments)) if sentiments else 0.0,
        sex="F" if person.sex == "F" else "M",
        height_m=(person.height_cm or 170.0) / 100.0,
        mass_kg=person.mass_kg or 65.0,
        days_since_rest=rest_run,
        injured=injured,
        day_of_week=day.weekday(),
    )
    policy = _policy(str(policy_path))
    reference = np.zeros_like(obs)
    action = propose(policy, obs)
    typical = propose(policy, reference)

    outputs = [VOLUME, INTENSITY]

    def chosen(rows: np.ndarray) -> np.ndarray:
        return np.asarray(propose(policy, rows)[:, outputs], dtype=np.float64) * MAX_CHANGE

    found = explain_outputs(chosen, obs, reference, FEATURES, seed=day.toordinal())

    def change_and_reasons(k: int) -> tuple[float, tuple[ShapFactor, ...]]:
        """Output ``outputs[k]`` relative to a typical athlete, and the features behind it."""
        index = outputs[k]
        change = float(np.clip(action[index] - typical[index], -1.0, 1.0)) * MAX_CHANGE
        return change, tuple(ShapFactor(a.feature, a.value, a.contribution)
                             for a in found[k] if a.contribution * change > 0)[:3]

    volume_change, volume_reasons = change_and_reasons(0)
    intensity_change, intensity_reasons = change_and_reasons(1)
    # The kind of work it weights more than for a typical athlete (a clear lean only).
    lean = decode_action(action).mix - decode_action(typical).mix
    modality = MODALITIES[int(np.argmax(lean))] if float(lean.max()) >= MIN_LEAN else None
    return PolicyProposal(
        volume_change=round(volume_change, 4),
        modality=None if modality is None else str(modality),
        attributions=volume_reasons,
        intensity_change=round(intensity_change, 4),
        intensity_attributions=intensity_reasons,
    )


def warm_up(policy_path: Path) -> None:
    """Load the policy and run one explanation, off the request path.

    SHAP's permutation explainer compiles its numba kernels on first use (about 10 s on a
    2-core machine); without this the first check-in after a start waits for it.
    """
    from models.ppo import propose  # torch: see _policy

    try:
        policy = _policy(str(policy_path))
        zeros = np.zeros(len(FEATURES), dtype=np.float32)
        explain_outputs(lambda rows: np.asarray(propose(policy, rows)[:, [VOLUME]],
                                                dtype=np.float64),
                        zeros + 0.1, zeros, FEATURES, max_evals=64)
    except Exception:  # a warm-up must never stop the bot; the first request will say why
        log.exception("policy warm-up failed")
