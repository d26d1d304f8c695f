"""Load: a replay of realistic updates through the full stack over HTTP on loopback.

The real bot (python-telegram-bot polling, our handlers, NLU, planner, SQLite) talks HTTP to
the fake Bot API server of the end-to-end tests on 127.0.0.1. The traffic is a seeded script
of what a club sends, each athlete's actions in order and athletes interleaved at random:
complete free-text check-ins, check-ins missing their minutes (the bot asks, the athlete
answers), full /checkin button flows (RPE button, minutes, four Hooper buttons, how do you
feel), /today and /why, GPX files, "hi", a coach's /status in the team chat, and one teacher's
/broadcast to the class in the middle.

Checked against the script, not against the database's own constraints: the check-ins stored
per athlete equal the check-ins the script completes (counted from the script alone), each is
confirmed with "Saved", no (person, source update) pair is stored twice, every file becomes an
activity, the broadcast reaches every student, and no reply is an apology ("Sorry, something
went wrong") or a refusal. Reported: handling latency p50/p95/p99 (from the first handler to
the last, per update), throughput, and the throughput as a ratio to a bare python-telegram-bot
echo handler polling the same server with the same number of updates, measured in the same run.

Configurations (``--configs 1,2,3``), each against the same echo baseline: 1 = one process on
SQLite, background re-plans in a thread of the bot; 2 = one bot process on PostgreSQL, the
re-plans on a Celery worker process over RabbitMQ; 3 = two bot processes behind webhooks on
PostgreSQL, one Celery worker, the rate limit shared in Redis (`benchmarks.replay_processes`:
its latency is from the POST to the first reply to the chat). Each also reports when every
re-plan the replay caused was stored. With ``--rate R`` the updates arrive paced, R per
second, and the latency is from an update's arrival to the end of its handling (its replies
sent): the latency of a bot below its capacity, where pushing everything at once measures
throughput.

    python -m benchmarks.replay [--quick] [--n 10000] [--athletes 200] [--seed S] [--configs 1,2,3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kombu import Connection
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
from bot.jobrunner import CeleryDispatcher, LocalJobs
from bot.jobs import JobContext
from bot.pipeline import UpdatePipeline
from bot.services.planning import PlanningConfig
from bot.telegram_app import build_application, pipeline_for, serve
from bot.worker import make_celery, publisher
from nlu import NluEngine
from storage import groups, jobs, people
from storage.db import Database
from storage.schema import Activity, CheckIn, Person
from tests.databases import scratch_database
from tests.e2e.fake_bot_api import FakeBotApi

TOKEN = "777:REPLAY"
COACH, TEACHER, TEAM_CHAT = 900_001, 900_002, -100_777
SEED = 20_261_123
TEXTS = ["rpe 6, 45 min, legs a bit heavy", "RPE 8, 70 min, tough intervals, knee sore",
         "rpe 4, 30 min easy jog, felt great", "effort 7/10, 1h, slept badly, stressed"]
PARTIAL = ["legs heavy after intervals, rpe 8", "hard session today, my hamstring is tight, rpe 7"]
FEEL = ["Great session, I crushed it but my knee hurts a bit", "felt flat, calves tight",
        "skip"]
HOOPER = ("sleep_quality", "stress", "fatigue", "soreness")  # the dialogue asks in this order
SORRY = "Sorry, something went wrong"  # the dialogue's apology and the error handler's


@dataclass(frozen=True, slots=True)
class Step:
    """One update to push: a message, a button press, a file, or a message in the team chat."""

    user: int
    kind: str  # "say" | "press" | "file" | "group"
    value: str
    data: bytes = b""


@dataclass
class Script:
    """The traffic and what it must leave behind, known before the bot sees any of it."""

    steps: list[Step] = field(default_factory=list)
    checkins: Counter[int] = field(default_factory=Counter)  # per athlete's Telegram id
    uploads: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)


def _gpx(i: int) -> bytes:
    start = dt.datetime(2026, 11, 20, 7, tzinfo=dt.UTC) - dt.timedelta(minutes=7 * i)
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


# What an athlete does, as a short script of steps: (name, weight, steps(u, rng, i), check-ins).
def _free_text(u: int, rng: random.Random, i: int) -> list[Step]:
    return [Step(u, "say", rng.choice(TEXTS))]


def _two_step(u: int, rng: random.Random, i: int) -> list[Step]:
    """A check-in missing its minutes: the bot asks, the athlete answers."""
    return [Step(u, "say", rng.choice(PARTIAL)), Step(u, "say", str(rng.randint(20, 120)))]


def _button_flow(u: int, rng: random.Random, i: int) -> list[Step]:
    """/checkin -> RPE button -> minutes -> four Hooper buttons -> how do you feel."""
    return ([Step(u, "say", "/checkin"), Step(u, "press", f"rpe:{rng.randint(0, 10)}"),
             Step(u, "say", str(rng.randint(15, 150)))]
            + [Step(u, "press", f"hooper:{item}:{rng.randint(1, 7)}") for item in HOOPER]
            + [Step(u, "say", rng.choice(FEEL))])


ACTIONS: list[tuple[str, float, Callable[[int, random.Random, int], list[Step]], bool]] = [
    ("free-text check-in", 30, _free_text, True),
    ("two-step check-in", 8, _two_step, True),
    ("button check-in", 8, _button_flow, True),
    ("/today", 14, lambda u, r, i: [Step(u, "say", "/today")], False),
    ("/why", 5, lambda u, r, i: [Step(u, "say", "/why")], False),
    ("file", 7, lambda u, r, i: [Step(u, "file", f"run{i}.gpx", _gpx(i))], False),
    ("hi", 3, lambda u, r, i: [Step(u, "say", "hi")], False),
    ("coach /status", 5, lambda u, r, i: [Step(COACH, "group", "/status")], False),
]


def make_script(n: int, athletes: int, seed: int = SEED) -> Script:
    """``n`` updates: each athlete's actions in order, athletes interleaved at random (seeded).

    A multi-step check-in is never cut by the end of the budget (smaller actions fill it), so
    every check-in the script starts, it finishes; one teacher /broadcast sits in the middle.
    """
    rng = random.Random(seed)
    script = Script()
    queues: dict[int, list[Step]] = {}
    budget = n - 1  # the broadcast
    weights = [w for _, w, _, _ in ACTIONS]
    i = 0
    while budget > 0:
        name, _, make, is_checkin = rng.choices(ACTIONS, weights)[0]
        u = rng.randint(1, athletes)
        steps = make(u, rng, i)
        if len(steps) > budget:
            name, steps, is_checkin = "/today", [Step(u, "say", "/today")], False
        i += 1
        budget -= len(steps)
        script.kinds[name] += 1
        script.checkins[u] += is_checkin
        script.uploads[u] += any(st.kind == "file" for st in steps)
        queues.setdefault(steps[0].user, []).extend(steps)
    order = [user for user, steps in queues.items() for _ in steps]
    rng.shuffle(order)
    cursor = dict.fromkeys(queues, 0)
    for user in order:
        script.steps.append(queues[user][cursor[user]])
        cursor[user] += 1
    script.steps.insert(len(script.steps) // 2, Step(TEACHER, "say", "/broadcast"))
    script.kinds["teacher /broadcast"] += 1
    return script


def _push(api: FakeBotApi, step: Step) -> int:
    name = f"A{step.user}"
    if step.kind == "press":
        return api.press(step.user, name, step.value)
    if step.kind == "file":
        return api.document(step.user, name, step.value, step.data)
    if step.kind == "group":
        return api.say(step.user, "Coach", step.value, chat_id=TEAM_CHAT)
    return api.say(step.user, name, step.value)


def _timing(app: Application[Any, Any, Any, Any, Any, Any], spans: dict[int, list[float]]) -> None:
    async def first(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        spans[update.update_id] = [time.perf_counter()]

    async def last(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        spans.setdefault(update.update_id, [time.perf_counter()]).append(time.perf_counter())

    app.add_handler(TypeHandler(Update, first), group=-1000)
    app.add_handler(TypeHandler(Update, last), group=1000)


async def _poll_until(app: Application[Any, Any, Any, Any, Any, Any], api: FakeBotApi,
                      spans: dict[int, list[float]], n: int, timeout: float,
                      after: Callable[[], Awaitable[None]] | None = None) -> float:
    """Poll until ``n`` updates were handled (the time returned), then wait for ``after``."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    start = time.perf_counter()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        await api.wait_for(lambda: sum(len(v) == 2 for v in spans.values()) >= n, timeout)
        took = time.perf_counter() - start
        if after is not None:  # background work (the broadcast's copies) finishing
            await after()
        return took
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def _serve_until(app: Application[Any, Any, Any, Any, Any, Any], api: FakeBotApi,
                       spans: dict[int, list[float]], n: int, timeout: float,
                       pipeline: UpdatePipeline,
                       after: Callable[[], Awaitable[None]] | None = None) -> float:
    """Run coachloop as `coachloop bot` does (durable pipeline, polling) until ``n`` updates
    were handled (the time returned), then wait for ``after``."""
    stop = asyncio.Event()
    start = time.perf_counter()
    task = asyncio.create_task(serve(app, stop, polling=True, pipeline=pipeline))
    try:
        await api.wait_for(lambda: sum(len(v) == 2 for v in spans.values()) >= n or task.done(),
                           timeout)
        if task.done():
            task.result()
        took = time.perf_counter() - start
        if after is not None:  # background work (the broadcast's copies) finishing
            await after()
        return took
    finally:
        stop.set()
        await asyncio.wait_for(task, 60)


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


