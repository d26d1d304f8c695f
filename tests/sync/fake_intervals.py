"""A fake intervals.icu: the endpoints coachloop calls, as the public API reference has them.

Reference: https://intervals.icu/api-docs.html (OpenAPI "Intervals.icu API") and the API
announcement thread https://forum.intervals.icu/t/api-access-to-intervals-icu/609, which
give: HTTP basic auth, user ``API_KEY``, password the athlete's key (401 otherwise);
``GET /api/v1/athlete/{id}``; ``GET /api/v1/athlete/{id}/activities?oldest=&newest=``
(ISO dates, inclusive, newest first; an activity has ``id`` like "i12345678",
``start_date_local``, ``start_date`` (UTC, "Z"), ``type`` "Ride"/"Run"/..., ``moving_time``,
``elapsed_time`` (s), ``distance`` (m), ``total_elevation_gain``, ``average_heartrate``,
``max_heartrate``, ``icu_training_load``, ``icu_rpe``, ``feel``, ``device_watts``,
``source``; Strava-sourced activities come as stubs with a ``_note`` and no values);
``GET /api/v1/activity/{id}/file`` (the original file, gzipped) and ``/fit-file``;
``GET /api/v1/activity/{id}/streams{ext}`` (getActivityStreams, "List streams for the
activity": ``ext`` empty or ``.json``, ``.csv`` is CSV and not served here; query ``types``,
the streams wanted; answers a JSON list of ActivityStream objects ``{"type", "name", "data",
"data2", "valueTypeIsArray", "anomalies", "custom", "allNull"}``, a type the activity lacks
left out, an activity entered by hand answering ``[]``);
``GET /api/v1/athlete/{id}/wellness?oldest=&newest=`` (``id`` = the ISO date, ``restingHR``,
``hrv``, ``hrvSDNN``, ``sleepSecs``, ``sleepScore``, ``sleepQuality``, ``weight``,
``soreness``, ``fatigue``, ``stress``, ``mood``, ``motivation``, ``steps``; the 1-4 scales
are the thread's).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import re
from dataclasses import dataclass, field
from typing import Any

from tests.sync.fake_server import Answer, Fake, Request

ATHLETE_PATH = re.compile(r"^/api/v1/athlete/(?P<athlete>[^/]+)(?P<rest>/.*)?$")
FILE_PATH = re.compile(r"^/api/v1/activity/(?P<id>[^/]+)/(?P<kind>file|fit-file)$")
STREAMS_PATH = re.compile(r"^/api/v1/activity/(?P<id>[^/]+)/streams(?P<ext>\.json)?$")
STREAM_NAMES = {"time": "Time", "heartrate": "Heart Rate", "watts": "Power",
                "distance": "Distance", "altitude": "Altitude",
                "velocity_smooth": "Speed", "cadence": "Cadence"}


@dataclass
class FakeIntervals(Fake):
    """One athlete's account: ``activities`` (API objects), ``files`` by id, ``wellness``."""

    athlete_id: str = "i4242"
    api_key: str = "k3y-0f-th3-at4l3t3-xyz"
    activities: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    wellness: list[dict[str, Any]] = field(default_factory=list)
    listing: Any = None  # answered instead of the activity list (a malformed payload)
    streams: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # id -> type -> data

    def add_activity(
        self,
        external_id: str,
        start: dt.datetime,
        *,
        minutes: float,
        hr: float | None = 140,
        fit: bytes | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": external_id,
            "start_date_local": start.replace(tzinfo=None).isoformat(),
            "start_date": start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "type": "Run",
            "name": "Morning Run",
            "moving_time": int(minutes * 60) - 30,
            "elapsed_time": int(minutes * 60),
            "distance": minutes * 180.0,
            "total_elevation_gain": 42.0,
            "average_heartrate": hr,
            "max_heartrate": None if hr is None else hr + 25,
            "icu_training_load": 55,
            "icu_rpe": 6,
            "feel": 2,
            "device_watts": False,
            "source": "GARMIN_CONNECT",
            **fields,
        }
        self.activities.append(item)
        if fit is not None:
            self.files[external_id] = fit
        return item

    def add_streams(self, external_id: str, hr: list[int], *, speed_ms: float = 3.0) -> None:
        """The recording of an activity without a file, one point a second."""
        points = len(hr)
        self.streams[external_id] = {
            "time": list(range(points)),
            "heartrate": list(hr),
            "distance": [round(i * speed_ms, 1) for i in range(points)],
            "velocity_smooth": [speed_ms] * points,
        }

    def _streams(self, request: Request, external_id: str) -> Answer:
        if not any(a.get("id") == external_id for a in self.activities):
            return 404, {}, b'{"status":404,"error":"Not found"}'
        wanted = [t for t in request.query.get("types", "").split(",") if t]
        found = self.streams.get(external_id, {})
        return self.json_answer([
            {"type": kind, "name": STREAM_NAMES.get(kind, kind), "data": data, "data2": None,
             "valueTypeIsArray": False, "anomalies": None, "custom": False, "allNull": False}
            for kind, data in found.items() if not wanted or kind in wanted
        ])

    def add_strava_stub(self, external_id: str, start: dt.datetime) -> None:
        self.activities.append(
            {
                "id": external_id,
                "source": "STRAVA",
                "start_date_local": start.replace(tzinfo=None).isoformat(),
                "_note": "STRAVA activities are not available via the API",
            }
        )

    def _authorised(self, request: Request) -> bool:
        expected = base64.b64encode(f"API_KEY:{self.api_key}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {expected}"

    def handle(self, request: Request) -> Answer:
        if not self._authorised(request):
            return (
                401,
                {"Content-Type": "application/json"},
                (b'{"status":401,"error":"Unauthorized"}'),
            )
        if match := STREAMS_PATH.match(request.path):
            return self._streams(request, match["id"])
        if match := FILE_PATH.match(request.path):
            data = self.files.get(match["id"])
            if data is None or match["kind"] != "file":
                return 404, {}, b'{"status":404,"error":"Not found"}'
            return 200, {"Content-Type": "application/octet-stream"}, gzip.compress(data)
        match = ATHLETE_PATH.match(request.path)
        if match is None or match["athlete"] not in (self.athlete_id, "0"):
            return 404, {}, b'{"status":404,"error":"Not found"}'
        rest = match["rest"] or ""
        if rest == "":
            return self.json_answer({"id": self.athlete_id, "name": "Ana"})
        oldest = dt.date.fromisoformat(request.query.get("oldest", "1970-01-01"))
        newest = dt.date.fromisoformat(request.query.get("newest", "2999-12-31"))
        if rest == "/activities" and self.listing is not None:
            return self.json_answer(self.listing)
        if rest == "/activities":
            inside = [
                a
                for a in self.activities
                if oldest <= dt.date.fromisoformat(a["start_date_local"][:10]) <= newest
            ]
            inside.sort(key=lambda a: a["start_date_local"], reverse=True)
            return self.json_answer(inside)
        if rest == "/wellness":
            return self.json_answer(
                [w for w in self.wellness if oldest <= dt.date.fromisoformat(w["id"]) <= newest]
            )
        return 404, {}, b'{"status":404,"error":"Not found"}'
