"""Per-session metrics from cleaned wearable series: volume, heart-rate load and HRV.

Formula sources (all heart rates in bpm, times in seconds unless said):
- Heart-rate reserve (Karvonen, Kentala & Mustala 1957): HRr = (HR - HRrest) / (HRmax - HRrest).
  Time in zones uses five HRR bands: Z1 50-60 %, Z2 60-70 %, Z3 70-80 %, Z4 80-90 %, Z5 >= 90 %.
- Banister TRIMP (Banister 1991; Morton, Fitz-Clarke & Banister 1990):
  TRIMP = sum(minutes * HRr * a * exp(b * HRr)); men a=0.64, b=1.92; women a=0.86, b=1.67.
  Sex unknown: the mean of both weightings (documented, flagged in ``notes``).
- Edwards TRIMP (Edwards 1993, "The Heart Rate Monitor Book"): minutes in 50-60, 60-70, 70-80,
  80-90, 90-100 % of HRmax weighted 1..5 and summed.
- HRmax unknown: Tanaka, Monahan & Seals 2001, HRmax = 208 - 0.7 * age; no age either: 190 bpm
  (Tanaka at 25 years). HRrest unknown: 60 bpm (a population-typical adult value). The source
  of each is reported so a coach can see which numbers are defaults.
- HRV (Task Force of the ESC/NASPE 1996): SDNN = sd of NN intervals; RMSSD = root mean square
  of successive NN differences, using only pairs of adjacent beats that both survived the
  ectopic filter. Ectopic filter: Malik's 20 % rule (Malik et al. 1989; Kleiger et al. 1992) -
  a beat more than 20 % away from the median of its 11 surrounding beats is dropped (a
  local-median reference, as Kubios HRV's threshold correction uses) - after a physiological
  range filter of 300-2000 ms (30-200 bpm).
- Gait from a three-axis accelerometer: ``planner.gait`` (Bo 2025, eqs. 1-2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from planner.gait import GaitFeatures, gait_features
from planner.signals import (
    HR_PLAUSIBLE_BPM,
    clean_heart_rate,
    moving_average,
    range_outliers,
    rolling_median,
)

FloatArray = NDArray[np.float64]

MAX_SAMPLE_GAP_S = 10.0  # a longer gap between samples is a pause (auto-pause, lost signal)
MAX_MOVING_GAP_S = 60.0  # pool swims log one record per length (30-60 s)
MOVING_SPEED_MS = 0.5  # below 1.8 km/h we call it standing still
ZONE_EDGES = (0.5, 0.6, 0.7, 0.8, 0.9)
BANISTER = {"m": (0.64, 1.92), "f": (0.86, 1.67)}
DEFAULT_HR_REST = 60.0
DEFAULT_HR_MAX = 190.0
RR_RANGE_MS = (300.0, 2000.0)
MALIK_FRACTION = 0.20
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True, slots=True)
class AthleteProfile:
    """What the metrics need to know about the athlete (all optional)."""

    sex: str | None = None  # "m" | "f"
    hr_rest: float | None = None
    hr_max: float | None = None
    birth_year: int | None = None

    def heart_rates(self, year: int) -> tuple[float, float, str, str]:
        """(HRrest, HRmax, source of rest, source of max) with the documented defaults."""
        rest, rest_src = (self.hr_rest, "athlete") if self.hr_rest else (DEFAULT_HR_REST, "default")
        if self.hr_max:
            return rest, self.hr_max, rest_src, "athlete"
        if self.birth_year and 5 < year - self.birth_year < 110:
            return rest, 208.0 - 0.7 * (year - self.birth_year), rest_src, "tanaka"
        return rest, DEFAULT_HR_MAX, rest_src, "default"


@dataclass(slots=True)
class SessionSeries:
    """Aligned per-sample arrays of one session (NaN = missing) plus RR intervals."""

    t_s: FloatArray
    hr: FloatArray
    speed: FloatArray
    cadence: FloatArray
    power: FloatArray
    altitude: FloatArray
    distance: FloatArray
    lat: FloatArray
    lon: FloatArray
    rr_ms: FloatArray = field(default_factory=lambda: np.empty(0))
    accel_t_s: FloatArray = field(default_factory=lambda: np.empty(0))  # same clock as t_s
    accel_g: tuple[FloatArray, FloatArray, FloatArray] | None = None  # (x, y, z) in g

    @classmethod
    def empty(cls, n: int) -> SessionSeries:
        """All-NaN arrays of length n (t_s zeros), to be filled channel by channel."""
        def nan() -> FloatArray:
            return np.full(n, np.nan)

        return cls(np.zeros(n), nan(), nan(), nan(), nan(), nan(), nan(), nan(), nan())


@dataclass(slots=True)
class SessionMetrics:
    """What we store per activity; None where the file had nothing to derive it from."""

    duration_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    hr_avg: float | None = None
    hr_max: float | None = None
    zones_s: list[float] = field(default_factory=list)
    trimp_banister: float | None = None
    trimp_edwards: float | None = None
    rmssd_ms: float | None = None
    sdnn_ms: float | None = None
    rr_kept_fraction: float | None = None
    cadence_avg: float | None = None
    pace_s_per_km: float | None = None
    hr_rest_used: float | None = None
    hr_max_used: float | None = None
    gait: GaitFeatures | None = None
    notes: list[str] = field(default_factory=list)



def sample_weights(t_s: FloatArray) -> FloatArray:
    """Seconds each sample stands for: the gap to the next one, capped at MAX_SAMPLE_GAP_S."""
    if t_s.size == 0:
        return np.empty(0)
    gaps = np.diff(t_s, append=t_s[-1])
    return np.clip(gaps, 0.0, MAX_SAMPLE_GAP_S)


def ectopic_mask(rr_ms: FloatArray, window: int = 11) -> NDArray[np.bool_]:
    """True for beats kept as normal-to-normal: range filter, then the 20 % rule.

    Malik's criterion (a beat more than 20 % away from its reference is ectopic) is applied
    against the median of the surrounding ``window`` in-range beats rather than the single
    previous beat, as threshold-based artefact correction in Kubios HRV does: a lone premature
    beat and its compensatory pause are both dropped, and one bad first beat cannot make every
    later beat look ectopic.
    """
    rr = np.asarray(rr_ms, dtype=np.float64)
    keep = ~np.isnan(rr) & ~range_outliers(rr, *RR_RANGE_MS)
    if not keep.any():
        return keep
    reference = rolling_median(np.where(keep, rr, np.nan), window)
    with np.errstate(invalid="ignore"):
        return keep & (np.abs(rr - reference) <= MALIK_FRACTION * reference)


def hrv_time_domain(rr_ms: FloatArray, filter_ectopic: bool = True) -> tuple[float, float, float]:
    """(RMSSD, SDNN, fraction of beats kept) in ms; raises when fewer than 20 NN beats remain."""
    rr = np.asarray(rr_ms, dtype=np.float64)
    keep = ectopic_mask(rr) if filter_ectopic else ~np.isnan(rr)
    if keep.sum() < 20:
        raise ValueError("fewer than 20 clean beat-to-beat intervals: HRV cannot be computed")
    pairs = keep[1:] & keep[:-1]
    diffs = np.diff(rr)[pairs]
    if diffs.size < 10:
        raise ValueError("too few adjacent clean beats for RMSSD")
    rmssd = float(np.sqrt(np.mean(diffs**2)))
    sdnn = float(np.std(rr[keep], ddof=1))
    return rmssd, sdnn, float(keep.mean())


def series_from_rr(rr_ms: FloatArray) -> SessionSeries:
    """A heart-rate series from beat-to-beat intervals (HR = 60000 / NN), ectopics removed."""
    rr = np.asarray(rr_ms, dtype=np.float64)
    keep = ectopic_mask(rr)
    t = np.cumsum(np.nan_to_num(rr)) / 1000.0
    series = SessionSeries.empty(int(keep.sum()))
    series.t_s = t[keep]
    series.hr = 60000.0 / rr[keep]
    series.rr_ms = rr
    return series


def haversine_m(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Great-circle distance between consecutive fixes (m); NaN where a fix is missing."""
    p1, p2 = np.radians(lat[:-1]), np.radians(lat[1:])
    dlat = p2 - p1
    dlon = np.radians(lon[1:] - lon[:-1])
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _distance(s: SessionSeries) -> float | None:
    dist = s.distance[~np.isnan(s.distance)]
    if dist.size >= 2 and dist.max() > dist.min():
        return float(dist.max() - dist.min())
    fix = ~np.isnan(s.lat) & ~np.isnan(s.lon)
    if fix.sum() < 2:
        return None
    steps = haversine_m(s.lat[fix], s.lon[fix])
    dt = np.diff(s.t_s[fix])
    plausible = (dt <= 0) | (steps <= 100.0 * np.maximum(dt, 1e-9))  # < 360 km/h
    return float(np.nansum(steps[plausible]))


