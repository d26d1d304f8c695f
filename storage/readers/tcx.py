"""TCX (Garmin Training Center) reader on defusedxml: activities, laps, trackpoints.

Why our own parser rather than tcxreader: tcxreader parses with the standard library's
ElementTree without entity protection and flattens multisport sessions; defusedxml refuses
DTDs, entities and external references outright. Each ``<Activity>`` (including those inside a
``<MultiSportSession>``) becomes one ``ActivityData``; its ``<Lap>`` totals (TotalTimeSeconds,
DistanceMeters, average/maximum heart rate) are kept as the device's own summary. Speed,
run cadence and watts come from the ``ActivityExtension/v2`` ``TPX`` element.
"""

from __future__ import annotations

import datetime as dt
import logging
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

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
from storage.readers.xml_safety import decode_xml_text

log = logging.getLogger(__name__)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(element: Element, *path: str) -> Element | None:
    """First descendant following local names (namespaces ignored: exporters vary)."""
    current: Element | None = element
    for name in path:
        if current is None:
            return None
        current = next((c for c in current if _local(c.tag) == name), None)
    return current


def _number(element: Element, *path: str) -> float | None:
    node = _child(element, *path)
    if node is None or node.text is None:
        return None
    try:
        return finite(float(node.text.strip()))
    except ValueError:
        return None


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    stamp = stamp.astimezone(dt.UTC)
    return stamp if plausible_time(stamp) else None


def _trackpoint(point: Element) -> Sample | None:
    time_node = _child(point, "Time")
    stamp = _time(time_node.text if time_node is not None else None)
    if stamp is None:
        return None
    tpx = _child(point, "Extensions", "TPX")
    run_cadence = _number(tpx, "RunCadence") if tpx is not None else None
    cadence = _number(point, "Cadence")
    return Sample(
        timestamp=stamp,
        hr=_number(point, "HeartRateBpm", "Value"),
        speed=_number(tpx, "Speed") if tpx is not None else None,
        cadence=cadence if cadence is not None else run_cadence,
        power=_number(tpx, "Watts") if tpx is not None else None,
        altitude=_number(point, "AltitudeMeters"),
        distance=_number(point, "DistanceMeters"),
        lat=_number(point, "Position", "LatitudeDegrees"),
        lon=_number(point, "Position", "LongitudeDegrees"),
    )


def _lap_summary(lap: Element) -> Summary:
    return Summary(
        start=_time(lap.get("StartTime")),
        elapsed_s=_number(lap, "TotalTimeSeconds"),
        timer_s=_number(lap, "TotalTimeSeconds"),
        distance_m=_number(lap, "DistanceMeters"),
        hr_avg=_number(lap, "AverageHeartRateBpm", "Value"),
        hr_max=_number(lap, "MaximumHeartRateBpm", "Value"),
        calories=_number(lap, "Calories"),
        cadence_avg=_number(lap, "Cadence"),
    )


def _session_summary(laps: list[Summary]) -> Summary | None:
    """Sum of lap totals; HR average weighted by lap time, HR max the lap maximum."""
    if not laps:
        return None
    timed = [lap for lap in laps if lap.timer_s]
    with_hr = [lap for lap in timed if lap.hr_avg is not None]
    total_t = sum(lap.timer_s or 0.0 for lap in timed)
    hr_t = sum(lap.timer_s or 0.0 for lap in with_hr)
    maxima = [lap.hr_max for lap in laps if lap.hr_max is not None]
    distances = [lap.distance_m for lap in laps if lap.distance_m is not None]
    return Summary(
        start=laps[0].start,
        timer_s=total_t or None,
        distance_m=sum(distances) if distances else None,
        hr_avg=sum((lap.hr_avg or 0.0) * (lap.timer_s or 0.0) for lap in with_hr) / hr_t
        if hr_t
        else None,
        hr_max=max(maxima) if maxima else None,
        calories=sum(lap.calories or 0.0 for lap in laps) or None,
    )


def _activity(node: Element) -> ActivityData:
    laps = [c for c in node if _local(c.tag) == "Lap"]
    samples = [
        sample
        for lap in laps
        for track in lap
        if _local(track.tag) == "Track"
        for point in track
        if _local(point.tag) == "Trackpoint"
        for sample in [_trackpoint(point)]
        if sample is not None
    ]
    samples.sort(key=lambda s: s.timestamp)
    lap_summaries = [_lap_summary(lap) for lap in laps]
    return ActivityData(
        sport=normalize_sport(node.get("Sport")),
        samples=samples,
        laps=lap_summaries,
        summary=_session_summary(lap_summaries),
    )


def read_tcx(data: bytes) -> ParsedFile:
    """Parse TCX bytes into one ``ActivityData`` per ``<Activity>``."""
    text = decode_xml_text(data)
    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise WearableFileError("this XML file uses DTD/entities; refused for safety") from exc
    except Exception as exc:  # ParseError and friends on truncated or hostile input
        log.info("TCX parse failed: %s", type(exc).__name__)
        raise WearableFileError(
            "this TCX file is not well-formed XML (it may be cut off); export it again"
        ) from exc
    if _local(root.tag) != "TrainingCenterDatabase":
        raise WearableFileError("this XML file is not a TCX export (no TrainingCenterDatabase)")
    nodes = [n for n in root.iter() if _local(n.tag) == "Activity"]
    if not nodes:
        raise WearableFileError("this TCX file holds no activity (perhaps only a course/workout)")
    parsed = ParsedFile(file_type="tcx", activities=[_activity(n) for n in nodes])
    if len(nodes) > 1:
        for index, activity in enumerate(parsed.activities):
            activity.extra["session_index"] = index
    return parsed
