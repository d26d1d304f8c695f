"""Configuration 3 of the replay: two `coachloop bot --webhook` processes, PostgreSQL, one
Celery worker, the rate limit shared through Redis.

The bots run as `coachloop bot` runs in production, each its own process (the point of the
configuration: two processes use two cores; threads of one process share one interpreter).
This module plays Telegram's side: the same seeded script as configurations 1 and 2, each
update POSTed to one bot's webhook or the other in turn, as a load balancer would spread them;
replies reach the same fake Bot API server. Updates go out one after another, in script
order, as Telegram delivers a bot's updates, so each chat's order is Telegram's.

Measured: throughput from the first POST to the last update handled (the inbox's rows all
settled), and, per update, the latency from its POST to the first reply to its chat (an
update whose chat got another update before that reply is not counted: the reply could be
either's). Pushed all at once that latency includes the wait behind every earlier update, so
the paced run (``--rate``) is the one that measures a reply's latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from benchmarks.replay import (
    BROKER,
    TEACHER,
    TEAM_CHAT,
    TOKEN,
    _celery_worker,
    _jobs_landed,
    _push,
    _setup,
    make_script,
    outcome,
)
from storage import inbox
from storage.db import Database
from storage.schema import ProcessedUpdate
from tests.databases import scratch_database
from tests.e2e.fake_bot_api import FakeBotApi

SECRET = "replay-webhook-secret"  # the fake server's, for this run only
REDIS = os.environ.get("COACHLOOP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
BOTS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _bots(db: Database, api_url: str, queue: str, folder: Path) -> Iterator[list[int]]:
    """`BOTS` webhook bot processes (their ports yielded), stopped at the end."""
    ports = [_free_port() for _ in range(BOTS)]
    processes = []
    for i, port in enumerate(ports):
        env = dict(os.environ, TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=api_url,
                   DATABASE_URL=db.url, BROKER_URL=BROKER, JOB_QUEUE=queue, REDIS_URL=REDIS,
                   WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram", WEBHOOK_SECRET=SECRET,
                   WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), LOG_LEVEL="WARNING",
                   HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", DATA_DIR=str(folder))
        log = folder / f"bot{i}.log"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "bot", "--webhook"], env=env,
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True))
    try:
        yield ports
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


async def _until(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(predicate):
        if time.monotonic() > deadline:
            raise SystemExit(f"replay (config 3): timed out waiting for {what}")
        await asyncio.sleep(0.1)


def _settled(db: Database, n: int) -> bool:
    with db.session() as s:
        counts = inbox.counts(s)
    return counts.get(inbox.DONE, 0) + counts.get(inbox.FAILED, 0) >= n


async def processes_run(n: int, athletes: int, folder: Path, seed: int,
                        rate: float | None) -> dict[str, Any]:
    """Run the script through `BOTS` bot processes; the same result keys as
    `benchmarks.replay.coachloop_run`."""
    with scratch_database("postgresql", folder, prefix="replay") as db:
        _setup(db, athletes)
        api = FakeBotApi()
        url = await api.start()
        api.members[(TEAM_CHAT, 900_001)] = "administrator"
        script = make_script(n, athletes, seed)
        for step in script.steps:  # built by the fake (files kept there), then POSTed
            _push(api, step)
        updates, api.updates = list(api.updates), []
        try:
            with _celery_worker(db, folder) as queue, _bots(db, url, queue, folder) as ports:
                await _until(lambda: api.calls.count("setWebhook") >= BOTS, 300, "the bots")
                await asyncio.sleep(1.0)  # each listens before it registers; be sure
                posted: dict[int, tuple[int, float]] = {}  # update id -> (chat, when)
                started = time.perf_counter()
                async with httpx.AsyncClient(timeout=30) as client:
                    interval = 1.0 / rate if rate else 0.0
                    for i, update in enumerate(updates):
                        if rate:
                            await asyncio.sleep(max(0.0, started + i * interval
                                                    - time.perf_counter()))
                        body = next(v for k, v in update.items() if k != "update_id")
                        chat = (body.get("chat") or body.get("message", {}).get("chat"))["id"]
                        posted[update["update_id"]] = (int(chat), time.perf_counter())
                        response = await client.post(
                            f"http://127.0.0.1:{ports[i % BOTS]}/telegram", json=update,
                            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
                        if response.status_code != 200:
                            raise SystemExit(f"a bot answered {response.status_code}")
                await _until(lambda: _settled(db, len(updates)), 6 * 3600, "every update")
                took = time.perf_counter() - started
                await api.wait_for(lambda: any(m.text.startswith("Delivery report")
                                               for m in api.to(TEACHER)), 300)
                await _jobs_landed(db)
                landed = time.perf_counter() - started
        finally:
            await api.stop()
        return _results(db, api, script, posted, took, landed, folder)


def _latencies(api: FakeBotApi, posted: dict[int, tuple[int, float]]) -> list[float]:
    """POST -> first reply to the chat, for updates alone in their chat until that reply."""
    sends: dict[int, list[float]] = {}
    for sent in api.sent:  # `Sent.at` is time.monotonic(); convert once to perf_counter
        sends.setdefault(sent.chat_id, []).append(sent.at)
    offset = time.perf_counter() - time.monotonic()
    by_chat: dict[int, list[float]] = {}
    for chat, when in posted.values():
        by_chat.setdefault(chat, []).append(when)
    out = []
    for chat, posts in by_chat.items():
        replies = sorted(t + offset for t in sends.get(chat, []))
        posts.sort()
        for k, when in enumerate(posts):
            first = next((t for t in replies if t >= when), None)
            later = posts[k + 1] if k + 1 < len(posts) else float("inf")
            if first is not None and first < later:
                out.append(first - when)
    return out


def _results(db: Database, api: FakeBotApi, script: Any, posted: dict[int, tuple[int, float]],
             took: float, landed: float, folder: Path) -> dict[str, Any]:
    with db.session() as s:
        failed = s.scalar(select(func.count()).select_from(ProcessedUpdate)
                          .where(ProcessedUpdate.status == inbox.FAILED)) or 0
    logs = "".join(p.read_text(errors="replace") for p in folder.glob("bot*.log"))
    # a handler error is retried (and counted here even when the retry succeeded), as
    # configurations 1 and 2 count their pipeline's errors
    errors = (["quarantined"] * failed + ["traceback"] * logs.count("Traceback")
              + ["handler error"] * logs.count("handler error:"))
    return {"took": took, "landed": landed, "latencies": _latencies(api, posted),
            "errors": errors, **outcome(db, api, script)}
