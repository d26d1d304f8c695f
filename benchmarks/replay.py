"""Load: a replay of realistic updates through the full stack over HTTP on loopback.

The real bot (python-telegram-bot polling, our handlers, NLU, planner, SQLite) talks HTTP to
the fake Bot API server of the end-to-end tests on 127.0.0.1. The traffic is what a club
sends: free-text check-ins, /checkin button flows, /today and /why, wearable files, a coach's
/status in the team chat, and one teacher's broadcast to a class. Reported: zero errors,
every check-in stored once, handling latency p50/p95/p99 (from the first handler to the last,
per update), throughput, and the throughput as a ratio to a bare python-telegram-bot echo
handler polling the same server with the same number of updates, measured in the same run.

    python -m benchmarks.replay [--quick] [--n 10000] [--athletes 200]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.telegram_app import build_application
from nlu import NluEngine
from storage import groups, people
from storage.db import Database
from storage.schema import CheckIn
from tests.e2e.fake_bot_api import FakeBotApi

TOKEN = "777:REPLAY"
COACH, TEACHER, TEAM_CHAT = 900_001, 900_002, -100_777
TEXTS = ["rpe 6, 45 min, legs a bit heavy", "RPE 8, 70 min, tough intervals, knee sore",
         "rpe 4, 30 min easy jog, felt great", "effort 7/10, 1h, slept badly, stressed"]


def _gpx(i: int) -> bytes:
    start = dt.datetime(2026, 11, 1, 7, tzinfo=dt.UTC) + dt.timedelta(days=i)
    pts = "".join(
        f'<trkpt lat="{46 + k * 3e-4:.6f}" lon="14.5"><ele>300</ele>'
        f"<time>{(start + dt.timedelta(seconds=10 * k)):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        for k in range(60)
    )
    return (f'<?xml version="1.0"?><gpx version="1.1" creator="bench" '
            f'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{pts}</trkseg></trk></gpx>'
            ).encode()


def _setup(db: Database, athletes: int) -> None:
    with db.session() as s:
        coach = people.get_or_create_person(s, COACH, "Coach")
        teacher = people.get_or_create_person(s, TEACHER, "Teacher")
        for p in (coach, teacher):
            people.give_consent(s, p, {})
        team = groups.create_group(s, coach, "team", "Club")
        groups.link_chat(s, team, TEAM_CHAT)
        klass = groups.create_group(s, teacher, "class", "Class 1")
        for u in range(1, athletes + 1):
            person = people.get_or_create_person(s, u, f"A{u}")
            people.give_consent(s, person, {})
            people.update_profile(person, sex="F" if u % 2 else "M", birth_year=2006)
            groups.join(s, person, team)
            groups.join(s, person, klass)


def _traffic(api: FakeBotApi, n: int, athletes: int) -> list[int]:
    """Push n updates; returns the update ids of free-text check-ins."""
    checkins = []
    for i in range(n):
        u = 1 + i % athletes
        name = f"A{u}"
        kind = i % 20
        if i == n // 2:
            api.say(TEACHER, "Teacher", "/broadcast")
        elif kind < 11:
            checkins.append(api.say(u, name, TEXTS[i % len(TEXTS)]))
        elif kind < 14:
            api.say(u, name, "/today")
        elif kind == 14:
            api.say(u, name, "/why")
        elif kind == 15:
            api.say(u, name, "/checkin")
        elif kind == 16:
            api.press(u, name, "rpe:6")
        elif kind == 17:
            api.document(u, name, f"run{i}.gpx", _gpx(i))
        elif kind == 18:
            api.say(COACH, "Coach", "/status", chat_id=TEAM_CHAT)
        else:
            api.say(u, name, "hi")
    return checkins


def _timing(app: Application[Any, Any, Any, Any, Any, Any], spans: dict[int, list[float]]) -> None:
    async def first(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        spans[update.update_id] = [time.perf_counter()]

    async def last(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        spans.setdefault(update.update_id, [time.perf_counter()]).append(time.perf_counter())

    app.add_handler(TypeHandler(Update, first), group=-1000)
    app.add_handler(TypeHandler(Update, last), group=1000)


async def _poll_until(app: Application[Any, Any, Any, Any, Any, Any], api: FakeBotApi,
                      spans: dict[int, list[float]], n: int, timeout: float) -> float:
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    start = time.perf_counter()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        await api.wait_for(lambda: sum(len(v) == 2 for v in spans.values()) >= n, timeout)
        return time.perf_counter() - start
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def echo_run(n: int) -> tuple[float, list[float]]:
    api = FakeBotApi()
    url = await api.start()
    app = (ApplicationBuilder().token(TOKEN).base_url(f"{url}/bot")
           .base_file_url(f"{url}/file/bot").build())

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    app.add_handler(MessageHandler(filters.TEXT, echo))
    spans: dict[int, list[float]] = {}
    _timing(app, spans)
    for i in range(n):
        api.say(1 + i % 200, "A", TEXTS[i % len(TEXTS)])
    took = await _poll_until(app, api, spans, n, timeout=600)
    await api.stop()
    return took, [v[1] - v[0] for v in spans.values() if len(v) == 2]


async def coachloop_run(n: int, athletes: int, folder: Path) -> dict[str, Any]:
    db = Database(f"sqlite:///{folder / 'replay.sqlite3'}")
    db.upgrade()
    _setup(db, athletes)
    api = FakeBotApi()
    url = await api.start()
    api.members[(TEAM_CHAT, COACH)] = "administrator"
    dialogue = Dialogue(db, NluEngine.create(backend="ensemble"), features=default_features())
    app = build_application(Settings(telegram_token=SecretStr(TOKEN), telegram_api_url=url),
                            dialogue)
    errors: list[str] = []

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(type(context.error).__name__)

    app.add_error_handler(record_error)
    spans: dict[int, list[float]] = {}
    _timing(app, spans)
    checkins = _traffic(api, n, athletes)
    took = await _poll_until(app, api, spans, n, timeout=6 * 3600)
    await api.stop()
    with db.session() as s:
        stored = s.scalar(select(func.count()).select_from(CheckIn)) or 0
        refs = s.scalar(select(func.count(func.distinct(CheckIn.source_update_id)))) or 0
    db.dispose()
    sorry = [m for m in api.sent if m.text.startswith("Sorry, something went wrong")]
    return {"took": took, "latencies": [v[1] - v[0] for v in spans.values() if len(v) == 2],
            "errors": errors, "sorry": len(sorry), "stored": stored, "distinct": refs,
            "checkins": len(checkins), "sent": len(api.sent)}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="400 updates, 40 athletes")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--athletes", type=int, default=200)
    args = parser.parse_args()
    # the fake server's access log prints Bot API paths (with the fake token); keep it quiet
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    n, athletes = (400, 40) if args.quick else (args.n, args.athletes)
    echo_took, echo_lat = asyncio.run(echo_run(n))
    with tempfile.TemporaryDirectory() as tmp:
        ours = asyncio.run(coachloop_run(n, athletes, Path(tmp)))
    echo_rate, our_rate = n / echo_took, n / ours["took"]
    print(f"replay: {n} updates from {athletes} athletes, a coach and a teacher "
          f"({ours['checkins']} free-text check-ins, files, /status, one broadcast)")
    for name, rate, lat in (("echo (python-telegram-bot)", echo_rate, echo_lat),
                            ("coachloop full stack", our_rate, ours["latencies"])):
        print(f"{name:28s} {rate:9.1f} updates/s   p50 {_pct(lat, .5):7.1f} ms   "
              f"p95 {_pct(lat, .95):7.1f} ms   p99 {_pct(lat, .99):7.1f} ms")
    print(f"throughput ratio coachloop / echo: {our_rate / echo_rate:.4f}")
    print(f"errors: {len(ours['errors'])} handler errors, {ours['sorry']} apologies; "
          f"check-ins stored {ours['stored']} rows for {ours['distinct']} distinct updates; "
          f"{ours['sent']} messages sent")
    if ours["errors"] or ours["sorry"] or ours["stored"] != ours["distinct"]:
        raise SystemExit("replay failed: errors or a check-in stored twice")


if __name__ == "__main__":
    main()
