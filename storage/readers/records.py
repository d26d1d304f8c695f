"""Normalized records every wearable reader returns, whatever the file format.

Why one shape: cleaning and metrics (``planner/``) must not care whether a heart rate came from
a FIT ``record`` message, a TCX ``Trackpoint`` or a GPX extension. Units are SI except heart
rate (bpm) and cadence (per minute, as devices report it); timestamps are timezone-aware UTC.
A missing value is ``None``, never 0 (0 bpm is an outlier to clean, not "no sensor").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray


class WearableFileError(ValueError):
    """A file we cannot import; ``str(error)`` is a message the athlete can act on."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One time-stamped point of a recording (FIT record, TCX Trackpoint, GPX trkpt)."""

    timestamp: dt.datetime
    hr: float | None = None
    speed: float | None = None  # m/s
    cadence: float | None = None  # rpm / spm as the device reports it
    power: float | None = None  # W
    altitude: float | None = None  # m
    distance: float | None = None  # m, cumulative from the start of the session
    lat: float | None = None  # degrees
    lon: float | None = None  # degrees


@dataclass(frozen=True, slots=True)
class AccelSeries:
    """Three-axis accelerometer samples of a session (FIT ``accelerometer_data``), in g.

    Why arrays and not one ``Sample`` each: IMU data comes at 25-100 Hz, and a 20 MiB file can
    hold millions of samples; float arrays keep that at 32 bytes a sample. ``t`` is POSIX
    seconds (UTC), the same clock as ``Sample.timestamp``. ``source`` says how the values were
    obtained: ``calibrated`` (the device's own g values), ``compressed`` (mG) or ``raw`` (ADC
    counts converted with the file's ``three_d_sensor_calibration``).
    """

    t: NDArray[np.float64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    z: NDArray[np.float64]
    source: str = "calibrated"

    def __len__(self) -> int:
        return int(self.t.size)

    def between(self, first: dt.datetime, last: dt.datetime) -> AccelSeries:
        """The samples inside [first, last] (a multisport file's session window)."""
        keep = (self.t >= first.timestamp()) & (self.t <= last.timestamp())
        return AccelSeries(self.t[keep], self.x[keep], self.y[keep], self.z[keep], self.source)


@dataclass(frozen=True, slots=True)
class Summary:
    """Totals the device itself wrote (FIT session/lap, TCX Lap): a check on what we derive."""

    start: dt.datetime | None = None
    elapsed_s: float | None = None
    timer_s: float | None = None
    distance_m: float | None = None
    hr_avg: float | None = None
    hr_max: float | None = None
    ascent_m: float | None = None
    cadence_avg: float | None = None
    calories: float | None = None


@dataclass(slots=True)
class ActivityData:
    """One sport session of a file: its samples, RR intervals and the device's own totals.

    A multisport file (triathlon) yields one ``ActivityData`` per sport session, transitions
    included (they are real time at high heart rate).
    """

    sport: str | None
    samples: list[Sample] = field(default_factory=list)
    rr_ms: list[float] = field(default_factory=list)
    rr_start: dt.datetime | None = None
    summary: Summary | None = None
    laps: list[Summary] = field(default_factory=list)
    sub_sport: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    accel: AccelSeries | None = None

    @property
    def start(self) -> dt.datetime | None:
        """When the session began: the device's summary, else the first sample, else RR start."""
        if self.summary is not None and self.summary.start is not None:
            return self.summary.start
        if self.samples:
            return self.samples[0].timestamp
        return self.rr_start


@dataclass(frozen=True, slots=True)
class DaySummary:
    """One row of a Fitbit/Garmin day-summary export."""

    day: dt.date
    steps: int | None = None
    resting_hr: float | None = None
    sleep_h: float | None = None
    hrv_ms: float | None = None


@dataclass(slots=True)
class ParsedFile:
    """What a reader found in one file: sport sessions and/or day summaries, plus warnings."""

    file_type: str
    activities: list[ActivityData] = field(default_factory=list)
    days: list[DaySummary] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        """Samples + RR intervals + accelerometer samples + day rows: the unit of throughput."""
        return sum(
            len(a.samples) + len(a.rr_ms) + (len(a.accel) if a.accel is not None else 0)
            for a in self.activities
        ) + len(self.days)


_EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)

_SPORTS = {
    "running": "running",
    "run": "running",
    "trail_running": "running",
    "cycling": "cycling",
    "biking": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "swimming": "swimming",
    "swim": "swimming",
    "lap_swimming": "swimming",
    "open_water": "swimming",
    "transition": "transition",
    "walking": "walking",
    "walk": "walking",
    "hiking": "hiking",
    "rowing": "rowing",
    "indoor_rowing": "rowing",
    "cross_country_skiing": "skiing",
    "alpine_skiing": "skiing",
    "paddling": "paddling",
    "stand_up_paddleboarding": "paddling",
    "training": "training",
    "fitness_equipment": "training",
    "other": "other",
    "generic": "other",
}


def normalize_sport(sport: object, sub_sport: object = None) -> str | None:
    """Map a device's sport name (FIT enum, TCX ``Sport`` attribute, GPX type) to ours.

    The sub-sport wins when it is more specific (FIT ``fitness_equipment`` + ``indoor_rowing``
    is rowing). Unknown names are kept lower-cased rather than guessed.
    """
    for name in (sub_sport, sport):
        if isinstance(name, str) and name.strip():
            key = name.strip().lower().replace(" ", "_").replace("-", "_")
            if key in _SPORTS and not (name is sub_sport and _SPORTS[key] == "other"):
                return _SPORTS[key]
    if isinstance(sport, str) and sport.strip():
        return sport.strip().lower()[:32]
    return None


def plausible_time(value: dt.datetime | None) -> bool:
    """Reject device clock garbage (GPX exports stamped 1901, FIT epoch zero, far future)."""
    if value is None or value.tzinfo is None:
        return False
    latest = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    return _EARLIEST <= value <= latest


def finite(value: object) -> float | None:
    """A finite float, or None (FIT invalid markers, NaN, tuples, strings all become None)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number
