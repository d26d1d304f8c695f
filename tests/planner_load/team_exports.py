"""Synthetic team exports shaped like PMData's (Thambawita et al. 2020): what real teams send.

PMData's ``srpe.csv`` has one row per session (``end_date_time`` as an ISO timestamp with
``Z``, ``perceived_exertion`` CR-10, ``duration_min``); its ``wellness.csv`` one row per
morning report (``effective_time_frame``; fatigue, mood, sleep_quality, soreness, stress on
1-5 with 5 the best; readiness 0-10; sleep hours). Here several participants are put in one
file with a ``participant`` column, as a team export would be.

The generator gives each athlete a usual week (4-5 sessions, RPE ~5, 30-90 min, a double now
and then), a wellness habit (their own usual answers, reported on ~85 % of mornings), a
10-day break, and one known overload: two weeks of daily sessions at RPE ~6 (about 1.8x the
usual load) during which, from its fourth day, fatigue and soreness answers drop by ~1.5
points. Tests and the readiness benchmark use it; the seed makes it deterministic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

START = dt.date(2019, 11, 1)
WELLNESS_COLS = ("fatigue=fatigue,soreness=soreness,stress=stress,"
                 "sleep_quality=sleep_quality,mood=mood")


@dataclass(frozen=True)
class TeamExport:
    """The two CSV tables and, per athlete, the first day of their overload block."""

    sessions: pd.DataFrame
    wellness: pd.DataFrame
    overload_start: dict[str, int]
    break_start: dict[str, int]


OVERLOAD_DAYS = 14
BREAK_DAYS = 10


def team_export(athletes: int = 4, days: int = 150, seed: int = 0) -> TeamExport:
    """A PMData-like export for ``athletes`` participants over ``days`` days."""
    rng = np.random.default_rng(seed)
    session_rows: list[tuple[str, str, int, int]] = []
    wellness_rows: list[tuple[str, str, int, int, int, int, int, int, float]] = []
    overloads: dict[str, int] = {}
    breaks: dict[str, int] = {}
    for a in range(athletes):
        name = f"p{a + 1:02d}"
        rest_days = set(rng.choice(7, size=int(rng.integers(2, 4)), replace=False).tolist())
        overload = int(rng.integers(min(70, days - 30), max(71, days - 20)))
        pause = int(rng.integers(35, 55))
        overloads[name], breaks[name] = overload, pause
        usual = rng.uniform(3.0, 4.2, size=5)  # fatigue, soreness, stress, sleep, mood
        for d in range(days):
            day = START + dt.timedelta(days=d)
            in_overload = overload <= d < overload + OVERLOAD_DAYS
            on_break = pause <= d < pause + BREAK_DAYS
            trains = (d % 7 not in rest_days or in_overload) and not on_break
            if trains or d in (0, days - 1):
                for _ in range(2 if rng.random() < 0.06 else 1):
                    rpe = int(np.clip(round(rng.normal(6 if in_overload else 5, 1.3)), 1, 10))
                    minutes = int(rng.integers(30, 91))
                    hour = int(rng.integers(7, 21))
                    stamp = f"{day.isoformat()}T{hour:02d}:{int(rng.integers(60)):02d}:00.000Z"
                    session_rows.append((name, stamp, rpe, minutes))
            if rng.random() < 0.85 or d == 0:
                mean = usual.copy()
                if in_overload and d >= overload + 3:
                    mean[:2] -= 1.5
                answers = np.clip(np.round(rng.normal(mean, 0.55)), 1, 5).astype(int)
                stamp = f"{day.isoformat()}T07:{int(rng.integers(10, 59)):02d}:00.000Z"
                wellness_rows.append((name, stamp, *answers.tolist(),
                                      int(rng.integers(4, 9)), float(rng.normal(7.2, 0.8))))
    sessions = pd.DataFrame(session_rows, columns=[
        "participant", "end_date_time", "perceived_exertion", "duration_min"])
    wellness = pd.DataFrame(wellness_rows, columns=[
        "participant", "effective_time_frame", "fatigue", "soreness", "stress",
        "sleep_quality", "mood", "readiness", "sleep_duration_h"])
    return TeamExport(sessions, wellness, overloads, breaks)
