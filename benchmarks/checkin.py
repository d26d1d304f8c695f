"""Check-in handling: our full stack vs a bare python-telegram-bot echo handler, same run.

Both run the real `Application.process_update` on real-shaped Update JSON over an in-process
Bot API transport (no network), so the ratio is the cost of what coachloop does per message:
inbox record, NLU (the configured ensemble: VADER + MiniLM head), persistence with
`synchronous=FULL`, re-planning tomorrow, rendering. A mixed replay (check-ins, /today, /why,
full /checkin button flows) reports p50/p95/p99 latency and throughput, and checks the
check-ins stored and confirmed per athlete against the number the seeded script creates.

    python -m benchmarks.checkin [--quick] [--n N] [--backend vader|ensemble]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.telegram_app import build_application
from nlu import NluEngine
from storage import people
from storage.db import Database
from storage.schema import CheckIn, Person
from tests.bot.fakes import RecordingRequest, Updates

TOKEN = SecretStr("1:BENCH")


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return f"p50 {pick(0.5):.1f} ms, p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms"


async def _drive(
    process: Callable[[Update], Awaitable[None]], updates: list[Update]
) -> list[float]:
    latencies = []
    for update in updates:
        start = time.perf_counter()
        await process(update)
        latencies.append(time.perf_counter() - start)
    return latencies


async def echo_run(payloads: list[dict[str, Any]]) -> list[float]:
    """The baseline: a bare python-telegram-bot app that echoes every text."""
    request = RecordingRequest()
    app = ApplicationBuilder().token(TOKEN.get_secret_value()).request(request).build()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        updates = [Update.de_json(p, app.bot) for p in payloads]
        return await _drive(app.process_update, updates)


def _population(db: Database, users: int) -> None:
    with db.session() as s:
        for user in range(1, users + 1):
            person = people.get_or_create_person(s, 10_000 + user, f"U{user}")
            people.give_consent(s, person, {})
            people.update_profile(person, sex="F" if user % 2 else "M", birth_year=2005)


TEXTS = ["rpe 6, 45 min, legs a bit heavy", "RPE 8, 70 min, tough intervals, knee sore",
         "rpe 4, 30 min easy jog, felt great", "effort 7/10, 1h, slept badly"]
HOOPER = ("sleep_quality", "stress", "fatigue", "soreness")


def _button_flow(b: Updates, rng: random.Random) -> list[dict[str, Any]]:
    """/checkin -> RPE button -> minutes -> four Hooper buttons -> how do you feel."""
    return ([b.message("/checkin"), b.press(f"rpe:{rng.randint(0, 10)}"),
             b.message(str(rng.randint(15, 150)))]
            + [b.press(f"hooper:{item}:{rng.randint(1, 7)}") for item in HOOPER]
            + [b.message("felt flat, calves tight")])


def mixed_payloads(
    n: int, users: int, seed: int = 7
) -> tuple[list[dict[str, Any]], Counter[int]]:
    """Realistic traffic and the check-ins it must create per athlete (from the script alone).

    Each athlete's actions stay in order (a button flow is never interleaved with the same
    athlete's other messages, nor cut by the end of the budget); athletes are interleaved at
    random with a fixed seed, so every athlete sends every kind of message.
    """
    rng = random.Random(seed)
    builders = [Updates(user_id=10_000 + u, first_name=f"U{u}", start_id=u * 1_000_000)
                for u in range(1, users + 1)]
    queues: dict[int, list[dict[str, Any]]] = {}
    expected: Counter[int] = Counter()
    budget = n
    while budget > 0:
        u = rng.randrange(users)
        b = builders[u]
        roll = rng.random()
        if roll < 0.55:
            steps, checkin = [b.message(rng.choice(TEXTS))], True
        elif roll < 0.7 and budget >= 8:
            steps, checkin = _button_flow(b, rng), True
        else:
            steps, checkin = [b.message(rng.choice(["/today", "/today", "/why"]))], False
        budget -= len(steps)
        expected[10_000 + u + 1] += checkin
        queues.setdefault(u, []).extend(steps)
    order = [u for u, steps in queues.items() for _ in steps]
    rng.shuffle(order)
    cursor = dict.fromkeys(queues, 0)
    payloads = []
    for u in order:
        payloads.append(queues[u][cursor[u]])
        cursor[u] += 1
    return payloads, expected


async def coachloop_run(
    payloads: list[dict[str, Any]], users: int, backend: str, folder: Path
) -> tuple[list[float], Database, list[tuple[int, str]]]:
    """Our stack: inbox, dialogue, NLU, planner, SQLite with synchronous=FULL.

    Returns the latencies, the database and every (chat, text) the bot sent.
    """
    db = Database(f"sqlite:///{folder / 'bench.sqlite3'}")
    db.upgrade()
    _population(db, users)
    dialogue = Dialogue(db, NluEngine.create(backend=backend))
    dialogue.handle  # noqa: B018 - bound once, like the bot
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=TOKEN), dialogue, request=request,
                            rate_limit=False)
    async with app:
        warm = Updates(user_id=10_001, first_name="U1", start_id=999_999_000)
        await app.process_update(Update.de_json(warm.message("/today"), app.bot))
        updates = [Update.de_json(p, app.bot) for p in payloads]
        latencies = await _drive(app.process_update, updates)
    said = [(int(p["chat_id"]), str(p.get("text"))) for p in request.sent("sendMessage")]
    return latencies, db, said


def main() -> None:
    """Run both, print throughput, latency percentiles and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="300 updates")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--backend", default="ensemble")
    args = parser.parse_args()
    n = 300 if args.quick else args.n
    payloads, expected = mixed_payloads(n, args.users)
    with tempfile.TemporaryDirectory() as tmp:
        echo = asyncio.run(echo_run(payloads))
        ours, db, said = asyncio.run(
            coachloop_run(payloads, args.users, args.backend, Path(tmp)))
        with db.session() as s:
            stored = Counter(dict(s.execute(
                select(Person.telegram_user_id, func.count(CheckIn.id))
                .join(CheckIn, CheckIn.person_id == Person.id)
                .group_by(Person.telegram_user_id)).all()))
            twice = s.execute(
                select(CheckIn.person_id, CheckIn.source_update_id, func.count())
                .group_by(CheckIn.person_id, CheckIn.source_update_id)
                .having(func.count() > 1)).all()
        db.dispose()
    saved = Counter(chat for chat, text in said if text.startswith("Saved"))
    sorry = sum(text.startswith("Sorry, something went wrong") for _, text in said)
    echo_rate = n / sum(echo)
    our_rate = n / sum(ours)
    print(f"updates: {n} from {args.users} athletes ({expected.total()} check-ins), "
          f"NLU backend {args.backend}, {dt.datetime.now(dt.UTC):%Y-%m-%d}")
    print(f"echo handler (python-telegram-bot): {echo_rate:8.1f} updates/s  {_percentiles(echo)}")
    print(f"coachloop full stack:               {our_rate:8.1f} updates/s  {_percentiles(ours)}")
    print(f"throughput ratio coachloop / echo: {our_rate / echo_rate:.4f} "
          f"(echo is {echo_rate / our_rate:.0f}x faster; mean ours "
          f"{statistics.mean(ours) * 1000:.1f} ms/update)")
    print(f"check-ins: the script made {expected.total()}, stored {stored.total()}, "
          f"confirmed {saved.total()}; {sorry} apologies")
    if stored != expected or saved != expected or twice or sorry:
        raise SystemExit(f"check-ins lost, duplicated or unconfirmed, or errors: stored "
                         f"{stored.total()}/{expected.total()}, confirmed {saved.total()}, "
                         f"twice {twice}, apologies {sorry}")


if __name__ == "__main__":
    main()
