"""The inbox webhook: secret checked, update committed before 200, replayed after a crash."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.telegram_app import build_application
from bot.webhook import SECRET_HEADER, make_webhook_app, replay_pending
from storage import inbox
from storage.schema import CheckIn, Person, ProcessedUpdate
from tests.bot.fakes import RecordingRequest, Updates

SECRET = "s3cret-token_ok"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_for(predicate: object, timeout: float = 10.0) -> None:
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


async def test_webhook_checks_secret_and_stores_before_answering(dialogue: Dialogue) -> None:
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=SecretStr("1:T")), dialogue,
                            request=request, rate_limit=False)
    _consenting(dialogue, 4242)
    port = _free_port()
    server = make_webhook_app(app, dialogue.database, SECRET).listen(port, address="127.0.0.1")
    u = Updates()
    checkin = u.message("rpe 6, 45 min, all good")
    url = f"http://127.0.0.1:{port}/telegram"
    try:
        async with app:
            await app.start()
            async with httpx.AsyncClient() as client:
                wrong = await client.post(url, json=checkin, headers={SECRET_HEADER: "nope"})
                missing = await client.post(url, json=checkin)
                assert (wrong.status_code, missing.status_code) == (403, 403)
                with dialogue.database.session() as s:
                    assert s.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0
                ok = await client.post(url, json=checkin, headers={SECRET_HEADER: SECRET})
                assert ok.status_code == 200
                with dialogue.database.session() as s:  # committed before the 200
                    assert inbox.status_of(s, checkin["update_id"]) is not None

                def stored() -> bool:
                    with dialogue.database.session() as s:
                        return inbox.status_of(s, checkin["update_id"]) == "done"

                await _wait_for(stored)
                replay = await client.post(url, json=checkin, headers={SECRET_HEADER: SECRET})
                assert replay.status_code == 200
                await asyncio.sleep(0.3)
            await app.stop()
    finally:
        server.stop()
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1
    assert sum(t.startswith("Saved") for t in request.texts()) == 1


async def test_updates_left_in_the_inbox_are_replayed_on_start(dialogue: Dialogue) -> None:
    _consenting(dialogue, 4242)
    u = Updates(start_id=900)
    pending = u.message("rpe 5, 30 min, easy")
    with dialogue.database.session() as s:  # the process died after the inbox write
        inbox.record_update(s, pending["update_id"], json.dumps(pending))
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=SecretStr("1:T")), dialogue,
                            request=request, rate_limit=False)
    async with app:
        await app.start()
        assert await replay_pending(app, dialogue.database) == 1

        def handled() -> bool:
            with dialogue.database.session() as s:
                return inbox.status_of(s, pending["update_id"]) == "done"

        await _wait_for(handled)
        await app.stop()
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1
        assert s.scalars(select(Person)).one().display_name == "Ana"


async def test_serve_webhook_restores_reminders_and_ignores_edits(dialogue: Dialogue) -> None:
    """The production receiver runs post_init (reminders, menu, replay) like run_polling."""
    from bot.webhook import serve_webhook
    from storage import people

    _consenting(dialogue, 4242)
    with dialogue.database.session() as s:
        person = people.get_by_telegram_id(s, 4242)
        assert person is not None
        people.update_profile(person, reminder_time="07:30")
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=SecretStr("1:T")), dialogue,
                            request=request, rate_limit=False)
    port, stop = _free_port(), asyncio.Event()
    server = asyncio.create_task(serve_webhook(
        app, dialogue.database, listen="127.0.0.1", port=port,
        webhook_url="https://example.invalid/telegram", secret=SECRET, stop=stop))
    u = Updates(start_id=700)
    checkin = u.message("rpe 6, 45 min, all good")
    edited = dict(u.message("rpe 6, 45 min, all good!"))
    edited["edited_message"] = edited.pop("message")
    url = f"http://127.0.0.1:{port}/telegram"
    try:
        await _wait_for(lambda: app.running)
        assert [j.name for j in app.job_queue.jobs()] == ["reminder:4242"]  # type: ignore[union-attr]
        assert request.sent("setMyCommands") and request.sent("setWebhook")
        async with httpx.AsyncClient() as client:
            for update in (checkin, edited):
                ok = await client.post(url, json=update, headers={SECRET_HEADER: SECRET})
                assert ok.status_code == 200

        def handled() -> bool:
            with dialogue.database.session() as s:
                return all(inbox.status_of(s, x["update_id"]) == "done" for x in (checkin, edited))

        await _wait_for(handled)
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1
