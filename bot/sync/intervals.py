"""intervals.icu: activities (with their original FIT file) and wellness, by API key.

The endpoints and payloads are the public API reference's (https://intervals.icu/api-docs.html,
and the API announcement thread, forum.intervals.icu/t/api-access-to-intervals-icu/609):
HTTP basic auth with the user name ``API_KEY`` and the athlete's key as password;
``GET /api/v1/athlete/{id}`` (the athlete: checks the key), ``GET
/api/v1/athlete/{id}/activities?oldest=&newest=`` (activities, newest first),
``GET /api/v1/activity/{id}/file`` (the original file, often gzipped), ``GET
/api/v1/activity/{id}/fit-file`` (a FIT file intervals.icu writes when the original is not a
FIT), ``GET /api/v1/activity/{id}/streams.json?types=time,heartrate,...`` (the recording of
an activity without a file: a list of ActivityStream objects, ``{"type", "name", "data"}``,
the same type names as Strava's, read in `bot.sync.strava_streams`), ``GET
/api/v1/athlete/{id}/wellness?oldest=&newest=`` (one record per day, ``id`` = the date).
Activities intervals.icu got from Strava come back as stubs (``source`` "STRAVA", no values:
intervals.icu may not pass Strava data on), and are skipped here.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx

from bot.sync import strava_streams
from bot.sync.budgets import RequestBudget, budget_for
from bot.sync.records import ActivitySummary, Wellness
from bot.sync.transport import MalformedPayload, ProviderHttp, SyncError

NAME = "intervals.icu"
ATHLETE_ID = re.compile(r"^(i?\d{1,12}|0)$")
API_KEY = re.compile(r"^[A-Za-z0-9_-]{12,80}$")
#: intervals.icu activity types -> our sport names (storage.activities.EXERCISE_IDS)
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
    "OpenWaterSwim": "swimming",
    "Walk": "walking",
    "Hike": "hiking",
    "Rowing": "rowing",
    "VirtualRow": "rowing",
    "NordicSki": "skiing",
    "AlpineSki": "skiing",
    "Canoeing": "paddling",
    "Kayaking": "paddling",
    "StandUpPaddling": "paddling",
}
#: the athlete's own subjective fields, kept with the row as they are (RPE 1-10, feel 1-5)
ACTIVITY_OWN = (
    "icu_rpe",
    "feel",
    "icu_training_load",
    "average_watts",
    "icu_average_watts",
    "name",
)
WELLNESS_OWN = (
    "sleepScore",
    "sleepQuality",
    "weight",
    "soreness",
    "fatigue",
    "stress",
    "mood",
    "motivation",
    "readiness",
    "spO2",
    "hrvSDNN",
)
MAX_FILE_BYTES = 20 * 2**20


def parse_credentials(text: str) -> tuple[str, str]:
    """(athlete id, API key) from "i12345 KEY" (either order); ValueError with the form."""
    parts = text.replace(",", " ").split()
    ids = [p for p in parts if ATHLETE_ID.match(p)]
    keys = [p for p in parts if API_KEY.match(p) and not ATHLETE_ID.match(p)]
    if len(parts) != 2 or len(ids) != 1 or len(keys) != 1:
        raise ValueError(
            "send your athlete id and API key in one message, e.g. "
            "i12345 3x4mpl3k3y (intervals.icu > Settings > Developer Settings)"
        )
    return ids[0], keys[0]


def _number(value: object, low: float, high: float) -> float | None:
    """A number within [low, high], else None (absurd values are missing, never stored)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if low <= number <= high else None


