"""Strava import with streams: our importer vs a bare httpx loop over the same endpoints.

Run from the repo root: ``python -m benchmarks.sync_import [--quick] [--activities N]``. One
local fake Strava (tests/sync/fake_strava.py) serves N activities, each with its streams
(time, heart rate, distance, speed, altitude, cadence at 1 Hz). In one run, side by side:

1. bare: an ``httpx.Client`` GETs the activity pages, then each activity's streams, and
   decodes the JSON; nothing else (what any client must at least do);
2. ours: ``bot.sync.importer.sync_person`` into a fresh SQLite database: the same requests
   under the request budget, the streams validated and turned into samples, cleaned and
   measured by the upload path (TRIMP, zones), matched against what is stored, and each
   activity stored in a transaction of its own.

Wall time, not CPU time: the work is requests and database commits, and the fake server runs
in a thread of this process either way. The default N (180) keeps one import inside
Strava's 200 requests per 15 minutes (two pages and one streams request per activity): past
that the importer stops and resumes in the next window, as it must, which is not
throughput.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import httpx

from bot.sync import SyncConfig, budgets
from bot.sync.importer import sync_person
from bot.sync.strava import PER_PAGE
from bot.sync.strava_streams import KEYS
from storage import connections
from storage.db import Database
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava
from tests.wearables.conftest import add_person

MINUTES = 30


def _fill(fake: FakeStrava, count: int) -> int:
    """``count`` rides, one every six hours up to now, each with 1 Hz streams; the points."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    points = MINUTES * 60
    for n in range(count):
        start = now - dt.timedelta(hours=6 * (count - n))
        fake.add_activity(10_000 + n, start, minutes=MINUTES, hr=150)
        heart = [128 + (n + i // 30) % 40 for i in range(points)]
        fake.add_streams(10_000 + n, heart, cadence=[86 + i % 5 for i in range(points)])
    return count * points


def _bare(fake: FakeStrava, token: str, days: int) -> tuple[float, int]:
    """Seconds and bytes for the bare loop: the pages, then every activity's streams."""
    after = int(time.time()) - days * 86_400
    received = 0
    t0 = time.perf_counter()
    with httpx.Client(base_url=f"{fake.base_url}/api/v3",
                      headers={"Authorization": f"Bearer {token}"}) as client:
        ids: list[int] = []
        page = 1
        while True:
            answer = client.get("/athlete/activities",
                                params={"after": after, "page": page, "per_page": PER_PAGE})
            received += len(answer.content)
            batch = answer.json()
            ids += [item["id"] for item in batch]
            if len(batch) < PER_PAGE:
                break
            page += 1
        for activity_id in ids:
            answer = client.get(f"/activities/{activity_id}/streams",
                                params={"keys": ",".join(KEYS), "key_by_type": "true"})
            received += len(answer.content)
            answer.json()
    return time.perf_counter() - t0, received


def _ours(fake: FakeStrava, token_body: dict[str, object], days: int, scratch: Path
          ) -> tuple[float, str]:
    """Seconds for `sync_person` into a fresh SQLite database, and its report."""
    database = Database(f"sqlite:///{scratch / 'bench.sqlite3'}")
    database.upgrade()
    person = add_person(database, sex="f", birth_year=1995, hr_rest=50.0, hr_max=190.0)
    with database.session() as s:
        connections.save(s, person, "strava", {
            k: token_body[k] for k in ("access_token", "refresh_token", "expires_at")})
    config = SyncConfig(strava_api_url=f"{fake.base_url}/api/v3",
                        strava_oauth_url=f"{fake.base_url}/oauth", strava_client_id=CLIENT_ID,
                        strava_client_secret=CLIENT_SECRET, days=days)
    budgets._BUDGETS.clear()  # this process's budget starts at an empty window
    t0 = time.perf_counter()
    report = sync_person(database, config, person, "strava")
    took = time.perf_counter() - t0
    database.dispose()
    return took, report.text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 activities")
    parser.add_argument("--activities", type=int, default=180)
    args = parser.parse_args()
    count = 20 if args.quick else max(1, args.activities)
    days = count * 6 // 24 + 2
    with serving(FakeStrava()) as fake, tempfile.TemporaryDirectory() as tmp:
        points = _fill(fake, count)
        tokens = fake._tokens(athlete=False)
        bare_s, received = _bare(fake, str(tokens["access_token"]), days)
        fake.usage = [0, 0]  # the window the bare loop used is not the import's
        ours_s, report = _ours(fake, tokens, days, Path(tmp))
    print(f"activities {count}, {MINUTES} min each at 1 Hz ({points} points, "
          f"{received / 2**20:.1f} MiB of JSON); one run, wall time")
    print(report)
    print(f"{'':6} {'seconds':>8} {'ms/activity':>12} {'points/s':>10}")
    for name, took in (("bare", bare_s), ("ours", ours_s)):
        print(f"{name:6} {took:8.2f} {1000 * took / count:12.1f} {points / took:10.0f}")
    print(f"ours/bare: {ours_s / bare_s:.2f}x")


if __name__ == "__main__":
    main()
