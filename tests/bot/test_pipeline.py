"""The durable pipeline, offline: inbox rows in, Bot API calls out (a recording transport).

Each test names the behaviour it pins: poison updates never stop the bot, a failing handler
is retried then quarantined with one polite answer, an update that killed the process is
caught by its attempt count, and a crash between "stored" and "sent" is answered once, from
the outbox, exactly as the first attempt would have been.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from telegram.ext import Application

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.pipeline import MAX_ATTEMPTS, QUARANTINED, UpdatePipeline
from bot.telegram_app import ADAPTER_KEY, build_application, pipeline_for
from bot.update_shape import to_update
from storage import inbox, outbox
from storage.schema import AuditLog, CheckIn, OutboxMessage, ProcessedUpdate
from tests.bot.fakes import RecordingRequest, Updates

HEALTH = "rpe 7, 60 min, my left knee hurts"


@contextlib.asynccontextmanager
async def _bot(dialogue: Dialogue) -> AsyncIterator[tuple[Application, RecordingRequest,  # type: ignore[type-arg]
                                                          UpdatePipeline]]:
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=SecretStr("1:T")), dialogue,
                            request=request, rate_limit=False)
    pipeline = pipeline_for(app, retry_delay=0.0)
    async with app:
        yield app, request, pipeline


def _consent(dialogue: Dialogue, user_id: int = 4242) -> None:
    from storage import people

    with dialogue.database.session() as s:
        people.give_consent(s, people.get_or_create_person(s, user_id, "Ana"), {})


def _put(dialogue: Dialogue, update_id: int, payload: str, attempts: int = 0) -> None:
    def work(s: Any) -> None:
        inbox.record_update(s, update_id, payload)
        s.get(ProcessedUpdate, update_id).attempts = attempts

    dialogue.database.run(work)


def _row(dialogue: Dialogue, update_id: int) -> ProcessedUpdate:
    with dialogue.database.session() as s:
        row = s.get(ProcessedUpdate, update_id)
        assert row is not None
        s.expunge(row)
        return row


POISON = [
    '{"update_id": %d, "message": "notadict"}',
    '{"update_id": %d, "callback_query": [1, 2]}',
    '{"update_id": %d, "message": {"message_id": 1, "date": 0, "chat": "x", "text": "hi"}}',
    '{"update_id": %d, "message": {"message_id": "a", "chat": {}, "from": 5}}',
    '{"update_id": %d, "edited_message": {"text": null}}',
    "not json %d",
    '{"update_id": %d, "message": ' + "[" * 200 + "]" * 200 + "}",
]


async def test_a_malformed_update_in_the_inbox_is_quarantined_and_the_bot_goes_on(
    dialogue: Dialogue,
) -> None:
    _put(dialogue, 5001, json.dumps({"update_id": 5001, "message": "notadict"}))
    good = Updates(start_id=5002).message("/help")
    _put(dialogue, 5002, json.dumps(good))
    async with _bot(dialogue) as (_, request, pipeline):
        assert await pipeline.drain() == 2
        texts = request.texts()
    failed = _row(dialogue, 5001)
    assert (failed.status, failed.error) == ("failed", "InvalidUpdate: message must be an object")
    assert failed.payload is not None  # kept, so an operator can retry it after a fix
    assert _row(dialogue, 5002).status == "done" and len(texts) == 1


async def test_the_bot_starts_and_serves_with_100_poison_rows_in_its_inbox(
    dialogue: Dialogue,
) -> None:
    for n in range(100):
        template = POISON[n % len(POISON)]
        _put(dialogue, 10_000 + n, template % (10_000 + n) if "%d" in template else template)
    good = Updates(start_id=20_000).message("/start")
    _put(dialogue, 20_000, json.dumps(good))
    async with _bot(dialogue) as (_, request, pipeline):
        await pipeline.drain()
        texts = request.texts()
    with dialogue.database.session() as s:
        assert inbox.counts(s) == {"failed": 100, "done": 1}
        errors = {r.error for r in inbox.listing(s, "failed", 1000)}
    assert all(e is not None and e.startswith("InvalidUpdate") for e in errors)
    assert len(texts) == 1 and "Do you agree?" in texts[0]
    assert pipeline.stats.quarantined == 100


@pytest.fixture
def exploding(dialogue: Dialogue, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The dialogue raises on 'explode' texts (once per entry in ``fuse``; forever if empty)."""
    fuse: list[int] = []
    original = Dialogue._dispatch

    def dispatch(self: Dialogue, turn: Any) -> Any:
        if turn.inc.text and "explode" in turn.inc.text:
            if not fuse:
                raise RuntimeError(f"boom with {HEALTH}")
            fuse.pop()
            if fuse:
                raise RuntimeError("boom")
        return original(self, turn)

    monkeypatch.setattr(Dialogue, "_dispatch", dispatch)
    yield fuse


async def test_a_handler_that_always_raises_is_retried_then_quarantined_with_one_apology(
    dialogue: Dialogue, exploding: list[int],
) -> None:
    _consent(dialogue)
    u = Updates(start_id=300)
    bad, after = u.message(f"explode {HEALTH}"), u.message("rpe 5, 30 min, fine")
    for update in (bad, after):
        _put(dialogue, update["update_id"], json.dumps(update))
    async with _bot(dialogue) as (_, request, pipeline):
        await pipeline.drain()
        texts = request.texts()
    row = _row(dialogue, 300)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert row.error is not None and row.error.startswith("RuntimeError at bot.dialogue.core:")
    assert "knee" not in row.error and "60" not in row.error  # no health value in the error
    assert texts.count(QUARANTINED) == 1
    assert texts[1].startswith("Saved ✅ RPE 5 x 30 min")  # the next update went through
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1


