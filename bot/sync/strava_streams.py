"""A provider's streams of one activity (Strava's, intervals.icu's), read into the samples a
FIT file's records become.

Why samples: heart-rate load (Banister's and Edwards' TRIMP, the zones) is computed sample by
sample from a recording (`planner.session_metrics`); from a summary's mean heart rate it is
an underestimate for interval sessions. A Strava activity's streams are its recording at up
to one point a second, so they go through the very path an uploaded file takes
(`bot.uploads.build_rows`): the same cleaning, the same metrics, the same kind of row.

Reference: developers.strava.com/docs/reference/#api-Streams-getActivityStreams
(``GET /activities/{id}/streams?keys=time,heartrate,...&key_by_type=true``, answering a
StreamSet: an object keyed by stream type, each ``{"data": [...], "series_type",
"original_size", "resolution"}``; a stream the activity lacks is left out; every stream of an
activity has the same length, index i of each is the same moment). ``time`` is seconds from
the start, ``heartrate`` bpm, ``watts`` W, ``distance`` and ``altitude`` m,
``velocity_smooth`` m/s, ``cadence`` rpm. A manual activity has no streams (404 or an empty
set): the summary is stored instead.

intervals.icu's streams (intervals.icu/api-docs.html, ``GET /api/v1/activity/{id}/streams{ext}``,
getActivityStreams) use the same type names (``time``, ``heartrate``, ``watts``,
``distance``, ``altitude``, ``velocity_smooth``, ``cadence``) and answer a list of
ActivityStream objects, ``{"type", "name", "data", "data2", ...}``: the list form read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import httpx

from bot.sync.records import ActivitySummary
from bot.sync.transport import MalformedPayload
from storage.readers import ActivityData, ParsedFile
from storage.readers.records import Sample, finite

#: The streams asked for, in the reference's names -> `Sample` fields (None: the clock).
KEYS: dict[str, str | None] = {
    "time": None,
    "heartrate": "hr",
    "watts": "power",
    "distance": "distance",
    "altitude": "altitude",
    "velocity_smooth": "speed",
    "cadence": "cadence",
}
FILE_TYPE = "streams"  # file_type of a row built from a provider's streams (storage)
MAX_POINTS = 200_000  # 48 h at 1 Hz is 172,800: more is not an activity


def _series(found: object, provider: str) -> dict[str, list[object]]:
    """The streams by type, from the keyed StreamSet or the list form (``type`` in each)."""
    if isinstance(found, list):
        found = {
            str(s.get("type")): s for s in found if isinstance(s, dict) and "type" in s
        }
    if not isinstance(found, dict):
        raise MalformedPayload(f"{provider} sent streams that are not a stream set")
    out: dict[str, list[object]] = {}
    for key in KEYS:
        stream = found.get(key)
        if stream is None:
            continue
        data = stream.get("data") if isinstance(stream, dict) else None
        if not isinstance(data, list):
            raise MalformedPayload(f"{provider} sent a {key} stream without its data")
        out[key] = data
    return out


def streams_from(response: httpx.Response,
                 provider: str = "Strava") -> dict[str, list[object]] | None:
    """A streams endpoint's answer (Strava's and intervals.icu's share the shape): None for a
    404 or nothing to build samples from, `MalformedPayload` for what is not JSON."""
    if response.status_code == 404:
        return None
    try:
        found = response.json()
    except ValueError:
        raise MalformedPayload(f"{provider} sent streams that are not JSON") from None
    return parse_streams(found, provider)


def parse_streams(found: object, provider: str = "Strava") -> dict[str, list[object]] | None:
    """Validated streams, or None when there is nothing to build samples from (no time
    stream, fewer than two points: a manual activity). `MalformedPayload` for streams that
    contradict the reference (unequal lengths, a clock that runs backwards)."""
    series = _series(found, provider)
    clock = series.get("time")
    if not clock or len(clock) < 2:
        return None
    if len(clock) > MAX_POINTS:
        raise MalformedPayload(f"{provider} sent more stream points than an activity has")
    if any(len(data) != len(clock) for data in series.values()):
        raise MalformedPayload(f"{provider} sent streams of unequal lengths")
    previous = -1.0
    for value in clock:
        second = finite(value)
        if second is None or second < previous:
            raise MalformedPayload(
                f"{provider} sent a time stream that is not increasing seconds")
        previous = second
    return series


def activity_data(summary: ActivitySummary, series: Mapping[str, list[object]]) -> ActivityData:
    """The activity as a reader's `ActivityData`: one `Sample` per stream point, timed from
    the activity's start (UTC); values that are not finite numbers are missing (None)."""
    samples = []
    for index, second in enumerate(series["time"]):
        values = {
            field: finite(series[key][index])
            for key, field in KEYS.items()
            if field is not None and key in series
        }
        moment = summary.start + dt.timedelta(seconds=finite(second) or 0.0)  # checked
        samples.append(Sample(timestamp=moment, **values))
    return ActivityData(sport=summary.sport, samples=samples)


def as_parsed(summary: ActivitySummary, series: Mapping[str, list[object]]) -> ParsedFile:
    """What a reader returns for a one-session file, so `bot.uploads.build_rows` applies."""
    return ParsedFile(FILE_TYPE, activities=[activity_data(summary, series)])
