"""One session recorded several times: is it the same session, and which recording to keep.

A ride recorded by a watch reaches us as a FIT upload, as an intervals.icu activity and as a
Strava activity. Their start times differ by the seconds each service rounds to (or by a
minute when a watch was started late), and their durations by auto-pause and trimming. Two
recordings are the same session when they start within ``start_tolerance_s`` of each other
and their durations differ by at most ``duration_fraction`` of the longer one or
``duration_floor_s``, whichever is larger (a floor, because 10 % of a 15-minute jog is
90 s, less than a forgotten stop button). The tolerances are documented in docs/wearables.md.

What to keep: the richest streams. A recording with per-second samples beats a summary; with
samples, heart rate and power beat heart rate alone, and then more channels (cadence, speed)
beat fewer. A tie keeps what is stored (a re-sync changes nothing). Pure: no database, no
provider; the import path asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

START_TOLERANCE_S = 300.0
DURATION_FRACTION = 0.10
DURATION_FLOOR_S = 180.0


@dataclass(frozen=True, slots=True)
class Recording:
    """What matching needs of one recording: when, how long, and how rich its data is.

    ``key`` is the caller's handle on it (a row id); ``streams``: per-sample data (a FIT,
    TCX or GPX file) rather than a summary; ``heart_rate`` / ``power``: those channels are
    present; ``channels``: how many sampled channels the streams hold (heart rate, power,
    cadence, speed), the last tie-break between two recordings with samples.
    """

    start: dt.datetime
    duration_s: float
    streams: bool = False
    heart_rate: bool = False
    power: bool = False
    key: object = None
    channels: int = 0

    @property
    def richness(self) -> tuple[int, int, int, int]:
        """Ordering of data richness: streams first, then heart rate, then power, then the
        number of sampled channels."""
        return (
            int(self.streams),
            int(self.streams and self.heart_rate),
            int(self.streams and self.power) + int(self.heart_rate),
            self.channels if self.streams else 0,
        )


def same_session(
    a: Recording,
    b: Recording,
    *,
    start_tolerance_s: float = START_TOLERANCE_S,
    duration_fraction: float = DURATION_FRACTION,
    duration_floor_s: float = DURATION_FLOOR_S,
) -> bool:
    """True when ``a`` and ``b`` are two recordings of one session (see the module)."""
    if a.start.tzinfo is None or b.start.tzinfo is None:
        raise ValueError("start times must be timezone-aware")
    if abs((a.start - b.start).total_seconds()) > start_tolerance_s:
        return False
    allowed = max(duration_fraction * max(a.duration_s, b.duration_s), duration_floor_s)
    return abs(a.duration_s - b.duration_s) <= allowed


def find_match(
    new: Recording, stored: Sequence[Recording], **tolerances: float
) -> Recording | None:
    """The stored recording of the same session as ``new`` (the closest start), or None."""
    found = [s for s in stored if same_session(new, s, **tolerances)]
    if not found:
        return None
    return min(
        found,
        key=lambda s: (
            abs((s.start - new.start).total_seconds()),
            abs(s.duration_s - new.duration_s),
        ),
    )


def is_richer(new: Recording, stored: Recording) -> bool:
    """True when ``new`` has strictly richer data than ``stored`` (a tie keeps ``stored``)."""
    return new.richness > stored.richness