def _elevation_gain(s: SessionSeries, hysteresis_m: float = 2.0) -> float | None:
    """Climb of the smoothed altitude, counting a rise only once it exceeds the hysteresis."""
    alt = moving_average(s.altitude, 5)
    alt = alt[~np.isnan(alt)]
    if alt.size < 2:
        return None
    gain, low = 0.0, alt[0]
    for value in alt[1:]:
        if value < low:
            low = value
        elif value - low >= hysteresis_m:
            gain += value - low
            low = value
    return float(gain)


def moving_time(s: SessionSeries) -> float | None:
    """Seconds spent moving: speed >= 0.5 m/s, or pedalling/stroking (cadence or power > 0).

    Why both: indoor trainers and rowers report speed 0, pool swims per-length speed; cadence or
    power shows the athlete working all the same. Only samples carrying motion channels count
    (heart-rate-only samples from a chest strap say nothing about moving). An interval counts
    when the sample closing it shows motion and it is at most MAX_MOVING_GAP_S long (a longer
    hole is an auto-pause). None when the file has no motion channel at all.
    """
    motion = ~(np.isnan(s.speed) & np.isnan(s.distance) & np.isnan(s.cadence) & np.isnan(s.power))
    if motion.sum() < 2:
        return None
    t = s.t_s[motion]
    speed = s.speed[motion]
    if np.all(np.isnan(speed)):
        dist = s.distance[motion]
        has = ~np.isnan(dist)
        if has.sum() > 1:
            gaps = np.diff(t[has])
            step = np.diff(dist[has]) / np.where(gaps > 0, gaps, np.inf)
            speed = np.interp(t, t[has][1:], step)
    effort = np.nan_to_num(s.cadence[motion]) + np.nan_to_num(s.power[motion])
    moving = (np.nan_to_num(speed) >= MOVING_SPEED_MS) | (effort > 0)
    gaps = np.diff(t)
    counted = moving[1:] & (gaps <= MAX_MOVING_GAP_S)
    return float(gaps[counted].sum())


