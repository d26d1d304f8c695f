"""Strava: OAuth 2 (authorise, exchange the code, refresh before expiry, deauthorise) and the
athlete's activities, on httpx.

Why not stravalib: its protocol layer builds every URL as ``https://{server}/...``
(``stravalib.protocol.ApiV3``), so it cannot be pointed at a local plain-HTTP server by
configuration, which the tests need (tests/sync run the real client against a fake of the
API, never a patched client). The few calls we make are written here against the reference,
with a base URL from the settings; stravalib is therefore not a dependency.

Reference (cited in tests/sync/fake_strava.py too): developers.strava.com/docs/authentication
(``GET /oauth/authorize?client_id&redirect_uri&response_type=code&approval_prompt&scope
&state``; ``POST /oauth/token`` with ``grant_type=authorization_code`` or
``refresh_token``, answering ``access_token``, ``refresh_token``, ``expires_at`` (epoch s)
and, on the first exchange, ``athlete``; ``POST /oauth/deauthorize``), and
developers.strava.com/docs/reference (``GET /athlete/activities?after&before&page
&per_page``; ``GET /activities/{id}/streams``, read in `bot.sync.strava_streams`;
SummaryActivity: ``id``, ``start_date`` (UTC), ``start_date_local``,
``sport_type``/``type``, ``elapsed_time``, ``moving_time``, ``distance``,
``total_elevation_gain``, ``has_heartrate``, ``average_heartrate``, ``max_heartrate``,
``device_watts``, ``average_watts``).

Scope: ``activity:read_all`` (activities, including those only the athlete may see: a private
ride is still training load). Tokens travel in headers and bodies, never in a URL.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from bot.sync import strava_streams
from bot.sync.budgets import budget_for
from bot.sync.config import SyncConfig
from bot.sync.records import ActivitySummary
from bot.sync.transport import RETRIES, AuthRefused, MalformedPayload, ProviderHttp

NAME = "Strava"
SCOPE = "activity:read_all"
PER_PAGE = 100
REFRESH_MARGIN_S = 3600  # refresh an hour before expiry (Strava's tokens last six hours)
MAX_PAGES = 50
#: Strava sport types -> our sport names (storage.activities.EXERCISE_IDS)
SPORTS = {
    "Run": "running",
    "TrailRun": "running",
    "VirtualRun": "running",
    "Ride": "cycling",
    "VirtualRide": "cycling",
    "GravelRide": "cycling",
    "MountainBikeRide": "cycling",
    "EBikeRide": "cycling",
    "Swim": "swimming",
    "Walk": "walking",
    "Hike": "hiking",
    "Rowing": "rowing",
    "VirtualRow": "rowing",
    "NordicSki": "skiing",
    "BackcountrySki": "skiing",
    "Canoeing": "paddling",
    "Kayaking": "paddling",
    "StandUpPaddling": "paddling",
}


def authorize_url(config: SyncConfig, state: str) -> str:
    """Where the athlete allows access; without a redirect URL of ours (polling mode), the
    page Strava sends them to shows the code in its address, which they paste."""
    redirect = config.strava_redirect_url or "http://localhost/exchange_token"
    query = urlencode(
        {
            "client_id": config.strava_client_id or "",
            "redirect_uri": redirect,
            "response_type": "code",
            "approval_prompt": "auto",
            "scope": SCOPE,
            "state": state,
        }
    )
    return f"{config.strava_oauth_url}/authorize?{query}"


def code_from(text: str, *, expected_state: str) -> str:
    """The code from a pasted redirect address (its ``state`` must be ours) or a bare code."""
    value = text.strip()
    if "code=" in value:
        query = parse_qs(urlsplit(value).query or value.partition("?")[2] or value)
        if "error" in query:
            raise ValueError("Strava says access was not allowed")
        state = (query.get("state") or [""])[0]
        if state != expected_state:
            raise ValueError("that address belongs to another /connect strava")
        scope = (query.get("scope") or [""])[0]
        if scope and "activity:read" not in scope:
            raise ValueError("allow activity access on Strava's page (the box was unticked)")
        value = (query.get("code") or [""])[0]
    if not value.isalnum() or not 20 <= len(value) <= 80:
        raise ValueError("a Strava code is 40 letters and digits")
    return value


def _epoch(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedPayload(f"{NAME} sent tokens without their expiry")
    return int(value)


def _number(value: object, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if low <= float(value) <= high else None


def parse_activity(item: object) -> ActivitySummary | None:
    """A validated SummaryActivity (None for one without a duration)."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), int | str):
        raise MalformedPayload(f"{NAME} sent an activity that is not an object with an id")
    elapsed = _number(item.get("elapsed_time"), 1, 48 * 3600)
    if elapsed is None:
        return None
    try:
        start = dt.datetime.fromisoformat(str(item.get("start_date", "")).replace("Z", "+00:00"))
        local = dt.datetime.fromisoformat(
            str(item.get("start_date_local") or item.get("start_date")).replace("Z", "+00:00")
        )
    except ValueError:
        raise MalformedPayload(f"{NAME} sent a start time that is not a time") from None
    start = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
    heart = bool(item.get("has_heartrate", True))
    return ActivitySummary(
        external_id=str(item["id"])[:60],
        start=start.astimezone(dt.UTC),
        local_day=local.date(),
        sport=SPORTS.get(str(item.get("sport_type") or item.get("type") or "")),
        elapsed_s=elapsed,
        moving_s=_number(item.get("moving_time"), 0, elapsed),
        distance_m=_number(item.get("distance"), 0, 2_000_000),
        elevation_m=_number(item.get("total_elevation_gain"), 0, 20_000),
        hr_avg=_number(item.get("average_heartrate"), 25, 250) if heart else None,
        hr_max=_number(item.get("max_heartrate"), 25, 250) if heart else None,
        power=bool(item.get("device_watts")),
        own={},
    )


