"""Two real bot processes behind one webhook URL on PostgreSQL, and one of them killed -9.

The test plays the load balancer in front of them, as Telegram's webhook would see it: each
update is POSTed to one process or the other in turn; when a process is gone, the update goes
to the one left (Telegram re-sends an update whose delivery failed). Replies go to the fake
Bot API. What must hold: every update answered 200 is handled once (its check-in stored once,
its confirmation sent), whichever process stored it, including those the killed process had
stored and not yet handled: the other process takes them once the dead one's keys are gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.dialogue import Dialogue
from bot.replies import Incoming
from nlu import NluEngine
from storage import inbox, outbox
from storage.db import Database
from storage.schema import CheckIn
from tests.databases import scratch_database
from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.postgres

TOKEN = "424242:SEVERAL-PROCESSES"
SECRET = "s3cret-several"
NOW = dt.datetime.now(dt.UTC)
ATHLETES = (7101, 7102, 7103, 7104, 7105, 7106)


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Database]:
    with scratch_database("postgresql", tmp_path, prefix="several") as db:
        yield db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(database: Database, api_url: str, port: int, log: Path, tmp: Path
           ) -> subprocess.Popen[bytes]:
    env = dict(os.environ, TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=api_url,
               DATABASE_URL=database.url, WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
               WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port),
               NLU_BACKEND="vader", LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1",
               DATA_DIR=str(tmp), CONCURRENT_UPDATES="4")
    env.pop("BROKER_URL", None)
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "bot", "--webhook"], env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


@contextlib.asynccontextmanager
async def _fake_api() -> AsyncIterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    url = await api.start()
    try:
        yield api, url
    finally:
        await api.stop()


def _onboard(database: Database, nlu: NluEngine) -> None:
    """Consent and a profile for each athlete, as the dialogue stores them."""
    dialogue = Dialogue(database, nlu, timezone="UTC")
    for user_id in ATHLETES:
        for i, (text, button) in enumerate([("/start", None), (None, "consent:yes"),
                                            (None, "sex:F"), ("2005", None),
                                            ("rowing", None)]):
            dialogue.handle(Incoming(
                user_id=user_id, chat_id=user_id, display_name=f"A{user_id}", username=None,
                received_at=NOW, chat_type="private", text=text, callback=button,
                update_id=user_id * 10 + i))


def _update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": f"A{user_id}"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "from": user, "date": int(time.time()), "text": text,
        "chat": {"id": user_id, "type": "private", "first_name": f"A{user_id}"}}}


async def _wait(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(predicate):  # type: ignore[arg-type]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(30)


async def test_a_killed_bot_process_loses_nothing_and_answers_nothing_twice(
        shared: Database, nlu_engine: NluEngine, tmp_path: Path) -> None:
    _onboard(shared, nlu_engine)
    ports = [_free_port(), _free_port()]
    log = tmp_path / "bots.log"
    async with _fake_api() as (api, url):
        bots = [_start(shared, url, port, log, tmp_path) for port in ports]
        try:
            await _wait(lambda: api.calls.count("setWebhook") >= 2, 120, "both bots up")
            await asyncio.sleep(1.0)  # the webhook servers listen before they register
            accepted: dict[int, int] = {}  # update id -> athlete
            alive = [True, True]
            next_id = 10_000
            async with httpx.AsyncClient(timeout=10) as client:
                for round_ in range(5):
                    for user_id in ATHLETES:
                        update = _update(next_id, user_id,
                                         f"rpe {4 + round_}, {30 + round_} min, felt ok")
                        target = next_id % 2
                        for _ in range(2):  # the balancer: the other process if one is down
                            if not alive[target]:
                                target = 1 - target
                            try:
                                response = await client.post(
                                    f"http://127.0.0.1:{ports[target]}/telegram",
                                    json=update,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
                            except httpx.TransportError:
                                alive[target] = False
                                continue
                            if response.status_code == 200:
                                accepted[next_id] = user_id
                            break
                        next_id += 1
                    if round_ == 1:  # mid-burst: the first process dies at once
                        _stop(bots[0], signal.SIGKILL)
                        alive[0] = False

            def all_handled() -> bool:
                with shared.session() as s:
                    return all(inbox.status_of(s, uid) == inbox.DONE for uid in accepted)

            await _wait(all_handled, 120, "every accepted update handled")

            def all_sent() -> bool:  # what the killed one committed but did not send: the
                with shared.session() as s:  # survivor's sweep (every ~10 s) sends it
                    return outbox.counts(s).get(outbox.PENDING, 0) == 0

            await _wait(all_sent, 120, "every committed reply sent")
            with shared.session() as s:
                stored = s.scalars(select(CheckIn.source_update_id)).all()
            ids = [int(ref.rpartition(":")[2]) for ref in stored if ref is not None]
            from_burst = [i for i in ids if i >= 10_000]
            assert len(accepted) == 5 * len(ATHLETES)
            assert sorted(from_burst) == sorted(accepted)  # each stored once
            for user_id in ATHLETES:
                confirmations = [m for m in api.to(user_id) if m.text.startswith("Saved")]
                mine = [uid for uid, who in accepted.items() if who == user_id]
                # one confirmation per check-in; a kill between Telegram's answer and the
                # sent mark can repeat one (the outbox's one window), never lose one
                assert len(mine) <= len(confirmations) <= len(mine) + 1
        finally:
            for process in bots:
                _stop(process)
            if log.exists():
                text = log.read_text(errors="replace")
                assert "Traceback" not in text, text[-3000:]