def _hr_load(
    t: FloatArray, hr: FloatArray, peak: float, profile: AthleteProfile, year: int,
    out: SessionMetrics,
) -> None:
    rest, hr_max, rest_src, max_src = profile.heart_rates(year)
    out.hr_rest_used, out.hr_max_used = rest, hr_max
    if rest_src != "athlete" or max_src != "athlete":
        out.notes.append(f"heart-rate zones use HRrest from {rest_src}, HRmax from {max_src}")
    has = ~np.isnan(hr)
    weights = sample_weights(t[has])  # gaps between heart-rate samples, not other channels
    beats = hr[has]
    if weights.sum() <= 0:
        return
    out.hr_avg = float(np.sum(beats * weights) / weights.sum())
    out.hr_max = peak
    hrr = np.clip((beats - rest) / max(hr_max - rest, 1.0), 0.0, 1.0)
    zone = np.digitize(hrr, ZONE_EDGES)  # 0 = below Z1, 1..5 = Z1..Z5
    out.zones_s = [float(weights[zone == z].sum()) for z in range(1, 6)]
    sex = (profile.sex or "").lower()[:1]
    if sex in BANISTER:
        a, b = BANISTER[sex]
        weight = a * np.exp(b * hrr)
    else:
        (am, bm), (af, bf) = BANISTER["m"], BANISTER["f"]
        weight = 0.5 * (am * np.exp(bm * hrr) + af * np.exp(bf * hrr))
        out.notes.append("sex unknown: Banister TRIMP uses the mean of both weightings")
    out.trimp_banister = float(np.sum(weights / 60.0 * hrr * weight))
    pct_max = beats / hr_max
    edwards_zone = np.clip(np.floor((pct_max - 0.5) / 0.1) + 1, 0, 5)
    out.trimp_edwards = float(np.sum(weights / 60.0 * edwards_zone))


