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
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

import fitdecode
from fitdecode.types import DevFieldDefinition

from storage.readers.records import (
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


def _decode(data: bytes) -> dict[str, list[Any]]:
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
    return found


def _merge_hr(samples: list[Sample], extra_hr: list[tuple[dt.datetime, float]]) -> list[Sample]:
    if not extra_hr or sum(s.hr is not None for s in samples) >= 0.5 * max(len(samples), 1):
        return samples
    merged = samples + [Sample(timestamp=t, hr=bpm) for t, bpm in extra_hr]
    merged.sort(key=lambda s: s.timestamp)
    return merged


def read_fit(data: bytes) -> ParsedFile:
    """Parse FIT bytes into one ``ActivityData`` per session; raise ``WearableFileError``."""
    try:
        found = _decode(data)
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
    if not sessions:
        sport_msg = found["sport"][0] if found["sport"] else {}
        activity = ActivityData(
            sport=normalize_sport(sport_msg.get("sport"), sport_msg.get("sub_sport")),
            samples=_merge_hr(records, hr_stream),
            rr_ms=found["rr"],
            laps=[summary for summary, _ in found["lap"]],
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
            )
        )
    if found["rr"] and len(sessions) > 1:
        parsed.warnings.append("beat-to-beat (HRV) data of a multisport file was not split")
    return parsed
