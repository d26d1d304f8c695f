"""The inbox webhook: secret and shape checked, update committed before 200, replayed after a
crash, and no body (malformed, deep, huge, out of range) can stop the bot or make it answer 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from telegram.ext import Application

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.telegram_app import build_application, pipeline_for
from bot.webhook import MAX_BODY, SECRET_HEADER, serve_webhook
from storage import inbox
from storage.schema import CheckIn, Person, ProcessedUpdate
from tests.bot.fakes import RecordingRequest, Updates

SECRET = "s3cret-token_ok"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_for(predicate: object, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():  # type: ignore[operator]
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


def _consenting(dialogue: Dialogue, user_id: int) -> None:
    import datetime as dt

    from storage import people

    with dialogue.database.session() as s:
        person = people.get_or_create_person(s, user_id, "Ana")
        people.give_consent(s, person, {"health_data": True})
        person.consent_at = dt.datetime.now(dt.UTC)


class Served:
    def __init__(self, app: Application, request: RecordingRequest, url: str) -> None:  # type: ignore[type-arg]
        self.app, self.request, self.url = app, request, url

    async def post(self, body: Any, *, secret: str | None = SECRET,
                   raw: bytes | None = None) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with httpx.AsyncClient() as client:
            if raw is not None:
                response = await client.post(self.url, content=raw, headers=headers)
            else:
                response = await client.post(self.url, json=body, headers=headers)
        return response.status_code


@contextlib.asynccontextmanager
async def _served(dialogue: Dialogue) -> AsyncIterator[Served]:
    """`serve_webhook` as `coachloop bot --webhook` runs it, on a free loopback port."""
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=SecretStr("1:T")), dialogue,
                            request=request, rate_limit=False)
    port, stop = _free_port(), asyncio.Event()
    task = asyncio.create_task(serve_webhook(
        app, pipeline_for(app, retry_delay=0.0), listen="127.0.0.1", port=port,
        webhook_url="https://example.invalid/telegram", secret=SECRET, stop=stop))
    try:
        await _wait_for(lambda: app.running or task.done())
        if task.done():
            task.result()
        yield Served(app, request, f"http://127.0.0.1:{port}/telegram")
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


def _finished(dialogue: Dialogue, update_id: int) -> bool:
    """Handled, and none of its replies left to send."""
    from storage import outbox

    with dialogue.database.session() as s:
        return (inbox.status_of(s, update_id) == "done"
                and not outbox.unsent(s, update_id=update_id, kind=None))


def _status(dialogue: Dialogue, update_id: int) -> str | None:
    with dialogue.database.session() as s:
        return inbox.status_of(s, update_id)


async def test_webhook_checks_secret_and_stores_before_answering(dialogue: Dialogue) -> None:
    _consenting(dialogue, 4242)
    checkin = Updates().message("rpe 6, 45 min, all good")
    async with _served(dialogue) as served:
        assert await served.post(checkin, secret="nope") == 403
        assert await served.post(checkin, secret=None) == 403
        with dialogue.database.session() as s:
            assert s.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0
        assert await served.post(checkin) == 200
        assert _status(dialogue, checkin["update_id"]) is not None  # committed before the 200
        await _wait_for(lambda: _status(dialogue, checkin["update_id"]) == "done")
        assert await served.post(checkin) == 200  # Telegram's retry: stored once, answered once
        await _wait_for(lambda: _finished(dialogue, checkin["update_id"]))
        texts = served.request.texts()
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1
    assert sum(t.startswith("Saved") for t in texts) == 1


async def test_updates_left_in_the_inbox_are_replayed_on_start(dialogue: Dialogue) -> None:
    _consenting(dialogue, 4242)
    pending = Updates(start_id=900).message("rpe 5, 30 min, easy")
    with dialogue.database.session() as s:  # the process died after the inbox write
        inbox.record_update(s, pending["update_id"], json.dumps(pending))
    async with _served(dialogue) as served:
        await _wait_for(lambda: _status(dialogue, pending["update_id"]) == "done")
        await _wait_for(lambda: len(served.request.texts()) >= 1)
        [reply] = served.request.texts()
    assert reply.startswith("Saved ✅ RPE 5 x 30 min") and "(tomorrow)" in reply
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1
        assert s.scalars(select(Person)).one().display_name == "Ana"


async def test_serve_webhook_restores_reminders_and_answers_edits(dialogue: Dialogue) -> None:
    """The production receiver runs post_init (reminders, menu) like run_polling."""
    from storage import people

    _consenting(dialogue, 4242)
    with dialogue.database.session() as s:
        person = people.get_by_telegram_id(s, 4242)
        assert person is not None
        people.update_profile(person, reminder_time="07:30")
    u = Updates(start_id=700)
    checkin = u.message("rpe 6, 45 min, all good")
    edited = {"update_id": 701, "edited_message": {**checkin["message"],
                                                     "text": "rpe 8, 45 min, all good"}}
    async with _served(dialogue) as served:
        assert [j.name for j in served.app.job_queue.jobs()  # type: ignore[union-attr]
                if j.name and j.name.startswith("reminder:")] == ["reminder:4242"]
        assert served.request.sent("setMyCommands") and served.request.sent("setWebhook")
        for update in (checkin, edited):
            assert await served.post(update) == 200
        await _wait_for(lambda: any(t.startswith("Updated your check-in")
                                    for t in served.request.texts()))
        texts = served.request.texts()
    with dialogue.database.session() as s:
        [row] = s.scalars(select(CheckIn)).all()
        assert row.rpe == 8  # the edit updated the check-in; it stored no second one
    assert any(t.startswith("Updated your check-in") and "RPE 6 → 8" in t for t in texts)


def _nested(depth: int) -> bytes:
    return b'{"update_id": 7, "message": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(("name", "body"), [
    ("message not an object", json.dumps({"update_id": 5001, "message": "notadict"}).encode()),
    ("callback not an object", json.dumps({"update_id": 5002, "callback_query": 3}).encode()),
    ("chat not an object", json.dumps({"update_id": 5003, "message": {
        "message_id": 1, "date": 0, "chat": "x", "text": "hi"}}).encode()),
    ("100k-deep nesting", _nested(100_000)),
    ("70-deep nesting", _nested(70)),
    ("update_id 2**70", json.dumps({"update_id": 2**70, "message": {}}).encode()),
    ("negative update_id", json.dumps({"update_id": -1}).encode()),
    ("update_id a string", json.dumps({"update_id": "12"}).encode()),
    ("update_id true", json.dumps({"update_id": True}).encode()),
    ("not JSON", b"update_id=5"),
    ("a JSON list", b"[1, 2]"),
])
async def test_a_body_that_is_not_an_update_gets_400_and_stores_nothing(
    dialogue: Dialogue, name: str, body: bytes,
) -> None:
    async with _served(dialogue) as served:
        assert await served.post(None, raw=body) == 400, name
        assert await served.post(Updates(start_id=9000).message("/help")) == 200
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedUpdate)) == 1


async def test_a_body_over_one_mebibyte_gets_413_not_a_reset(dialogue: Dialogue) -> None:
    big = json.dumps({"update_id": 1, "message": {"text": "x" * (MAX_BODY + 10)}}).encode()
    async with _served(dialogue) as served:
        assert await served.post(None, raw=big) == 413
        async with httpx.AsyncClient() as client:  # no Content-Length: counted while read
            async def chunks() -> AsyncIterator[bytes]:
                for i in range(0, len(big), 65536):
                    yield big[i:i + 65536]

            streamed = await client.post(served.url, content=chunks(),
                                         headers={SECRET_HEADER: SECRET})
        assert streamed.status_code == 413
        assert await served.post(Updates(start_id=9100).message("/help")) == 200
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedUpdate)) == 1