def compute_session_metrics(
    s: SessionSeries, profile: AthleteProfile, year: int, sport: str | None = None
) -> SessionMetrics:
    """Everything we store for one session, from one aligned ``SessionSeries``.

    ``year`` is the session's year (for the age in Tanaka's HRmax). Heart rate goes through
    ``planner.signals.clean_heart_rate``; if more than half the samples are impossible
    (0 or 300 bpm) the channel is declared unusable instead of averaged.
    """
    out = SessionMetrics()
    n = s.t_s.size
    if n >= 2:
        out.duration_s = float(s.t_s[-1] - s.t_s[0])
    raw_present = int(np.sum(~np.isnan(s.hr)))
    if raw_present:
        impossible = int(np.sum(range_outliers(s.hr, *HR_PLAUSIBLE_BPM)))
        if impossible > raw_present / 2:
            out.notes.append(
                f"heart rate ignored: {impossible} of {raw_present} samples were outside "
                f"{HR_PLAUSIBLE_BPM[0]:.0f}-{HR_PLAUSIBLE_BPM[1]:.0f} bpm (sensor fault)"
            )
        else:
            hr = clean_heart_rate(s.t_s, s.hr)
            measured = hr[~np.isnan(s.hr)]  # the peak is a measured beat, never interpolated
            peak = float(np.nanmax(measured)) if np.any(~np.isnan(measured)) else math.nan
            _hr_load(s.t_s, hr, peak, profile, year, out)
    out.moving_s = moving_time(s)
    out.distance_m = _distance(s)
    out.elevation_gain_m = _elevation_gain(s)
    cad = s.cadence
    active = ~np.isnan(cad) & (cad > 0)
    cad_w = sample_weights(s.t_s[active])
    if active.sum() >= 10 and cad_w.sum() > 0:
        out.cadence_avg = float(np.sum(cad[active] * cad_w) / cad_w.sum())
    if out.distance_m and out.distance_m > 0 and out.moving_s:
        out.pace_s_per_km = out.moving_s / (out.distance_m / 1000.0)
    if s.accel_g is not None and s.accel_t_s.size:
        out.gait = gait_features(s.accel_t_s, *s.accel_g)
    rr = s.rr_ms[~np.isnan(s.rr_ms)] if s.rr_ms.size else s.rr_ms
    if rr.size:
        try:
            out.rmssd_ms, out.sdnn_ms, out.rr_kept_fraction = hrv_time_domain(rr)
        except ValueError as exc:
            out.notes.append(str(exc))
    return out


def summary_trimp(duration_s: float, hr_avg: float, profile: AthleteProfile, year: int
                  ) -> tuple[float, float, float]:
    """(Banister TRIMP, HRrest used, HRmax used) from a session's mean heart rate alone.

    Banister's original form (Banister 1991; Morton, Fitz-Clarke & Banister 1990, eq. 1):
    minutes x HRr x a e^(b HRr) with HRr the *mean* heart-rate reserve of the session; for a
    provider that sends only a summary (no samples), this is the TRIMP the same formula gives.
    It is lower than the sample-by-sample sum for interval sessions (the weighting is convex),
    which is why a recording with streams replaces a summary (`planner.session_match`).
    """
    rest, hr_max, _, _ = profile.heart_rates(year)
    hrr = min(max((hr_avg - rest) / max(hr_max - rest, 1.0), 0.0), 1.0)
    sex = (profile.sex or "").lower()[:1]
    if sex in BANISTER:
        a, b = BANISTER[sex]
        weight = a * math.exp(b * hrr)
    else:
        (am, bm), (af, bf) = BANISTER["m"], BANISTER["f"]
        weight = 0.5 * (am * math.exp(bm * hrr) + af * math.exp(bf * hrr))
    return duration_s / 60.0 * hrr * weight, rest, hr_max
