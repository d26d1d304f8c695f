"""Two bot processes on one PostgreSQL inbox (webhooks behind one URL): each update is applied
once, each chat's and each person's in order, whichever process got it.

Two applications, each with a database engine and lock connection of its own, stand for the
two processes: what they share is exactly what two processes share, the database. A kill -9
of one of two real processes is tested end to end in tests/e2e/test_several_bot_processes.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.pipeline import UpdatePipeline
from bot.telegram_app import build_application, pipeline_for
from bot.update_shape import chat_and_sender
from nlu import NluEngine
from storage import inbox, outbox, people
from storage.db import Database
from storage.schema import CheckIn, OutboxMessage
from tests.bot.fakes import RecordingRequest, Updates

pytestmark = pytest.mark.postgres


@pytest.fixture
def shared(database: Database) -> Iterator[Database]:
    """The PostgreSQL database both processes use (several processes need PostgreSQL)."""
    if database.dialect != "postgresql":
        pytest.skip("one process on SQLite: several bot processes share PostgreSQL")
    yield database


@pytest.fixture
def handled(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """(user, text) of every update a dialogue handled, in the order handling began; each
    handling takes a little while, so the two processes contend for the same chats."""
    seen: list[tuple[int, str]] = []
    guard = threading.Lock()
    original = Dialogue._dispatch

    def dispatch(self: Dialogue, turn: Any) -> Any:
        with guard:
            seen.append((turn.inc.user_id, turn.inc.text or ""))
        time.sleep(0.03)
        return original(self, turn)

    monkeypatch.setattr(Dialogue, "_dispatch", dispatch)
    return seen


@contextlib.asynccontextmanager
async def _process(url: str, nlu: NluEngine
                   ) -> AsyncIterator[tuple[RecordingRequest, UpdatePipeline]]:
    database = Database(url)
    dialogue = Dialogue(database, nlu, timezone="UTC")
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=SecretStr("1:T"), concurrent_updates=4),
                            dialogue, request=request, rate_limit=False)
    pipeline = pipeline_for(app, retry_delay=0.0)
    try:
        async with app:
            yield request, pipeline
    finally:
        pipeline.sender.keys.close()
        database.dispose()


def _store(database: Database, updates: list[dict[str, Any]]) -> None:
    """Commit updates as the webhook does (each with its chat and sender)."""
    def work(s: Any) -> None:
        for update in updates:
            inbox.record_update(s, update["update_id"], json.dumps(update),
                                chat_and_sender(update))

    database.run(work)


async def _drain_both(database: Database, pipelines: list[UpdatePipeline]) -> None:
    """Both processes drain until the inbox is empty (as their loops do, every second)."""
    for _ in range(50):
        await asyncio.gather(*(p.drain() for p in pipelines))
        if not database.run(lambda s: list(inbox.pending(s))):
            return
        await asyncio.sleep(0.25)
    raise AssertionError("the inbox did not empty")


async def test_two_processes_apply_each_update_once_and_each_chat_in_order(
    shared: Database, nlu_engine: NluEngine, handled: list[tuple[int, str]]
) -> None:
    # more chats than one process handles at once (4), so both have work from the start
    athletes = [Updates(user_id=u, start_id=0) for u in range(11, 19)]
    with shared.session() as s:
        for a in athletes:
            uid = a.user["id"]
            people.give_consent(s, people.get_or_create_person(s, uid, f"A{uid}"), {})
    sent: dict[int, list[str]] = {}
    updates: list[dict[str, Any]] = []
    next_id = 1000
    for k in range(3):  # round k: every athlete's k-th message, athletes interleaved
        for a in athletes:
            text = f"rpe {3 + k}, {20 + k} min, message {k}"
            updates.append(a.message(text, update_id=next_id))
            sent.setdefault(a.user["id"], []).append(text)
            next_id += 1
    _store(shared, updates)
    async with _process(shared.url, nlu_engine) as (req_a, a_pipe), \
            _process(shared.url, nlu_engine) as (req_b, b_pipe):
        await _drain_both(shared, [a_pipe, b_pipe])
        both_worked = a_pipe.stats.handled > 0 and b_pipe.stats.handled > 0
        handled_total = a_pipe.stats.handled + b_pipe.stats.handled
    assert handled_total == len(updates)
    assert both_worked  # the work was shared, not done by one while the other idled
    # once each, and in each athlete's order
    assert sorted(handled) == sorted((u, t) for u, texts in sent.items() for t in texts)
    for user_id, texts in sent.items():
        assert [t for u, t in handled if u == user_id] == texts
    # every reply sent once, by one of the two
    rows = shared.run(lambda s: s.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    assert dict(rows).get(outbox.PENDING, 0) == 0
    replies = req_a.sent("sendMessage") + req_b.sent("sendMessage")
    assert len(replies) == dict(rows)[outbox.SENT]
    # every check-in stored once
    stored = shared.run(lambda s: s.scalars(select(CheckIn.source_update_id)).all())
    assert len(stored) == len(set(stored)) == len(updates)


async def test_an_update_a_process_holds_is_left_to_it(
    shared: Database, nlu_engine: NluEngine, handled: list[tuple[int, str]]
) -> None:
    a = Updates(user_id=21, start_id=0)
    with shared.session() as s:
        people.give_consent(s, people.get_or_create_person(s, 21, "A21"), {})
    _store(shared, [a.message("rpe 5, 30 min", update_id=2000)])
    async with _process(shared.url, nlu_engine) as (_, first), \
            _process(shared.url, nlu_engine) as (req, second):
        assert first.sender.keys.try_hold(["chat:21"])  # the first process has the chat
        await second.drain()
        assert second.stats.elsewhere == 1 and second.stats.handled == 0
        assert req.sent("sendMessage") == [] and handled == []
        first.sender.keys.release(["chat:21"])
        await asyncio.sleep(0.25)  # the second looks again once the pause is over
        await second.drain()
        assert second.stats.handled == 1 and len(handled) == 1
