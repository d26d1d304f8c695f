"""A broadcast to 200 students under the rate limiter, and the webhook's secret-token check."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import time

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.services.planning import plan_and_store
from bot.telegram_app import build_application, pipeline_for
from nlu import NluEngine
from storage import groups, people
from storage.db import Database
from storage.schema import BroadcastDelivery, Group, Plan, ProcessedUpdate
from tests.e2e.conftest import TOKEN, Running
from tests.e2e.fake_bot_api import FakeBotApi

STUDENTS = 200
FIRST_STUDENT = 10_000
TODAY = dt.datetime.now(dt.UTC).date()


def _seed_class(database: Database, teacher_tid: int) -> None:
    database.run(lambda s: _seed(s, teacher_tid))


def _seed(s: Session, teacher_tid: int) -> None:
    """200 consented students in the teacher's class (joining by chat is tested elsewhere)."""
    group = s.scalar(select(Group))
    assert group is not None and people.get_by_telegram_id(s, teacher_tid) is not None
    template: Plan | None = None
    for i in range(STUDENTS):
        student = people.get_or_create_person(s, FIRST_STUDENT + i, f"Student {i}")
        people.give_consent(s, student, {"health_data": True})
        groups.join(s, student, group)
        # New students with identical (empty) histories get the identical ACO week plan
        # (0.3 s of CPU each): compute it once and give each student their own copy, so the
        # suite stays under a minute. The daily decision is still made per student.
        if template is None:
            plan_and_store(s, student, TODAY)
            template = s.scalar(select(Plan).where(Plan.person_id == student.id))
            assert template is not None
        else:
            s.add(Plan(person_id=student.id, start_day=template.start_day,
                       end_day=template.end_day, template=template.template,
                       meta=dict(template.meta)))


async def test_broadcast_reaches_200_students_with_a_report(bot: Running) -> None:
    api = bot.api
    api.say(50, "Cruz", "/start")
    await api.wait_for(lambda: len(api.to(50)) >= 1)
    api.press(50, "Cruz", "consent:yes")
    await api.wait_for(lambda: len(api.to(50)) >= 3)
    api.say(50, "Cruz", "/class create 10B")
    await api.wait_for(lambda: any("Invite code" in s.text for s in api.to(50)))
    await asyncio.to_thread(_seed_class, bot.database, 50)
    blocked = {FIRST_STUDENT + i for i in (3, 77, 150)}
    api.blocked |= blocked
    api.throttle_once.add(FIRST_STUDENT + 10)  # one 429: the rate limiter waits and retries
    started = time.monotonic()
    api.say(50, "Cruz", "/broadcast")
    await api.wait_for(lambda: any("Delivery report" in s.text for s in api.to(50)),
                       timeout=50)
    elapsed = time.monotonic() - started
    report = next(s.text for s in api.to(50) if "Delivery report" in s.text)
    assert "197 sent, 0 failed, 3 blocked the bot (of 200)" in report
    delivered = [s.chat_id for s in api.sent if s.chat_id >= FIRST_STUDENT]
    expected = [FIRST_STUDENT + i for i in range(STUDENTS) if FIRST_STUDENT + i not in blocked]
    assert delivered == expected, "every student once, in class order"
    assert all("From Cruz (10B)" in s.text for s in api.sent if s.chat_id >= FIRST_STUDENT)
    with bot.database.session() as s:
        statuses = {status: n for status, n in s.execute(
            select(BroadcastDelivery.status, func.count()).group_by(BroadcastDelivery.status))}
    assert statuses == {"sent": 197, "blocked": 3}
    # Telegram's overall limit is about 30 messages per second. AIORateLimiter's overall
    # limiter is a leaky bucket of 30 that drains at 30/s: any window of T seconds holds at
    # most 30 + 30 T messages (one extra for the window's edge), so the sustained rate is 30/s.
    times = sorted(s.at for s in api.sent if s.chat_id >= FIRST_STUDENT)
    for window in (1.0, 3.0, 5.0):
        busiest = max(sum(1 for t in times[n:] if t - first < window)
                      for n, first in enumerate(times))
        assert busiest <= 30 + 30 * window + 1, f"{busiest} messages within {window:g} s"
    sustained = (len(times) - 30) / (times[-1] - times[0])
    assert sustained <= 31, f"{sustained:.1f} msg/s after the first burst"
    print(f"\nbroadcast of {STUDENTS}: {elapsed:.1f} s end to end "
          f"({len(delivered) / elapsed:.1f} msg/s under AIORateLimiter)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_refuses_wrong_or_missing_secret(
    sqlite_db: Database, nlu_engine: NluEngine
) -> None:
    """`coachloop bot --webhook`'s own receiver (inbox first), against the fake Bot API."""
    from bot.webhook import SECRET_HEADER, serve_webhook

    api = FakeBotApi()
    url = await api.start()
    settings = Settings(telegram_token=SecretStr(TOKEN), telegram_api_url=url)
    app = build_application(settings, Dialogue(sqlite_db, nlu_engine,
                                               features=default_features()))
    port, stop = _free_port(), asyncio.Event()
    server = asyncio.create_task(serve_webhook(
        app, pipeline_for(app), listen="127.0.0.1", port=port,
        webhook_url="https://example.invalid/telegram", secret="right-secret", stop=stop))
    update = {"update_id": 77, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start",
        "chat": {"id": 5, "type": "private", "first_name": "A"},
        "from": {"id": 5, "is_bot": False, "first_name": "A"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
    body = json.dumps(update)
    hook = f"http://127.0.0.1:{port}/telegram"
    headers = {"Content-Type": "application/json"}
    try:
        await api.wait_for(lambda: "setWebhook" in api.calls)
        async with httpx.AsyncClient() as client:
            missing = await client.post(hook, content=body, headers=headers)
            wrong = await client.post(hook, content=body, headers={
                **headers, SECRET_HEADER: "wrong"})
            assert (missing.status_code, wrong.status_code) == (403, 403)
            with sqlite_db.session() as s:
                assert s.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0
            for _ in range(2):  # a replayed request answers 200 and changes nothing
                right = await client.post(hook, content=body, headers={
                    **headers, SECRET_HEADER: "right-secret"})
                assert right.status_code == 200
        await api.wait_for(lambda: len(api.to(5)) >= 1)
        await Running(api, app, sqlite_db).handled(77)  # done, and nothing left to send
        assert len(api.to(5)) == 1 and "Do you agree?" in api.to(5)[0].text
        assert "setMyCommands" in api.calls
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
        await api.stop()
