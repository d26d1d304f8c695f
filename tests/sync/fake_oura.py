"""A fake Oura API v2: the endpoints coachloop calls, as the public reference has them.

Reference: https://cloud.ouraring.com/v2/docs. Bearer token in ``Authorization`` (401
otherwise); ``GET /v2/usercollection/personal_info``; ``GET /v2/usercollection/sleep`` and
``GET /v2/usercollection/daily_sleep`` with ``start_date`` / ``end_date`` (ISO dates) and
``next_token``, answering ``{"data": [...], "next_token": str | null}``. A sleep period has
``id``, ``day``, ``type`` (long_sleep | sleep | late_nap | rest | deleted), ``bedtime_start``,
``bedtime_end``, ``average_hrv``, ``average_heart_rate``, ``lowest_heart_rate``,
``total_sleep_duration``, ``time_in_bed``, ``efficiency``; a daily sleep has ``id``, ``day``,
``score``, ``contributors``, ``timestamp``. ``page_size`` here is the fake's, to exercise the
paging; Oura chooses its own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.sync.fake_server import Answer, Fake, Request


@dataclass
class FakeOura(Fake):
    """One ring's account."""

    token: str = "OURA-PAT-0123456789abcdefABCDEF"
    sleep: list[dict[str, Any]] = field(default_factory=list)
    daily_sleep: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2

    def add_night(
        self,
        day: dt.date,
        *,
        kind: str = "long_sleep",
        hours: float = 7.5,
        hrv: float | None = 62,
        lowest: float | None = 48,
        score: int | None = 80,
    ) -> None:
        end = dt.datetime.combine(day, dt.time(6, 30), tzinfo=dt.UTC)
        self.sleep.append(
            {
                "id": str(uuid.uuid4()),
                "day": day.isoformat(),
                "type": kind,
                "bedtime_start": (end - dt.timedelta(hours=hours + 0.5)).isoformat(),
                "bedtime_end": end.isoformat(),
                "average_hrv": hrv,
                "average_heart_rate": 55.1,
                "lowest_heart_rate": lowest,
                "total_sleep_duration": int(hours * 3600),
                "time_in_bed": int((hours + 0.5) * 3600),
                "efficiency": 91,
            }
        )
        if score is not None and kind == "long_sleep":
            self.daily_sleep.append(
                {
                    "id": str(uuid.uuid4()),
                    "day": day.isoformat(),
                    "score": score,
                    "contributors": {"deep_sleep": 70},
                    "timestamp": end.isoformat(),
                }
            )

    def _page(self, items: list[dict[str, Any]], request: Request) -> Answer:
        first = dt.date.fromisoformat(request.query.get("start_date", "1970-01-01"))
        last = dt.date.fromisoformat(request.query.get("end_date", "2999-12-31"))
        inside = [i for i in items if first <= dt.date.fromisoformat(i["day"]) <= last]
        start = int(request.query.get("next_token", "0"))
        chunk = inside[start : start + self.page_size]
        more = start + self.page_size < len(inside)
        return self.json_answer(
            {"data": chunk, "next_token": str(start + self.page_size) if more else None}
        )

    def handle(self, request: Request) -> Answer:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"Content-Type": "application/json"}, b'{"detail":"Unauthorized"}'
        if request.path == "/v2/usercollection/personal_info":
            return self.json_answer({"id": "abc", "age": 31, "biological_sex": "female"})
        if request.path == "/v2/usercollection/sleep":
            return self._page(self.sleep, request)
        if request.path == "/v2/usercollection/daily_sleep":
            return self._page(self.daily_sleep, request)
        return 404, {}, b'{"detail":"Not Found"}'
