"""Fault injection: SIGKILL the real bot at random points of a burst, restart it, count.

``python -m benchmarks.faults [--updates 1000] [--kills 20] [--athletes 20] [--mode both]``

Runs `coachloop bot` as its own process against the loopback Bot API stand-in
(`tests/e2e/fake_bot_api.py`), in polling mode (the stand-in answers getUpdates and forgets
what an offset confirmed, as Telegram does) and in webhook mode (this script plays
Telegram's webhook sender: it POSTs each update with the secret token until it gets a 200,
then moves on, so a 200 is a confirmation). A burst of distinct check-ins from consented
athletes is queued; the bot is killed with SIGKILL ``--kills`` times, each at a random
moment after it answered again, and restarted; then it is left to finish. Reported per
mode, from the database and from what the stand-in received:

- sent: check-ins in the burst; handled: their inbox rows marked done;
- stored: check-ins in the database matching a sent one (by athlete and text);
- answered: distinct confirmations received ("Saved ... RPE r x m min", unique per update);
- stored twice / answered twice: duplicates; lost: sent but never stored.

The target is zero lost and zero stored twice. "Answered twice" counts confirmations sent
again after a kill that landed between Telegram accepting a message and the outbox marking
it sent: Telegram has no idempotency key, so that window (milliseconds per message) cannot
be closed from our side; the run reports how often it was hit. A second check starts the
bot with 100 poison rows in its inbox and times its first answer.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from storage import inbox, people
from storage.db import Database
from storage.schema import CheckIn, Person
from tests.e2e.fake_bot_api import FakeBotApi

TOKEN = "515151:FAULTS-TOKEN"
SECRET = "faults-secret"
FIRST_ATHLETE = 70_000
MARKER = 79_999


@dataclass
class Result:
    mode: str
    sent: int = 0
    handled: int = 0
    stored: int = 0
    answered: int = 0
    stored_twice: int = 0
    answered_twice: int = 0
    lost: int = 0
    kills: int = 0
    failed: int = 0
    seconds: float = 0.0
    kill_points: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.mode:8} sent {self.sent}  handled {self.handled}  stored {self.stored}  "
                f"answered {self.answered}  stored twice {self.stored_twice}  answered twice "
                f"{self.answered_twice}  lost {self.lost}  quarantined {self.failed}  "
                f"kills {self.kills}  ({self.seconds:.0f} s)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _checkin(k: int) -> tuple[int, int]:
    """The k-th check-in of an athlete: (RPE, minutes), unique per athlete for k < 200."""
    return 1 + k % 9, 20 + k


def _text(athlete: int, k: int) -> str:
    rpe, minutes = _checkin(k)
    return f"rpe {rpe}, {minutes} min, burst {athlete}-{k}"


def _bot(mode: str, url: str, db_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=url, DATABASE_URL=db_url,
               NLU_BACKEND="vader", LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1",
               TRANSFORMERS_OFFLINE="1", WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
               WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port))
    args = [sys.executable, "-m", "bot.cli", "bot"] + (["--webhook"] if mode == "webhook" else [])
    return subprocess.Popen(args, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def _setup(db: Database, athletes: int) -> None:
    with db.session() as s:
        for a in range(athletes):
            person = people.get_or_create_person(s, FIRST_ATHLETE + a, f"A{a}")
            people.give_consent(s, person, {})


def _saved_keys(api: FakeBotApi) -> Counter[tuple[int, int]]:
    """(chat, minutes) of every confirmation the stand-in received."""
    keys: Counter[tuple[int, int]] = Counter()
    for sent in api.sent:
        if sent.text.startswith("Saved"):
            minutes = int(sent.text.split(" x ")[1].split(" min")[0])
            keys[(sent.chat_id, minutes)] += 1
    return keys


class WebhookSender:
    """Telegram's side of a webhook: each update POSTed until a 200, in order."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/telegram"
        self.queue: list[dict[str, Any]] = []
        self.confirmed = 0

    async def run(self, stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            while not stop.is_set():
                if self.confirmed >= len(self.queue):
                    await asyncio.sleep(0.05)
                    continue
                update = self.queue[self.confirmed]
                try:
                    response = await client.post(self.url, json=update,
                                                 headers={"X-Telegram-Bot-Api-Secret-Token":
                                                          SECRET})
                except httpx.HTTPError:
                    await asyncio.sleep(0.2)  # the bot is down: Telegram retries later
                    continue
                if response.status_code == 200:
                    self.confirmed += 1
                else:
                    await asyncio.sleep(0.2)


async def run_mode(mode: str, updates: int, kills: int, athletes: int, seed: int,
                   folder: Path) -> Result:
    rng = random.Random(seed)
    db_url = f"sqlite:///{folder / f'{mode}.sqlite3'}"
    db = Database(db_url)
    db.upgrade()
    _setup(db, athletes)
    api = FakeBotApi()
    url = await api.start()
    port = _free_port()
    sender = WebhookSender(port) if mode == "webhook" else None
    stop_sender = asyncio.Event()
    sender_task = asyncio.create_task(sender.run(stop_sender)) if sender else None
    expected: dict[tuple[int, int], str] = {}
    for i in range(updates):
        athlete, k = i % athletes, i // athletes
        chat = FIRST_ATHLETE + athlete
        text = _text(athlete, k)
        expected[(chat, _checkin(k)[1])] = text
        if sender is None:
            api.say(chat, f"A{athlete}", text)
        else:
            before = len(api.updates)
            api.say(chat, f"A{athlete}", text)
            sender.queue.append(api.updates.pop(before))
    log = folder / f"{mode}.log"
    result = Result(mode, sent=updates)
    start = time.perf_counter()
    bot = _bot(mode, url, db_url, port, log)
    try:
        # kill points spread over the whole burst (confirmations so far), then a random
        # instant: the kill lands mid-fetch, mid-transaction, between commit and send, or
        # mid-send; a restart's first confirmations come before the next point
        points = sorted(rng.sample(range(1, max(updates, kills + 1)), kills))
        for point in points:
            goal = max(point, len(_saved_keys(api)) + 1)
            await api.wait_for(lambda g=goal: len(_saved_keys(api)) >= g, timeout=600)
            await asyncio.sleep(rng.uniform(0.0, 0.5))
            done = len(_saved_keys(api))
            os.kill(bot.pid, signal.SIGKILL)
            bot.wait(timeout=30)
            result.kills += 1
            result.kill_points.append(f"{done}/{updates}")
            bot = _bot(mode, url, db_url, port, log)
        before = len(api.updates)
        api.say(MARKER, "Last", "/help")  # handled in order: its answer means all are done
        if sender is not None:
            sender.queue.append(api.updates.pop(before))
        await api.wait_for(lambda: bool(api.to(MARKER)), timeout=3600)
        await asyncio.sleep(1.0)  # the marker's own outbox mark
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(timeout=60)
        except subprocess.TimeoutExpired:
            bot.kill()
        stop_sender.set()
        if sender_task is not None:
            await sender_task
        await api.stop()
    result.seconds = time.perf_counter() - start
    with db.session() as s:
        rows = s.execute(select(Person.telegram_user_id, CheckIn.free_text)
                         .join(Person, Person.id == CheckIn.person_id)).all()
        counts = inbox.counts(s)
    db.dispose()
    stored = Counter((chat, text) for chat, text in rows)
    sent_pairs = {(chat, text) for (chat, _), text in expected.items()}
    result.stored = sum(1 for pair in sent_pairs if stored[pair] >= 1)
    result.stored_twice = sum(n - 1 for pair, n in stored.items() if n > 1)
    result.lost = len(sent_pairs) - result.stored
    saved = _saved_keys(api)
    result.answered = sum(1 for key in expected if saved[key] >= 1)
    result.answered_twice = sum(n - 1 for key, n in saved.items() if key in expected and n > 1)
    result.handled = counts.get("done", 0) - 1  # the marker
    result.failed = counts.get("failed", 0)
    return result


async def poison_start(folder: Path) -> str:
    """The bot starts and answers with 100 poison rows in its inbox."""
    db_url = f"sqlite:///{folder / 'poison.sqlite3'}"
    db = Database(db_url)
    db.upgrade()
    with db.session() as s:
        for n in range(100):
            inbox.record_update(s, 1 + n, json.dumps({"update_id": 1 + n, "message": "x" * n}))
    api = FakeBotApi()
    url = await api.start()
    api._update_ids = itertools.count(1000)  # after the poison ids
    log = folder / "poison.log"
    start = time.perf_counter()
    bot = _bot("polling", url, db_url, _free_port(), log)
    try:
        api.say(MARKER, "Last", "/start")
        await api.wait_for(lambda: bool(api.to(MARKER)), timeout=300)
        took = time.perf_counter() - start
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.wait(timeout=60)
        await api.stop()
    with db.session() as s:
        counts = inbox.counts(s)
    db.dispose()
    return (f"poison: started with 100 poison rows, first answer after {took:.1f} s "
            f"(process start included); inbox now {counts}")


async def main_async(args: argparse.Namespace) -> int:
    modes = ("polling", "webhook") if args.mode == "both" else (args.mode,)
    results = []
    with tempfile.TemporaryDirectory(prefix="coachloop-faults-") as tmp:
        folder = Path(tmp)
        for mode in modes:
            result = await run_mode(mode, args.updates, args.kills, args.athletes, args.seed,
                                    folder)
            results.append(result)
            print(result.line(), flush=True)
            print(f"         killed at (confirmations so far): {', '.join(result.kill_points)}")
        print(await poison_start(folder))
    bad = [r for r in results if r.lost or r.stored_twice or r.answered < r.sent]
    return 1 if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--athletes", type=int, default=20)
    parser.add_argument("--mode", choices=("polling", "webhook", "both"), default="both")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="200 updates, 5 kills")
    args = parser.parse_args()
    if args.quick:
        args.updates, args.kills = 200, 5
    raise SystemExit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