CONFIGS = {
    "1": "one process, SQLite, jobs in a thread of the bot",
    "2": "one bot process, PostgreSQL, jobs on a Celery worker (RabbitMQ)",
    "3": "two bot processes (webhooks), PostgreSQL, one Celery worker, rate limit in Redis",
}
BROKER = os.environ.get("COACHLOOP_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")


@contextlib.contextmanager
def _runner(config: str, db: Database, dialogue: Dialogue, folder: Path) -> Iterator[Any]:
    """The job runner of the configuration, started: a local thread, or a dispatcher to a
    worker process (started, and ready, before the clock starts)."""
    with contextlib.ExitStack() as stack:
        if config == "1":
            runner: Any = LocalJobs(db, JobContext(dialogue.planning))
        else:
            queue = stack.enter_context(_celery_worker(db, folder))
            runner = CeleryDispatcher(db, publisher(make_celery(BROKER, queue)))
        dialogue.on_commit = runner.wake
        runner.start()
        stack.callback(runner.stop)
        yield runner


@contextlib.contextmanager
def _celery_worker(db: Database, folder: Path) -> Iterator[str]:
    """`coachloop worker` on a queue of this run's own (its name yielded), until the end."""
    log = folder / "worker.log"
    queue = f"coachloop.replay.{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, BROKER_URL=BROKER, JOB_QUEUE=queue, DATABASE_URL=db.url,
               NLU_BACKEND="vader", LOG_LEVEL="INFO", HF_HUB_OFFLINE="1", DATA_DIR=str(folder))
    worker = subprocess.Popen([sys.executable, "-m", "bot.cli", "worker", "--concurrency", "1"],
                              env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while " ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the Celery worker did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield queue
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(60)
        with Connection(BROKER, connect_timeout=5) as conn, contextlib.suppress(Exception):
            conn.channel().queue_delete(queue)  # this run's queue, not left in the broker


async def _jobs_landed(db: Database, timeout: float = 3600) -> None:
    """Until no background job is pending (every re-plan stored)."""
    deadline = time.monotonic() + timeout
    while await asyncio.to_thread(db.run, jobs.outstanding):
        if time.monotonic() > deadline:
            raise SystemExit("background jobs did not finish")
        await asyncio.sleep(0.1)


async def coachloop_run(n: int, athletes: int, folder: Path, seed: int = SEED,
                        config: str = "1", rate: float | None = None) -> dict[str, Any]:
    kind = "sqlite" if config == "1" else "postgresql"
    with scratch_database(kind, folder, prefix="replay") as db:
        return await _coachloop_run(db, n, athletes, folder, seed, config, rate)


async def _coachloop_run(db: Database, n: int, athletes: int, folder: Path, seed: int,
                         config: str, rate: float | None) -> dict[str, Any]:
    _setup(db, athletes)
    api = FakeBotApi()
    url = await api.start()
    api.members[(TEAM_CHAT, COACH)] = "administrator"
    dialogue = Dialogue(db, NluEngine.create(backend="ensemble"), features=default_features(),
                        planning=PlanningConfig(), defer_planning=True)
    app = build_application(Settings(telegram_token=SecretStr(TOKEN), telegram_api_url=url),
                            dialogue)
    pipeline = pipeline_for(app, poll_timeout=1)
    spans: dict[int, list[float]] = {}
    _timing(app, spans)
    script = make_script(n, athletes, seed)
    pushed: dict[int, float] = {}
    pusher: asyncio.Task[None] | None = None
    if rate is None:
        for step in script.steps:
            _push(api, step)

    async def paced() -> None:
        """One update every 1/rate seconds, as a club's traffic arrives."""
        interval, start = 1.0 / (rate or 1.0), time.perf_counter()
        for i, step in enumerate(script.steps):
            await asyncio.sleep(max(0.0, start + i * interval - time.perf_counter()))
            pushed[_push(api, step)] = time.perf_counter()

    with _runner(config, db, dialogue, folder):
        started = time.perf_counter()
        if rate is not None:
            pusher = asyncio.create_task(paced())
        took = await _serve_until(
            app, api, spans, n, 6 * 3600, pipeline, after=lambda: api.wait_for(
                lambda: any(m.text.startswith("Delivery report") for m in api.to(TEACHER)),
                300))
        await _jobs_landed(db)
        landed = time.perf_counter() - started
        if pusher is not None:
            await pusher
    errors = [name for name, count in pipeline.stats.errors.items() for _ in range(count)]
    errors += ["quarantined"] * pipeline.stats.quarantined
    await api.stop()
    # paced: from the update's arrival at the Bot API to the end of its handling (replies
    # sent); pushed all at once: the handling span only (arrival is the same instant for all)
    latencies = ([spans[u][1] - t for u, t in pushed.items() if len(spans.get(u, ())) == 2]
                 if rate is not None else [v[1] - v[0] for v in spans.values() if len(v) == 2])
    return {"took": took, "landed": landed, "latencies": latencies, "errors": errors,
            **outcome(db, api, script)}


def outcome(db: Database, api: FakeBotApi, script: Script) -> dict[str, Any]:
    """What the replay left in the database and at the Bot API, for `check` (every
    configuration counts it the same way)."""
    with db.session() as s:
        per_athlete = Counter(dict(s.execute(
            select(Person.telegram_user_id, func.count(CheckIn.id))
            .join(CheckIn, CheckIn.person_id == Person.id).group_by(Person.telegram_user_id)
        ).all()))
        twice = s.execute(
            select(CheckIn.person_id, CheckIn.source_update_id, func.count())
            .group_by(CheckIn.person_id, CheckIn.source_update_id).having(func.count() > 1)
        ).all()
        unreferenced = s.scalar(select(func.count()).select_from(CheckIn)
                                .where(CheckIn.source_update_id.is_(None))) or 0
        files = Counter(dict(s.execute(
            select(Person.telegram_user_id, func.count(Activity.id))
            .join(Activity, Activity.person_id == Person.id).group_by(Person.telegram_user_id)
        ).all()))
    saved = Counter(m.chat_id for m in api.sent if m.text.startswith("Saved"))
    replies: dict[int, list[str]] = {}
    for m in api.sent:
        replies.setdefault(m.chat_id, []).append(m.text)
    report = next((m.text for m in api.to(TEACHER) if m.text.startswith("Delivery report")), "")
    return {"sent": len(api.sent), "script": script,
            "sorry": sum(m.text.startswith(SORRY) for m in api.sent),
            "refused": sum(m.text.startswith("Sorry, I can't use that") for m in api.sent),
            "stored": per_athlete, "saved": saved, "twice": twice,
            "unreferenced": unreferenced, "files": files, "broadcast": report,
            "replies": replies}


def transcript(ours: dict[str, Any], user: int) -> str:
    """What one athlete sent (the script's steps) and what the bot sent to them, in order:
    a miscount explains itself instead of needing a rerun that may not fail again."""
    script: Script = ours["script"]
    said = [f"  > {st.kind} {st.value[:60]}" for st in script.steps if st.user == user]
    got = [f"  < {text[:90]!r}" for text in ours["replies"].get(user, [])]
    return (f"athlete {user} sent {len(said)} updates:\n" + "\n".join(said)
            + f"\nand was sent {len(got)} messages:\n" + "\n".join(got))


def check(ours: dict[str, Any], athletes: int) -> list[str]:
    """Everything that must hold after the replay; an empty list is a pass."""
    script: Script = ours["script"]
    expected, stored = script.checkins, ours["stored"]
    problems = []
    if ours["errors"] or ours["sorry"] or ours["refused"]:
        problems.append(f"{len(ours['errors'])} handler errors, {ours['sorry']} apologies, "
                        f"{ours['refused']} refusals")
    if stored != expected:
        wrong = {u: (expected[u], stored[u]) for u in set(expected) | set(stored)
                 if expected[u] != stored[u]}
        problems.append(f"check-ins stored {stored.total()}, the script made "
                        f"{expected.total()}; (expected, stored) per athlete: {wrong}")
        for u in sorted(wrong)[:3]:
            problems.append(transcript(ours, u))
    if ours["saved"] != expected:
        problems.append(f"confirmations {ours['saved'].total()} != {expected.total()} check-ins")
    if ours["twice"] or ours["unreferenced"]:
        problems.append(f"(person, update) stored twice: {ours['twice']}; "
                        f"{ours['unreferenced']} without an update reference")
    if ours["files"] != script.uploads:
        problems.append(f"activities {ours['files'].total()} != {script.uploads.total()} files")
    if f"{athletes} sent" not in ours["broadcast"]:
        problems.append(f"broadcast: {ours['broadcast'] or 'no delivery report'}")
    return problems


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="400 updates, 40 athletes")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--athletes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the traffic script")
    parser.add_argument("--rate", type=float, default=None,
                        help="updates per second, paced (latency from arrival); default: all "
                             "at once (throughput)")
    parser.add_argument("--configs", default="1,2,3",
                        help="comma-separated: " + "; ".join(f"{k} = {v}"
                                                             for k, v in CONFIGS.items()))
    args = parser.parse_args()
    # the fake server's access log prints Bot API paths (with the fake token); keep it quiet
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    n, athletes = (400, 40) if args.quick else (args.n, args.athletes)
    echo_took, echo_lat = asyncio.run(echo_run(n))
    echo_rate = n / echo_took
    print(f"replay {dt.datetime.now(dt.UTC):%Y-%m-%d}: {n} updates from {athletes} athletes, "
          f"a coach and a teacher (seed {args.seed})")
    print(f"{'echo (python-telegram-bot)':34s} {echo_rate:8.1f} updates/s   "
          f"p50 {_pct(echo_lat, .5):7.1f} ms   p95 {_pct(echo_lat, .95):7.1f} ms   "
          f"p99 {_pct(echo_lat, .99):7.1f} ms")
    problems: list[str] = []
    for config in args.configs.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            if config == "3":
                # its module builds on this one's script: imported here, not at the top
                from benchmarks.replay_processes import processes_run

                ours = asyncio.run(processes_run(n, athletes, Path(tmp), args.seed, args.rate))
            else:
                ours = asyncio.run(coachloop_run(n, athletes, Path(tmp), args.seed, config,
                                                 args.rate))
        script: Script = ours["script"]
        rate, lat = n / ours["took"], ours["latencies"]
        print(f"{'config ' + config + ': ' + CONFIGS[config][:24]:34s} {rate:8.1f} updates/s   "
              f"p50 {_pct(lat, .5):7.1f} ms   p95 {_pct(lat, .95):7.1f} ms   "
              f"p99 {_pct(lat, .99):7.1f} ms   ratio to echo {rate / echo_rate:.4f}   "
              f"every re-plan stored after {ours['landed']:.1f} s")
        print(f"  ({CONFIGS[config]}) script: "
              + ", ".join(f"{k} {v}" for k, v in script.kinds.most_common()))
        print(f"  check-ins: script made {script.checkins.total()}, stored "
              f"{ours['stored'].total()}, confirmed {ours['saved'].total()}; files "
              f"{script.uploads.total()} sent, {ours['files'].total()} stored; "
              f"{len(ours['errors'])} handler errors, {ours['sorry']} apologies; "
              f"{ours['broadcast']}; {ours['sent']} messages sent")
        problems += [f"config {config}: {p}" for p in check(ours, athletes)]
    if problems:
        raise SystemExit("replay failed:\n" + "\n".join(problems))


if __name__ == "__main__":
    main()