class StravaOAuth:
    """The token endpoints (the app's id and secret; no athlete token needed)."""

    def __init__(self, config: SyncConfig, *, retries: int = RETRIES) -> None:
        self.config = config
        self.http = ProviderHttp(
            NAME,
            config.strava_oauth_url,
            budget_for("strava", config),
            timeout_s=config.timeout_s,
            max_wait_s=config.max_wait_s,
            retries=retries,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def _tokens(self, form: Mapping[str, str]) -> dict[str, Any]:
        found = self.http.json(
            "POST",
            "/token",
            data={
                "client_id": self.config.strava_client_id or "",
                "client_secret": self.config.strava_client_secret or "",
                **form,
            },
        )
        if (
            not isinstance(found, dict)
            or not found.get("access_token")
            or not found.get("refresh_token")
        ):
            raise MalformedPayload(f"{NAME} sent tokens that are not a token object")
        tokens = {
            "access_token": str(found["access_token"]),
            "refresh_token": str(found["refresh_token"]),
            "expires_at": _epoch(found.get("expires_at")),
        }
        athlete = found.get("athlete")
        if isinstance(athlete, dict) and athlete.get("id") is not None:
            tokens["athlete_id"] = str(athlete["id"])
        return tokens

    def exchange(self, code: str) -> dict[str, Any]:
        """The first tokens (and the athlete's Strava id) for an authorisation code."""
        return self._tokens({"code": code, "grant_type": "authorization_code"})

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """New tokens (Strava may rotate the refresh token too)."""
        return self._tokens({"refresh_token": refresh_token, "grant_type": "refresh_token"})

    def deauthorize(self, access_token: str) -> None:
        """Withdraw the app's access (the token goes in the body, never the URL)."""
        self.http.request("POST", "/deauthorize", data={"access_token": access_token})


def fresh_tokens(
    oauth: StravaOAuth, credentials: Mapping[str, Any], now: float | None = None
) -> dict[str, Any] | None:
    """New tokens when these expire within `REFRESH_MARGIN_S`; None when they are fine."""
    moment = time.time() if now is None else now
    expires = credentials.get("expires_at")
    if isinstance(expires, int | float) and expires - moment > REFRESH_MARGIN_S:
        return None
    refresh = credentials.get("refresh_token")
    if not isinstance(refresh, str) or not refresh:
        raise AuthRefused(f"{NAME} tokens are missing: /connect strava again")
    return oauth.refresh(refresh)


class StravaClient:
    """The athlete's activities, with their access token."""

    def __init__(self, config: SyncConfig, access_token: str) -> None:
        self.http = ProviderHttp(
            NAME,
            config.strava_api_url,
            budget_for("strava", config),
            timeout_s=config.timeout_s,
            max_wait_s=config.max_wait_s,
            headers={"Authorization": f"Bearer {access_token}"},
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def activities(self, after: dt.datetime) -> Iterator[ActivitySummary]:
        """Activities that started after ``after``, oldest first, page by page (at most
        `MAX_PAGES`: the cursor takes the next import on from the newest stored)."""
        found: list[ActivitySummary] = []
        for page in range(1, MAX_PAGES + 1):
            batch = self.http.json(
                "GET",
                "/athlete/activities",
                params={"after": int(after.timestamp()), "page": page, "per_page": PER_PAGE},
            )
            if not isinstance(batch, list):
                raise MalformedPayload(f"{NAME} sent an activity list that is not a list")
            found.extend(a for a in (parse_activity(item) for item in batch) if a is not None)
            if len(batch) < PER_PAGE:
                break
        yield from sorted(found, key=lambda a: a.start)

    def streams(self, activity_id: str) -> dict[str, list[object]] | None:
        """The activity's streams (`bot.sync.strava_streams`), or None when it has none
        (a manual activity: 404 or an empty set)."""
        response = self.http.request(
            "GET",
            f"/activities/{quote(activity_id, safe='')}/streams",
            params={"keys": ",".join(strava_streams.KEYS), "key_by_type": "true"},
        )
        return strava_streams.streams_from(response, NAME)
