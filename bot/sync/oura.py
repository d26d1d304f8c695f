"""Oura: sleep, HRV and resting heart rate into the day summary, by personal access token.

Reference: https://cloud.ouraring.com/v2/docs (API v2). A bearer token (a personal access
token from cloud.ouraring.com/personal-access-tokens, or an OAuth access token) in the
``Authorization`` header. ``GET /v2/usercollection/personal_info`` checks it;
``GET /v2/usercollection/sleep?start_date=&end_date=&next_token=`` lists sleep periods
(``day``, ``type``: long_sleep | sleep | late_nap | rest | deleted, ``average_hrv`` (ms,
rMSSD), ``lowest_heart_rate`` and ``average_heart_rate`` (bpm), ``total_sleep_duration`` (s),
``efficiency``); ``GET /v2/usercollection/daily_sleep`` gives each day's ``score``. Lists
are pages ``{"data": [...], "next_token": ...}``. Oura's own "resting heart rate" is the
lowest heart rate of the night, which is what we store as the day's resting HR; the night's
HRV is its mean rMSSD. A night belongs to the day Oura files it under (the morning after).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from bot.sync.budgets import RequestBudget, budget_for
from bot.sync.records import Wellness
from bot.sync.transport import MalformedPayload, ProviderHttp

NAME = "Oura"
TOKEN = re.compile(r"^[A-Za-z0-9_.-]{20,300}$")
MAX_PAGES = 50
NIGHT_TYPES = ("long_sleep", "sleep")


def parse_token(text: str) -> str:
    """A pasted token; ValueError with the form."""
    value = text.strip()
    if not TOKEN.match(value):
        raise ValueError(
            "send the personal access token alone, as Oura shows it "
            "(cloud.ouraring.com > Personal access tokens)"
        )
    return value


def _number(value: object, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if low <= float(value) <= high else None


def nights_to_days(periods: list[dict[str, Any]], scores: dict[dt.date, float]) -> list[Wellness]:
    """One day per night: its main sleep (the longest period), bounded as day summaries."""
    best: dict[dt.date, dict[str, Any]] = {}
    for period in periods:
        if not isinstance(period, dict) or period.get("type") not in NIGHT_TYPES:
            continue
        try:
            day = dt.date.fromisoformat(str(period.get("day")))
        except ValueError:
            raise MalformedPayload(f"{NAME} sent a sleep period without its day") from None
        length = _number(period.get("total_sleep_duration"), 0, 24 * 3600) or 0.0
        kept = best.get(day)
        if kept is None or length > (_number(kept.get("total_sleep_duration"), 0, 86400) or 0):
            best[day] = period
    out = []
    for day, period in sorted(best.items()):
        seconds = _number(period.get("total_sleep_duration"), 0, 24 * 3600)
        own = {
            k: v
            for k, v in (
                ("sleepScore", scores.get(day)),
                ("efficiency", _number(period.get("efficiency"), 0, 100)),
                ("averageHR", _number(period.get("average_heart_rate"), 25, 250)),
            )
            if v is not None
        }
        out.append(
            Wellness(
                day=day,
                resting_hr=_number(period.get("lowest_heart_rate"), 25, 150),
                hrv_ms=_number(period.get("average_hrv"), 1, 500),
                sleep_h=None if seconds is None else round(seconds / 3600, 2),
                steps=None,
                own=own,
            )
        )
    for day in sorted(set(scores) - set(best)):  # a score without a night we could read
        out.append(
            Wellness(
                day=day,
                resting_hr=None,
                hrv_ms=None,
                sleep_h=None,
                steps=None,
                own={"sleepScore": scores[day]},
            )
        )
    return out


class OuraClient:
    """The calls coachloop makes to Oura for one person."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_s: float = 20,
        max_wait_s: float = 5,
        budget: RequestBudget | None = None,
    ) -> None:
        self.http = ProviderHttp(
            NAME,
            base_url,
            budget or budget_for("oura"),
            timeout_s=timeout_s,
            max_wait_s=max_wait_s,
            headers={"Authorization": f"Bearer {token}"},
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def _pages(self, path: str, oldest: dt.date, newest: dt.date) -> Iterator[dict[str, Any]]:
        token: str | None = None
        for _ in range(MAX_PAGES):
            params = {"start_date": oldest.isoformat(), "end_date": newest.isoformat()}
            if token:
                params["next_token"] = token
            page = self.http.json("GET", path, params=params)
            if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                raise MalformedPayload(f"{NAME} sent a page that is not {{data: [...]}}")
            yield from page["data"]
            token = page.get("next_token") if isinstance(page.get("next_token"), str) else None
            if not token:
                return

    def days(self, oldest: dt.date, newest: dt.date) -> list[Wellness]:
        """Each night's sleep, HRV and lowest heart rate, with the day's sleep score."""
        scores: dict[dt.date, float] = {}
        for item in self._pages("/v2/usercollection/daily_sleep", oldest, newest):
            if not isinstance(item, dict):
                raise MalformedPayload(f"{NAME} sent a daily sleep that is not an object")
            try:
                day = dt.date.fromisoformat(str(item.get("day")))
            except ValueError:
                raise MalformedPayload(f"{NAME} sent a daily sleep without its day") from None
            score = _number(item.get("score"), 0, 100)
            if score is not None:
                scores[day] = score
        periods = list(self._pages("/v2/usercollection/sleep", oldest, newest))
        return nights_to_days(periods, scores)
