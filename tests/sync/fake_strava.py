"""A fake Strava: OAuth, the athlete's activities and the push subscription's handshake.

Reference: developers.strava.com/docs/authentication (``GET /oauth/authorize?client_id
&redirect_uri&response_type=code&approval_prompt&scope&state``: the athlete allows access and
is sent to ``redirect_uri?state=&code=&scope=`` (the scopes granted, ``read`` added; here at
once, as if "Authorize" were pressed), ``POST
/oauth/token`` with ``grant_type`` ``authorization_code`` or ``refresh_token``, answering
``{"token_type": "Bearer", "expires_at", "expires_in", "refresh_token", "access_token",
"athlete": {...}}`` (no athlete on a refresh), ``POST /oauth/deauthorize``);
developers.strava.com/docs/reference (``GET /api/v3/athlete/activities?before&after&page
&per_page``, SummaryActivity fields as in its example; #api-Streams-getActivityStreams:
``GET /api/v3/activities/{id}/streams?keys=time,heartrate,...&key_by_type=true`` answering a
StreamSet keyed by type, each stream ``{"data": [...], "series_type": "distance",
"original_size": n, "resolution": "high"}`` as in the reference's example stream, a type the
activity lacks left out, 404 ``Record Not Found`` for an activity without streams);
developers.strava.com/docs/rate-limits
(``X-RateLimit-Limit: 200,2000`` / ``X-RateLimit-Usage: n,m`` on every answer, 429 when used
up); developers.strava.com/docs/webhooks (the subscription's ``GET callback?hub.mode=subscribe
&hub.challenge=&hub.verify_token=`` handshake answered with ``{"hub.challenge": ...}``; events
``{"object_type", "object_id", "aspect_type", "owner_id", "subscription_id", "event_time",
"updates"}``, deauthorisation = athlete ``update`` with ``{"authorized": "false"}``).

One fake serves both hosts' paths: ``/oauth/...`` and ``/api/v3/...``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.sync.fake_server import Answer, Fake, Request

CLIENT_ID = "4242"
CLIENT_SECRET = "s3cr3t-of-the-app-0000"


@dataclass
class FakeStrava(Fake):
    """One athlete's Strava account and one app."""

    athlete_id: int = 134815
    codes: set[str] = field(default_factory=set)
    access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expires_at
    refresh_tokens: set[str] = field(default_factory=set)
    activities: list[dict[str, Any]] = field(default_factory=list)
    deauthorized: list[str] = field(default_factory=list)
    token_life_s: float = 21_600
    usage: list[int] = field(default_factory=lambda: [0, 0])
    streams: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # id -> type -> data

    def new_code(self) -> str:
        code = secrets.token_hex(20)
        self.codes.add(code)
        return code

    def add_activity(
        self, activity_id: int, start: dt.datetime, *, minutes: float, hr: float | None = 145
    ) -> None:
        self.activities.append(
            {
                "resource_state": 2,
                "athlete": {"id": self.athlete_id, "resource_state": 1},
                "name": "Happy Friday",
                "distance": minutes * 200.0,
                "moving_time": int(minutes * 60),
                "elapsed_time": int(minutes * 60) + 20,
                "total_elevation_gain": 10.0,
                "type": "Ride",
                "sport_type": "Ride",
                "id": activity_id,
                "start_date": start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "start_date_local": start.replace(tzinfo=None).isoformat() + "Z",
                "timezone": "(GMT+00:00) Europe/London",
                "trainer": False,
                "private": False,
                "has_heartrate": hr is not None,
                "average_heartrate": hr,
                "max_heartrate": None if hr is None else hr + 30,
                "device_watts": False,
                "average_watts": 180.0,
            }
        )

    def add_streams(
        self,
        activity_id: int,
        hr: list[int] | None,
        *,
        watts: list[int] | None = None,
        speed_ms: float = 3.0,
        cadence: list[int] | None = None,
    ) -> None:
        """The activity's recording at one point a second (``time`` 0, 1, 2, ...)."""
        points = len(hr if hr is not None else watts or [])
        streams: dict[str, list[Any]] = {
            "time": list(range(points)),
            "distance": [round(i * speed_ms, 1) for i in range(points)],
            "velocity_smooth": [speed_ms] * points,
            "altitude": [100.0 + (i % 50) * 0.2 for i in range(points)],
        }
        for key, data in (("heartrate", hr), ("watts", watts), ("cadence", cadence)):
            if data is not None:
                streams[key] = list(data)
        self.streams[str(activity_id)] = streams

    def _streams(self, request: Request, activity_id: str) -> Answer:
        found = self.streams.get(activity_id)
        if found is None:
            return 404, self._rate_headers(), b'{"message":"Record Not Found","errors":[]}'
        keys = [k for k in request.query.get("keys", "").split(",") if k]
        chosen = {k: v for k, v in found.items() if not keys or k in keys}
        shaped = {
            k: {"data": v, "series_type": "distance", "original_size": len(v),
                "resolution": "high"}
            for k, v in chosen.items()
        }
        if request.query.get("key_by_type") == "true":
            return self.json_answer(shaped, headers=self._rate_headers())
        return self.json_answer([{"type": k, **v} for k, v in shaped.items()],
                                headers=self._rate_headers())

    def _tokens(self, *, athlete: bool) -> dict[str, Any]:
        access, refresh = secrets.token_hex(20), secrets.token_hex(20)
        expires = time.time() + self.token_life_s
        self.access_tokens[access] = expires
        self.refresh_tokens.add(refresh)
        body: dict[str, Any] = {
            "token_type": "Bearer",
            "expires_at": int(expires),
            "expires_in": int(self.token_life_s),
            "refresh_token": refresh,
            "access_token": access,
        }
        if athlete:
            body["athlete"] = {"id": self.athlete_id, "username": "ana", "firstname": "Ana"}
        return body

    def _rate_headers(self) -> dict[str, str]:
        self.usage = [self.usage[0] + 1, self.usage[1] + 1]
        return {
            "X-RateLimit-Limit": "200,2000",
            "X-RateLimit-Usage": f"{self.usage[0]},{self.usage[1]}",
        }

    def _authorize(self, request: Request) -> Answer:
        """The athlete presses "Authorize": a redirect carrying a new code and our state."""
        query = request.query
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {}, b'{"message":"Bad Request","errors":[{"field":"client_id"}]}'
        granted = ",".join(["read", *(s for s in query.get("scope", "").split(",") if s)])
        target = query.get("redirect_uri", "") + "?" + urlencode(
            {"state": query.get("state", ""), "code": self.new_code(), "scope": granted})
        return 302, {"Location": target}, b""

    def handle(self, request: Request) -> Answer:
        if request.path == "/oauth/authorize" and request.method == "GET":
            return self._authorize(request)
        if request.path == "/oauth/token" and request.method == "POST":
            form = request.form()
            if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                return 401, {}, b'{"message":"Bad Request","errors":[{"code":"invalid"}]}'
            if form.get("grant_type") == "authorization_code":
                if form.get("code") not in self.codes:
                    return 400, {}, b'{"message":"Bad Request","errors":[{"code":"invalid"}]}'
                self.codes.discard(form["code"])
                return self.json_answer(self._tokens(athlete=True))
            if form.get("grant_type") == "refresh_token":
                if form.get("refresh_token") not in self.refresh_tokens:
                    return 400, {}, b'{"message":"Bad Request"}'
                self.refresh_tokens.discard(form["refresh_token"])
                return self.json_answer(self._tokens(athlete=False))
            return 400, {}, b'{"message":"Bad Request"}'
        if request.path == "/oauth/deauthorize" and request.method == "POST":
            token = request.form().get("access_token", "")
            if token not in self.access_tokens:
                return 401, {}, b'{"message":"Authorization Error"}'
            self.deauthorized.append(token)
            del self.access_tokens[token]
            return self.json_answer({"access_token": token})
        if request.path.startswith("/api/v3/"):
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if self.access_tokens.get(bearer, 0) < time.time():
                return (
                    401,
                    self._rate_headers(),
                    (b'{"message":"Authorization Error","errors":[{"code":"invalid"}]}'),
                )
        parts = request.path.split("/")
        if len(parts) == 6 and parts[:4] == ["", "api", "v3", "activities"] and (
            parts[5] == "streams" and request.method == "GET"
        ):
            return self._streams(request, parts[4])
        if request.path == "/api/v3/athlete/activities":
            after = int(request.query.get("after", "0"))
            page, per_page = (
                int(request.query.get("page", "1")),
                int(request.query.get("per_page", "30")),
            )
            inside = sorted(
                (
                    a
                    for a in self.activities
                    if dt.datetime.fromisoformat(a["start_date"].replace("Z", "+00:00")).timestamp()
                    > after
                ),
                key=lambda a: a["start_date"],
            )
            chunk = inside[(page - 1) * per_page : page * per_page]
            return self.json_answer(chunk, headers=self._rate_headers())
        return 404, {}, b'{"message":"Record Not Found"}'
