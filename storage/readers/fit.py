"""Garmin/ANT FIT reader (fitdecode): records, laps, sessions, HR and HRV messages.

Why these rules:
- Developer fields (Stryd's "Power", a rowing app's "Heart Rate") are skipped: their names
  collide with native fields and their units are whatever the app author chose.
- Chained FIT files (several headers in one file) are read end to end by fitdecode.
- A multisport file (triathlon) has one ``session`` message per sport; each becomes its own
  ``ActivityData`` holding the records inside that session's [start, start + elapsed] window.
- Swim heart rate from HRM-Swim/HRM-Tri straps arrives after the fact in ``hr`` messages
  (``filtered_bpm`` + ``event_timestamp`` arrays), not in records; when a session's records
  carry heart rate in fewer than half of them, those ``hr`` samples are merged in.
- ``hrv`` messages (beat-to-beat intervals in seconds) become ``rr_ms`` when the file has a
  single session (they carry no timestamp to split them by).
- ``accelerometer_data`` messages (up to 30 samples each; FIT profile, message 165) become
  ``ActivityData.accel`` in g. Sample i was taken at ``timestamp + timestamp_ms +
  sample_time_offset[i]``. Values come from ``calibrated_accel_*`` (g) when present, else
  ``compressed_calibrated_accel_*`` (mG), else the raw ADC ``accel_*`` counts converted with
  the accelerometer's ``three_d_sensor_calibration`` (message 167) as the FIT protocol
  (Rev 2.3, sec. 6.3) and the SDK's ``AdjustSensorData`` do: (raw - level_shift - offset_cal)
  x calibration_factor / calibration_divisor, then rotated by the orientation matrix. Raw
  counts without a calibration are dropped with a warning: their unit is unknown.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

import fitdecode
import numpy as np
from fitdecode.types import DevFieldDefinition

from storage.readers.records import (
    AccelSeries,
    ActivityData,
    ParsedFile,
    Sample,
    Summary,
    WearableFileError,
    finite,
    normalize_sport,
    plausible_time,
)

log = logging.getLogger(__name__)

SEMICIRCLE_TO_DEG = 180.0 / 2**31  # FIT profile: position in semicircles (2^31 = 180 degrees)
_WINDOW_SLACK = dt.timedelta(seconds=2)


def _values(message: fitdecode.FitDataMessage) -> dict[str, Any]:
    """Native field values by name; developer fields and unknown numbers are left out."""
    out: dict[str, Any] = {}
    for fd in message.fields:
        if isinstance(fd.field_def, DevFieldDefinition) or fd.name.startswith("unknown_"):
            continue
        if fd.value is not None and fd.name not in out:
            out[fd.name] = fd.value
    return out


def _sample(values: dict[str, Any]) -> Sample | None:
    stamp = values.get("timestamp")
    if not isinstance(stamp, dt.datetime) or not plausible_time(stamp):
        return None
    lat = finite(values.get("position_lat"))
    lon = finite(values.get("position_long"))
    speed = finite(values.get("enhanced_speed"))
    altitude = finite(values.get("enhanced_altitude"))
    return Sample(
        timestamp=stamp.astimezone(dt.UTC),
        hr=finite(values.get("heart_rate")),
        speed=speed if speed is not None else finite(values.get("speed")),
        cadence=finite(values.get("cadence")),
        power=finite(values.get("power")),
        altitude=altitude if altitude is not None else finite(values.get("altitude")),
        distance=finite(values.get("distance")),
        lat=lat * SEMICIRCLE_TO_DEG if lat is not None else None,
        lon=lon * SEMICIRCLE_TO_DEG if lon is not None else None,
    )


def _summary(values: dict[str, Any]) -> Summary:
    start = values.get("start_time")
    return Summary(
        start=start if isinstance(start, dt.datetime) and plausible_time(start) else None,
        elapsed_s=finite(values.get("total_elapsed_time")),
        timer_s=finite(values.get("total_timer_time")),
        distance_m=finite(values.get("total_distance")),
        hr_avg=finite(values.get("avg_heart_rate")),
        hr_max=finite(values.get("max_heart_rate")),
        ascent_m=finite(values.get("total_ascent")),
        cadence_avg=finite(values.get("avg_cadence")),
        calories=finite(values.get("total_calories")),
    )


def _hr_samples(message: fitdecode.FitDataMessage) -> list[tuple[dt.datetime, float]]:
    """Pairs (time, bpm) of one ``hr`` message: expanded event timestamps x filtered_bpm."""
    bpm = message.get_value("filtered_bpm", fallback=None)
    values = bpm if isinstance(bpm, tuple) else (bpm,)
    stamps = [
        fd.value
        for fd in message.fields
        if fd.name == "event_timestamp" and isinstance(fd.value, dt.datetime)
    ]
    pairs = []
    for stamp, beat in zip(stamps, values, strict=False):
        rate = finite(beat)
        if rate is not None and plausible_time(stamp):
            pairs.append((stamp.astimezone(dt.UTC), rate))
    return pairs


def _rr_values(message: fitdecode.FitDataMessage) -> list[float]:
    times = message.get_value("time", fallback=None)
    values = times if isinstance(times, tuple) else (times,)
    out = []
    for value in values:
        seconds = finite(value)
        if seconds is not None and 0 < seconds < 65.0:  # 65.535 s is FIT's invalid marker
            out.append(seconds * 1000.0)
    return out


_AXES = ("x", "y", "z")


class _AccelCollector:
    """Accelerometer samples gathered while decoding: per-message float blocks (4 x n)."""

    def __init__(self) -> None:
        self.blocks: dict[str, list[np.ndarray]] = {"calibrated": [], "compressed": [], "raw": []}
        self.calibration: dict[str, Any] | None = None

    def add(self, message: fitdecode.FitDataMessage) -> None:
        values = _values(message)
        stamp = values.get("timestamp")
        if not isinstance(stamp, dt.datetime) or not plausible_time(stamp):
            return
        base = stamp.timestamp() + (finite(values.get("timestamp_ms")) or 0.0) / 1000.0
        offsets = _tuple(values.get("sample_time_offset"))
        for source, names, scale in (
            ("calibrated", "calibrated_accel_", 1.0),
            ("compressed", "compressed_calibrated_accel_", 0.001),
            ("raw", "accel_", 1.0),
        ):
            axes = [_tuple(values.get(names + axis)) for axis in _AXES]
            if all(axes):
                n = min(len(offsets), *(len(a) for a in axes))
                block = np.vstack([_floats(offsets[:n]), *(_floats(a[:n]) for a in axes)])
                block[0] = base + block[0] / 1000.0
                block[1:] *= scale
                self.blocks[source].append(block[:, np.isfinite(block).all(axis=0)])
                return

    def calibrate(self, message: fitdecode.FitDataMessage) -> None:
        values = _values(message)
        if values.get("sensor_type") == "accelerometer" and self.calibration is None:
            self.calibration = values

    def series(self, warnings: list[str]) -> AccelSeries | None:
        """The best source present (calibrated > compressed > raw with calibration)."""
        for source in ("calibrated", "compressed"):
            if self.blocks[source]:
                t, x, y, z = np.concatenate(self.blocks[source], axis=1)
                return _sorted(t, x, y, z, source)
        if not self.blocks["raw"]:
            return None
        t, *counts = np.concatenate(self.blocks["raw"], axis=1)
        converted = _from_raw(np.vstack(counts), self.calibration)
        if converted is None:
            warnings.append(
                "raw accelerometer counts without a usable calibration message were ignored"
            )
            return None
        return _sorted(t, *converted, "raw")


def _floats(values: tuple[object, ...]) -> np.ndarray:
    """Floats with NaN for FIT invalid markers (None) and anything that is not a number."""
    try:
        return np.array(values, dtype=np.float64)  # numbers and None (-> NaN): the usual case
    except (TypeError, ValueError):
        return np.array([v if (v := finite(i)) is not None else np.nan for i in values])


def _tuple(value: object) -> tuple[object, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _sorted(
    t: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, source: str
) -> AccelSeries:
    order = np.argsort(t, kind="stable")
    return AccelSeries(t[order], x[order], y[order], z[order], source)


def _from_raw(
    counts: np.ndarray, calibration: dict[str, Any] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """g values from ADC counts with a ``three_d_sensor_calibration`` (None if unusable)."""
    if calibration is None:
        return None
    factor = finite(calibration.get("accel_cal_factor", calibration.get("calibration_factor")))
    divisor = finite(calibration.get("calibration_divisor"))
    shift = finite(calibration.get("level_shift")) or 0.0
    offsets = [finite(v) for v in _tuple(calibration.get("offset_cal"))]
    matrix = [finite(v) for v in _tuple(calibration.get("orientation_matrix"))]
    if not factor or not divisor:
        return None
    offset = np.array([v or 0.0 for v in offsets] if len(offsets) == 3 else [0.0] * 3)
    rotation = (
        np.array(matrix, dtype=np.float64).reshape(3, 3)
        if len(matrix) == 9 and all(v is not None for v in matrix)
        else np.eye(3)
    )
    scaled = (counts - shift - offset[:, None]) * (factor / divisor)
    x, y, z = rotation @ scaled
    return x, y, z


def _window(summary: Summary) -> tuple[dt.datetime, dt.datetime] | None:
    if summary.start is None:
        return None
    length = summary.elapsed_s or summary.timer_s or 0.0
    end = summary.start + dt.timedelta(seconds=length)
    return summary.start - _WINDOW_SLACK, end + _WINDOW_SLACK


def _inside(stamp: dt.datetime | None, window: tuple[dt.datetime, dt.datetime] | None) -> bool:
    return stamp is not None and window is not None and window[0] <= stamp <= window[1]


def _starts_within(stamp: dt.datetime | None, session: Summary) -> bool:
    """A lap belongs to the session it starts in (half-open, so neighbours do not share it)."""
    if stamp is None or session.start is None:
        return False
    end = session.start + dt.timedelta(seconds=session.elapsed_s or session.timer_s or 0.0)
    return session.start - _WINDOW_SLACK <= stamp < end - _WINDOW_SLACK


def _decode(data: bytes, accel: _AccelCollector) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {
        "record": [], "session": [], "lap": [], "hr": [], "rr": [], "sport": []
    }
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    )
    with reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            name = frame.name
            if name == "record":
                sample = _sample(_values(frame))
                if sample is not None:
                    found["record"].append(sample)
            elif name in ("session", "lap"):
                found[name].append((_summary(_values(frame)), _values(frame)))
            elif name == "hr":
                found["hr"].extend(_hr_samples(frame))
            elif name == "hrv":
                found["rr"].extend(_rr_values(frame))
            elif name == "sport":
                found["sport"].append(_values(frame))
            elif name == "accelerometer_data":
                accel.add(frame)
            elif name == "three_d_sensor_calibration":
                accel.calibrate(frame)
    return found


def _accel_in(
    accel: AccelSeries | None, window: tuple[dt.datetime, dt.datetime] | None
) -> AccelSeries | None:
    if accel is None or window is None:
        return None
    inside = accel.between(*window)
    return inside if len(inside) else None


def _merge_hr(samples: list[Sample], extra_hr: list[tuple[dt.datetime, float]]) -> list[Sample]:
    if not extra_hr or sum(s.hr is not None for s in samples) >= 0.5 * max(len(samples), 1):
        return samples
    merged = samples + [Sample(timestamp=t, hr=bpm) for t, bpm in extra_hr]
    merged.sort(key=lambda s: s.timestamp)
    return merged


def read_fit(data: bytes) -> ParsedFile:
    """Parse FIT bytes into one ``ActivityData`` per session; raise ``WearableFileError``."""
    collector = _AccelCollector()
    try:
        found = _decode(data, collector)
    except fitdecode.FitError as exc:
        log.info("FIT decode failed: %s", type(exc).__name__)
        raise WearableFileError(
            "this FIT file is damaged or incomplete (it may have been cut off during the "
            "upload or sync); export it again from the device or its app"
        ) from exc
    except Exception as exc:  # fitdecode raises assorted errors on hostile bytes
        log.info("FIT decode crashed: %s", type(exc).__name__)
        raise WearableFileError(
            "this file could not be read as FIT; export the activity again as .fit"
        ) from exc
    records: list[Sample] = sorted(found["record"], key=lambda s: s.timestamp)
    hr_stream = sorted(found["hr"])
    sessions = [(s, v) for s, v in found["session"] if s.start is not None]
    parsed = ParsedFile(file_type="fit")
    accel = collector.series(parsed.warnings)
    if not sessions:
        sport_msg = found["sport"][0] if found["sport"] else {}
        activity = ActivityData(
            sport=normalize_sport(sport_msg.get("sport"), sport_msg.get("sub_sport")),
            samples=_merge_hr(records, hr_stream),
            rr_ms=found["rr"],
            laps=[summary for summary, _ in found["lap"]],
            accel=accel,
        )
        if found["session"]:
            parsed.warnings.append("the session summary had no start time; derived from records")
        parsed.activities.append(activity)
        return parsed
    for index, (summary, values) in enumerate(sessions):
        window = _window(summary)
        in_window = [s for s in records if _inside(s.timestamp, window)]
        hr_in = [(t, b) for t, b in hr_stream if _inside(t, window)]
        parsed.activities.append(
            ActivityData(
                sport=normalize_sport(values.get("sport"), values.get("sub_sport")),
                sub_sport=str(values["sub_sport"]) if "sub_sport" in values else None,
                samples=_merge_hr(in_window, hr_in),
                rr_ms=found["rr"] if len(sessions) == 1 else [],
                summary=summary,
                laps=[lap for lap, _ in found["lap"] if _starts_within(lap.start, summary)],
                extra={"session_index": index},
                accel=_accel_in(accel, window),
            )
        )
    if found["rr"] and len(sessions) > 1:
        parsed.warnings.append("beat-to-beat (HRV) data of a multisport file was not split")
    return parsed
