"""The rate limit shared through the real Redis: two processes of one bot send, together,
no faster than one bot may; a 429 seen by one holds both back; no Redis, still sending.

The bounds below are lower bounds that follow from the limit itself (a shared budget cannot
send N messages faster than the rate allows), not performance thresholds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from redis import Redis
from redis.exceptions import RedisError
from telegram.error import RetryAfter

from bot.ratelimit import SharedRateLimiter

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
async def two() -> AsyncIterator[tuple[SharedRateLimiter, SharedRateLimiter]]:
    """Two processes' limiters of one bot (a fresh bot id: no other test's budget)."""
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (`make broker` starts it)")
    bot_id = uuid.uuid4().hex[:8]
    limiters = tuple(SharedRateLimiter(REDIS_URL, bot_id, overall=(50, 1.0), group=(5, 0.5))
                     for _ in range(2))
    for limiter in limiters:
        await limiter.initialize()
    yield limiters  # type: ignore[misc]
    for limiter in limiters:
        await limiter.shutdown()


async def _send(limiter: SharedRateLimiter, chat_id: int, sent: list[float]) -> bool:
    async def call() -> bool:
        sent.append(time.monotonic())
        return True

    return bool(await limiter.process_request(call, (), {}, "sendMessage",
                                              {"chat_id": chat_id, "text": "hi"}, None))


async def test_two_processes_share_one_budget(
        two: tuple[SharedRateLimiter, SharedRateLimiter]) -> None:
    """120 messages at 50/s (a burst of 50): at least 1.4 s together; each process alone
    with its own budget would take 0.2 s."""
    sent: list[float] = []
    start = time.monotonic()
    await asyncio.gather(*(_send(two[i % 2], 1000 + i, sent) for i in range(120)))
    assert len(sent) == 120
    assert max(sent) - start >= (120 - 50) / 50 * 0.9


async def test_a_group_is_limited_across_processes(
        two: tuple[SharedRateLimiter, SharedRateLimiter]) -> None:
    """15 messages to one group at 5 per 0.5 s: at least 1 s, from both processes."""
    sent: list[float] = []
    start = time.monotonic()
    await asyncio.gather(*(_send(two[i % 2], -100123, sent) for i in range(15)))
    assert max(sent) - start >= (15 - 5) / 10 * 0.9


async def test_a_429_in_one_process_holds_back_the_other(
        two: tuple[SharedRateLimiter, SharedRateLimiter]) -> None:
    first, second = two
    told = []

    async def flooded() -> bool:
        if not told:
            told.append(time.monotonic())
            raise RetryAfter(dt.timedelta(seconds=1))
        return True

    task = asyncio.create_task(first.process_request(flooded, (), {}, "sendMessage",
                                                     {"chat_id": 1}, None))
    while not told:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # the pause is set
    sent: list[float] = []
    await _send(second, 2, sent)
    assert await task is True
    assert sent[0] - told[0] >= 1.0


async def test_without_redis_each_process_still_sends() -> None:
    limiter = SharedRateLimiter("redis://127.0.0.1:1/0", "nobody")
    await limiter.initialize()
    try:
        sent: list[float] = []
        assert await _send(limiter, 5, sent) and len(sent) == 1
        assert await _send(limiter, 5, sent) and len(sent) == 2  # on the local fallback
    finally:
        await limiter.shutdown()


async def test_requests_to_no_chat_are_not_limited(
        two: tuple[SharedRateLimiter, SharedRateLimiter]) -> None:
    async def me() -> dict[str, str]:
        return {"ok": "yes"}

    assert await two[0].process_request(me, (), {}, "getMe", {}, None) == {"ok": "yes"}
