"""What a bot process costs: resident memory and the time from start to its first reply.

    python -m benchmarks.footprint [--athletes 20] [--broker] [--repeats 1]

Both bots run as their own process, polling the same fake Bot API (tests/e2e/fake_bot_api.py),
in this one invocation: `coachloop bot` on a fresh SQLite database whose athletes are already
onboarded, and a bare python-telegram-bot echo bot. Each is sent one message before it
starts, so "first reply" is the time from the process's start (imports, models, database)
to that message's answer; then every athlete sends a check-in, and the process's peak
resident memory (VmHWM) is read once all are answered. With ``--broker`` coachloop hands its
background jobs to a Celery worker on RabbitMQ (started here, not measured), as a district's
bot process does; without it the jobs run in the bot's own threads.

Printed side by side: seconds to the first reply, peak MB, and coachloop / echo for both.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.replay import BROKER, _celery_worker
from storage import people
from storage.db import Database
from tests.e2e.fake_bot_api import FakeBotApi

TOKEN = "123456:footprint"
FIRST = 1  # the athlete whose message waits for the bot's start
CHECK_IN = "RPE 6, 45 min, slept well, legs a bit heavy"

ECHO_BOT = """
import sys
from telegram.ext import ApplicationBuilder, MessageHandler, filters

async def echo(update, context):
    await update.effective_message.reply_text(update.effective_message.text)

base = sys.argv[1]
app = (ApplicationBuilder().token(sys.argv[2]).base_url(base + "/bot")
       .base_file_url(base + "/file/bot").build())
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(poll_interval=0.0, timeout=1)
"""


def _peak_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


@contextlib.contextmanager
def _process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        args, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _seed(db: Database, athletes: int) -> None:
    with db.session() as s:
        for u in range(1, athletes + 1):
            person = people.get_or_create_person(s, u, f"A{u}")
            people.give_consent(s, person, {})
            people.update_profile(person, sex="F" if u % 2 else "M", birth_year=2006)


async def _measure(
    api: FakeBotApi, args: list[str], env: dict[str, str], log: Path, athletes: int, first_text: str
) -> tuple[float, float]:
    """(seconds from start to the first reply, peak MB after every athlete's answer)."""
    api.say(FIRST, f"A{FIRST}", first_text)
    started = time.perf_counter()
    with _process(args, env, log) as process:
        try:
            await api.wait_for(lambda: bool(api.to(FIRST)), timeout=300)
        except TimeoutError:
            raise SystemExit(f"no first reply within 300 s; see {log}") from None
        first = time.perf_counter() - started
        for u in range(2, athletes + 1):
            api.say(u, f"A{u}", CHECK_IN)
        await api.wait_for(lambda: all(api.to(u) for u in range(1, athletes + 1)), timeout=600)
        await asyncio.sleep(1.0)  # replies after the first one (the next session) settle
        return first, _peak_mb(process.pid)


async def run(athletes: int, broker: bool, folder: Path) -> dict[str, tuple[float, float]]:
    """Both bots once; {"coachloop": (first s, peak MB), "echo": (...)}."""
    results: dict[str, tuple[float, float]] = {}
    api = FakeBotApi()
    url = await api.start()
    try:
        results["echo"] = await _measure(
            api,
            [sys.executable, "-c", ECHO_BOT, url, TOKEN],
            dict(os.environ),
            folder / "echo.log",
            athletes,
            CHECK_IN,
        )
        api.updates.clear()
        api.sent.clear()
        db = Database(f"sqlite:///{folder / 'coachloop.sqlite3'}")
        db.upgrade()
        _seed(db, athletes)
        env = dict(
            os.environ,
            TELEGRAM_TOKEN=TOKEN,
            TELEGRAM_API_URL=url,
            DATABASE_URL=db.url,
            DATA_DIR=str(folder),
            LOG_LEVEL="WARNING",
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
        )
        with contextlib.ExitStack() as stack:
            if broker:
                env["JOB_QUEUE"] = stack.enter_context(_celery_worker(db, folder))
                env["BROKER_URL"] = BROKER
            results["coachloop"] = await _measure(
                api,
                [sys.executable, "-m", "bot.cli", "bot"],
                env,
                folder / "bot.log",
                athletes,
                CHECK_IN,
            )
        db.dispose()
    finally:
        await api.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=20)
    parser.add_argument(
        "--broker",
        action="store_true",
        help="background jobs on a Celery worker (RabbitMQ), as in a district",
    )
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    if args.athletes < 1 or args.repeats < 1:
        parser.error("--athletes and --repeats must be at least 1")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for repeat in range(args.repeats):
        with tempfile.TemporaryDirectory(prefix="footprint-") as tmp:
            r = asyncio.run(run(args.athletes, args.broker, Path(tmp)))
        (ours_s, ours_mb), (echo_s, echo_mb) = r["coachloop"], r["echo"]
        mode = "Celery worker on RabbitMQ" if args.broker else "jobs in the bot's threads"
        print(f"\nrun {repeat + 1}: {args.athletes} athletes, {mode}")
        print(f"{'':12}{'first reply s':>15}{'peak MB':>10}")
        print(f"{'coachloop':12}{ours_s:>15.1f}{ours_mb:>10.0f}")
        print(f"{'echo bot':12}{echo_s:>15.1f}{echo_mb:>10.0f}")
        print(f"{'ratio':12}{ours_s / echo_s:>15.1f}{ours_mb / echo_mb:>10.1f}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
