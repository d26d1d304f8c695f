"""GPX reader (gpxpy): track points with time, elevation and Garmin TrackPointExtension data.

Every track segment of every track becomes part of one activity (GPX has no notion of sport
sessions; ``<trk><type>`` names the sport when present). Heart rate, cadence, temperature and
power come from the ``gpxtpx:TrackPointExtension`` (or any extension child named ``hr``,
``cad``, ``power``). Points with an implausible time (e.g. 1901, a 32-bit clock overflow seen
in real exports) lose their time; a track without any valid time is refused, since neither
when nor how long the session was can be known.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import gpxpy
import gpxpy.gpx

from storage.readers.records import (
    ActivityData,
    ParsedFile,
    Sample,
    WearableFileError,
    normalize_sport,
    plausible_time,
)
from storage.readers.xml_safety import decode_xml_text

log = logging.getLogger(__name__)

_EXTENSION_KEYS = {"hr": "hr", "heartrate": "hr", "cad": "cadence", "cadence": "cadence",
                   "power": "power", "watts": "power", "speed": "speed"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _extension_values(point: gpxpy.gpx.GPXTrackPoint) -> dict[str, float]:
    found: dict[str, float] = {}
    for root in point.extensions or []:
        for element in root.iter():
            key = _EXTENSION_KEYS.get(_local(str(element.tag)))
            if key and element.text:
                try:
                    found.setdefault(key, float(element.text.strip()))
                except ValueError:
                    continue
    return found


def _as_utc(value: Any) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    stamp = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    stamp = stamp.astimezone(dt.UTC)
    return stamp if plausible_time(stamp) else None


def read_gpx(data: bytes) -> ParsedFile:
    """Parse GPX bytes into one ``ActivityData``; raise ``WearableFileError`` when unusable."""
    text = decode_xml_text(data)
    try:
        doc = gpxpy.parse(text)
    except Exception as exc:  # gpxpy raises GPXException, XML errors, ValueError...
        log.info("GPX parse failed: %s", type(exc).__name__)
        raise WearableFileError(
            "this GPX file is not well-formed (it may be cut off); export it again"
        ) from exc
    samples: list[Sample] = []
    points = 0
    sport = None
    for track in doc.tracks:
        sport = sport or normalize_sport(track.type)
        for segment in track.segments:
            for point in segment.points:
                points += 1
                stamp = _as_utc(point.time)
                if stamp is None:
                    continue
                ext = _extension_values(point)
                samples.append(
                    Sample(
                        timestamp=stamp,
                        hr=ext.get("hr"),
                        cadence=ext.get("cadence"),
                        power=ext.get("power"),
                        speed=ext.get("speed"),
                        altitude=point.elevation,
                        lat=point.latitude,
                        lon=point.longitude,
                    )
                )
    if points == 0:
        raise WearableFileError("this GPX file has no track points (a route or waypoints only)")
    if len(samples) < 2:
        raise WearableFileError(
            f"this GPX track has {points} points but no valid timestamps (or only one), so "
            "neither the date nor the duration of the session is known; export it with times"
        )
    samples.sort(key=lambda s: s.timestamp)
    parsed = ParsedFile(file_type="gpx", activities=[ActivityData(sport=sport, samples=samples)])
    if len(samples) < points:
        parsed.warnings.append(f"{points - len(samples)} of {points} points had no valid time")
    return parsed
