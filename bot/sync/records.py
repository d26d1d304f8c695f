"""What a provider's activity becomes before it is stored: one shape for every provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ActivitySummary:
    """One provider activity, validated: what a summary row is built from (`store`)."""

    external_id: str
    start: dt.datetime
    local_day: dt.date
    sport: str | None
    elapsed_s: float
    moving_s: float | None
    distance_m: float | None
    elevation_m: float | None
    hr_avg: float | None
    hr_max: float | None
    power: bool
    own: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Wellness:
    """One day's wellness from a provider, absurd values already dropped (the day-CSV
    bounds)."""

    day: dt.date
    resting_hr: float | None
    hrv_ms: float | None
    sleep_h: float | None
    steps: int | None
    own: dict[str, Any] = field(default_factory=dict)