def _time(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise MalformedPayload(f"{NAME} sent an activity without a start time")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedPayload(f"{NAME} sent a start time that is not a time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def parse_activity(item: object) -> ActivitySummary | None:
    """A validated activity, None for a Strava stub or one without a duration."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str | int):
        raise MalformedPayload(f"{NAME} sent an activity that is not an object with an id")
    if str(item.get("source", "")).upper() == "STRAVA":
        return None
    elapsed = _number(item.get("elapsed_time"), 1, 48 * 3600)
    if elapsed is None:
        return None
    start = _time(item.get("start_date") or item.get("start_date_local"))
    local = item.get("start_date_local")
    local_day = _time(local).date() if isinstance(local, str) else start.date()
    own = {
        k: item[k]
        for k in ACTIVITY_OWN
        if isinstance(item.get(k), int | float | str) and not isinstance(item.get(k), bool)
    }
    return ActivitySummary(
        external_id=str(item["id"])[:60],
        start=start.astimezone(dt.UTC),
        local_day=local_day,
        sport=SPORTS.get(str(item.get("type", ""))),
        elapsed_s=elapsed,
        moving_s=_number(item.get("moving_time"), 0, elapsed),
        distance_m=_number(item.get("distance"), 0, 2_000_000),
        elevation_m=_number(item.get("total_elevation_gain"), 0, 20_000),
        hr_avg=_number(item.get("average_heartrate"), 25, 250),
        hr_max=_number(item.get("max_heartrate"), 25, 250),
        power=bool(item.get("device_watts")) or item.get("icu_average_watts") is not None,
        own=own,
    )


def parse_wellness(item: object) -> Wellness:
    """A validated wellness day (bounds as for day-summary files: docs/wearables.md)."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise MalformedPayload(f"{NAME} sent a wellness record without its date")
    try:
        day = dt.date.fromisoformat(item["id"][:10])
    except ValueError:
        raise MalformedPayload(f"{NAME} sent a wellness record whose id is not a date") from None
    sleep_s = _number(item.get("sleepSecs"), 0, 24 * 3600)
    steps = _number(item.get("steps"), 0, 200_000)
    own = {
        k: item[k]
        for k in WELLNESS_OWN
        if isinstance(item.get(k), int | float) and not isinstance(item.get(k), bool)
    }
    return Wellness(
        day=day,
        resting_hr=_number(item.get("restingHR"), 25, 150),
        hrv_ms=_number(item.get("hrv"), 1, 500),
        sleep_h=None if sleep_s is None else round(sleep_s / 3600, 2),
        steps=None if steps is None else int(steps),
        own=own,
    )


class IntervalsClient:
    """The calls coachloop makes to intervals.icu for one athlete."""

    def __init__(
        self,
        base_url: str,
        athlete_id: str,
        api_key: str,
        *,
        timeout_s: float = 20,
        max_wait_s: float = 5,
        budget: RequestBudget | None = None,
    ) -> None:
        self.athlete_id = athlete_id
        self.http = ProviderHttp(
            NAME,
            base_url,
            budget or budget_for("intervals"),
            timeout_s=timeout_s,
            max_wait_s=max_wait_s,
            auth=httpx.BasicAuth("API_KEY", api_key),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def check(self) -> None:
        """Ask for the athlete: raises `AuthRefused` for a wrong key or athlete id."""
        athlete = self.http.json("GET", f"/api/v1/athlete/{self.athlete_id}")
        if not isinstance(athlete, dict):
            raise MalformedPayload(f"{NAME} sent an athlete that is not an object")

    def activities(self, oldest: dt.date, newest: dt.date) -> Iterator[ActivitySummary]:
        """Activities between the two days, oldest first (the import resumes in order)."""
        found = self.http.json(
            "GET",
            f"/api/v1/athlete/{self.athlete_id}/activities",
            params={"oldest": oldest.isoformat(), "newest": newest.isoformat()},
        )
        if not isinstance(found, list):
            raise MalformedPayload(f"{NAME} sent an activity list that is not a list")
        parsed = [a for a in (parse_activity(item) for item in found) if a is not None]
        yield from sorted(parsed, key=lambda a: a.start)

    def activity_file(self, external_id: str) -> bytes | None:
        """The original file (ungzipped), else intervals.icu's FIT, else None."""
        for path in (
            f"/api/v1/activity/{external_id}/file",
            f"/api/v1/activity/{external_id}/fit-file",
        ):
            response = self.http.request("GET", path)
            if response.status_code == 200 and response.content:
                return _ungzip(response.content)
        return None

    def streams(self, external_id: str) -> dict[str, list[object]] | None:
        """The activity's streams, for one without a usable file, or None when it has none
        (a manual entry: 404 or an empty list). Why: heart-rate load from the recording,
        as from a file, rather than from the summary's mean heart rate."""
        response = self.http.request(
            "GET",
            f"/api/v1/activity/{quote(external_id, safe='')}/streams.json",
            params={"types": ",".join(strava_streams.KEYS)},
        )
        return strava_streams.streams_from(response, NAME)

    def wellness(self, oldest: dt.date, newest: dt.date) -> list[Wellness]:
        """Wellness days between the two days."""
        found = self.http.json(
            "GET",
            f"/api/v1/athlete/{self.athlete_id}/wellness",
            params={"oldest": oldest.isoformat(), "newest": newest.isoformat()},
        )
        if not isinstance(found, list):
            raise MalformedPayload(f"{NAME} sent wellness that is not a list")
        return [parse_wellness(item) for item in found]


def _ungzip(data: bytes) -> bytes:
    """Gunzip a downloaded file, refusing one that inflates past the upload limit."""
    if data[:2] != b"\x1f\x8b":
        return data
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        try:
            inflated = handle.read(MAX_FILE_BYTES + 1)
        except (OSError, EOFError):
            raise SyncError(f"{NAME} sent a damaged compressed file") from None
    if len(inflated) > MAX_FILE_BYTES:
        raise SyncError(f"{NAME} sent a file larger than {MAX_FILE_BYTES // 2**20} MiB")
    return inflated