async def test_a_handler_that_fails_twice_then_works_answers_once(
    dialogue: Dialogue, exploding: list[int],
) -> None:
    _consent(dialogue)
    exploding.extend([1, 1, 1])  # two failures, then the real dispatch
    update = Updates(start_id=400).message("explode rpe 6, 40 min")
    _put(dialogue, 400, json.dumps(update))
    async with _bot(dialogue) as (_, request, pipeline):
        await pipeline.drain()
        texts = request.texts()
    assert (_row(dialogue, 400).status, _row(dialogue, 400).attempts) == ("done", 3)
    assert sum(t.startswith("Saved ✅ RPE 6 x 40 min") for t in texts) == 1
    assert QUARANTINED not in texts
    assert pipeline.stats.retried == 2


async def test_an_update_that_killed_the_process_on_every_attempt_is_quarantined(
    dialogue: Dialogue,
) -> None:
    """Attempts are counted before handling: a crash leaves the count up."""
    _consent(dialogue)
    update = Updates(start_id=500).message("rpe 6, 40 min")
    _put(dialogue, 500, json.dumps(update), attempts=MAX_ATTEMPTS)
    async with _bot(dialogue) as (_, request, pipeline):
        await pipeline.drain()
        texts = request.texts()
    row = _row(dialogue, 500)
    assert row.status == "failed" and row.error == "stopped the process while being handled"
    assert texts == [QUARANTINED]
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 0


async def test_a_crash_between_commit_and_send_is_answered_once_from_the_outbox(
    dialogue: Dialogue,
) -> None:
    """The replay sends what the first attempt committed: the confirmation and the next
    session, once; the check-in is stored once."""
    _consent(dialogue)
    update = Updates(start_id=600).message("rpe 7, 60 min, legs heavy")
    _put(dialogue, 600, json.dumps(update))
    async with _bot(dialogue) as (app, request, _):
        adapter = app.bot_data[ADAPTER_KEY]
        ptb_update = to_update(update, app.bot)
        from bot.telegram_app import to_incoming

        inc = to_incoming(ptb_update)
        assert inc is not None
        # the handler's transaction commits... and the process dies before sending
        dialogue.handle(inc, settle=adapter._settler(600, inc))
        assert request.texts() == []
    with dialogue.database.session() as s:
        assert inbox.status_of(s, 600) == "done"
        assert len(outbox.unsent(s, update_id=600)) == 1  # saved and tomorrow, one message
    async with _bot(dialogue) as (_, request, pipeline):  # the restart
        await pipeline.sender.resume()
        await pipeline.drain()
        texts = request.texts()
    assert len(texts) == 1
    assert texts[0].startswith("Saved ✅ RPE 7 x 60 min") and "(tomorrow)" in texts[0]
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1
        assert outbox.counts(s) == {"sent": 1}
        bodies = s.scalars(select(OutboxMessage.body)).all()
    assert all(b == {} for b in bodies)  # a sent reply's text (health values) is not kept


async def test_inbox_commands_list_retry_and_drop_quarantined_updates(
    dialogue: Dialogue, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from bot.cli import app as cli

    _put(dialogue, 7001, json.dumps({"update_id": 7001, "message": "notadict"}))
    _put(dialogue, 7002, json.dumps({"update_id": 7002, "message": []}))
    async with _bot(dialogue) as (_, _request, pipeline):
        await pipeline.drain()
    monkeypatch.setenv("DATABASE_URL", dialogue.database.url)
    runner = CliRunner()
    listed = runner.invoke(cli, ["inbox", "list"])
    assert listed.exit_code == 0, listed.output
    assert "inbox: 2 failed" in listed.output and "7001" in listed.output
    assert "InvalidUpdate: message must be an object" in listed.output
    assert runner.invoke(cli, ["inbox", "retry", "7001"]).exit_code == 0
    assert _row(dialogue, 7001).status == "received" and _row(dialogue, 7001).attempts == 0
    assert runner.invoke(cli, ["inbox", "drop", "7002"]).exit_code == 0
    dropped = _row(dialogue, 7002)
    assert (dropped.status, dropped.payload) == ("dropped", None)
    refused = runner.invoke(cli, ["inbox", "retry", "7002", "99"])
    assert refused.exit_code == 1 and "not failed" in refused.output
    as_json = runner.invoke(cli, ["inbox", "list", "--status", "all", "--json"])
    assert {json.loads(line)["update_id"] for line in as_json.output.splitlines()} == {
        7001, 7002}
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0


async def test_a_database_outage_pauses_the_pipeline_and_it_resumes(
    dialogue: Dialogue, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past `Database.run`'s own retries the pipeline waits and tries again; the bot lives."""
    import asyncio

    from sqlalchemy.exc import OperationalError

    update = Updates(start_id=800).message("/start")
    _put(dialogue, 800, json.dumps(update))
    real_pending = inbox.pending
    outages = [1, 1]

    def flaky(session: Any, limit: int = 100) -> Any:
        if outages:
            outages.pop()
            raise OperationalError("SELECT", {}, Exception("server closed the connection"))
        return real_pending(session, limit)

    monkeypatch.setattr(inbox, "pending", flaky)
    monkeypatch.setattr(dialogue.database, "run", lambda work, attempts=5: _once(dialogue, work))
    stop = asyncio.Event()
    async with _bot(dialogue) as (_, request, pipeline):
        task = asyncio.create_task(pipeline.process_forever(stop))
        for _ in range(200):
            if request.texts():
                break
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, 10)
        texts = request.texts()
    assert outages == [] and len(texts) == 1 and "Do you agree?" in texts[0]


def _once(dialogue: Dialogue, work: Any) -> Any:
    """`Database.run` without its retries (the outage reaches the pipeline at once)."""
    with dialogue.database.session() as session:
        return work(session)
