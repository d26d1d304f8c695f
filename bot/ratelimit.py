"""Telegram's sending limits, shared by every bot process of one bot through Redis.

Telegram limits a bot, not a process: about 30 messages a second overall and 20 a minute in
one group; past them it answers 429 with a ``retry_after``. python-telegram-bot's
`AIORateLimiter` counts in one process's memory, so two processes would send twice the
allowed rate. `SharedRateLimiter` keeps the same two limits in Redis, where every process of
the bot (keyed by the bot's id) draws from the same budget, and a 429 seen by one process
pauses them all for the time Telegram asked.

Each limit is a GCRA (generic cell rate algorithm, the leaky bucket as a single timestamp,
as in ATM traffic shaping): one key holds the "theoretical arrival time" of the next message;
a message may go when that time is within the burst tolerance of now. One Lua script reads
Redis' own clock, checks the pause, checks and advances the bucket atomically, and answers how
long to wait, so processes on machines with unequal clocks still agree.

The reply path must not depend on Redis: when Redis cannot be reached, each process falls
back to PTB's own limiter (its limits per process) and tries Redis again after `RETRY_REDIS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from redis import asyncio as aioredis
from redis.exceptions import RedisError
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

log = logging.getLogger(__name__)

OVERALL = (30, 1.0)  # messages per period (s), the whole bot
GROUP = (20, 60.0)  # messages per period (s), one group chat
RETRY_REDIS = 5.0  # seconds on the local limiter after Redis failed
MAX_RETRIES = 3  # 429s retried per request

# KEYS: bucket, pause. ARGV: emission interval (us), burst (messages). Returns us to wait.
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return pause * 1000 end
local interval = tonumber(ARGV[1])
local tau = interval * (tonumber(ARGV[2]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - tau - now
if wait > 0 then return wait end
local next_tat = tat + interval
redis.call('SET', KEYS[1], next_tat, 'PX', math.ceil((next_tat - now + tau) / 1000) + 1000)
return 0
"""

Callback = Callable[..., Coroutine[Any, Any, Any]]


def _group_of(data: dict[str, Any]) -> int | str | None:
    """The group a request sends to (negative ids and @channel names), else None."""
    chat_id = data.get("chat_id")
    with contextlib.suppress(ValueError, TypeError):
        chat_id = int(chat_id)  # type: ignore[arg-type]
    if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str):
        return chat_id
    return None


def _seconds(exc: RetryAfter) -> float:
    """How long Telegram asked to wait (an int or a timedelta, by PTB version)."""
    with warnings.catch_warnings():  # PTB warns that the int form is going away
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class SharedRateLimiter(BaseRateLimiter[int]):
    """PTB's rate-limiter hook, with its budget in Redis (see the module docstring)."""

    def __init__(self, redis_url: str, bot_id: str, *, overall: tuple[int, float] = OVERALL,
                 group: tuple[int, float] = GROUP, max_retries: int = MAX_RETRIES) -> None:
        self.redis = aioredis.Redis.from_url(redis_url, socket_timeout=2.0,
                                             socket_connect_timeout=2.0)
        self.prefix = f"coachloop:ratelimit:{bot_id}"
        self.overall = overall
        self.group = group
        self.max_retries = max_retries
        self.local = AIORateLimiter(overall_max_rate=overall[0],
                                    overall_time_period=overall[1],
                                    group_max_rate=group[0], group_time_period=group[1],
                                    max_retries=max_retries)
        self._script = self.redis.register_script(_GCRA)
        self._redis_back_at = 0.0  # monotonic time to try Redis again

    async def initialize(self) -> None:
        """Open the local fallback (Redis connects on first use)."""
        await self.local.initialize()

    async def shutdown(self) -> None:
        """Close the Redis connections and the fallback."""
        await self.local.shutdown()
        with contextlib.suppress(RedisError):
            await self.redis.aclose()

    async def _take(self, key: str, rate: tuple[int, float]) -> None:
        """Wait until ``key``'s bucket lets one message go, and count it."""
        count, period = rate
        interval_us = int(period * 1_000_000 / count)
        while True:
            wait_us = int(await self._script(keys=[f"{self.prefix}:{key}",
                                                   f"{self.prefix}:pause"],
                                             args=[interval_us, count]))
            if wait_us <= 0:
                return
            await asyncio.sleep(wait_us / 1_000_000)

    async def _pause_all(self, seconds: float) -> None:
        """Tell every process of the bot to hold back: Telegram said ``retry_after``."""
        with contextlib.suppress(RedisError):
            await self.redis.set(f"{self.prefix}:pause", 1, px=max(1, int(seconds * 1000)))

    async def process_request(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str,
        data: dict[str, Any], rate_limit_args: int | None,
    ) -> Any:
        """Draw from the shared budget for a send to a chat; other requests pass."""
        if data.get("chat_id") is None:  # getMe, getUpdates, setWebhook: not limited
            return await callback(*args, **kwargs)
        if time.monotonic() < self._redis_back_at:
            return await self.local.process_request(callback, args, kwargs, endpoint, data,
                                                    rate_limit_args)
        group = _group_of(data)
        retries = rate_limit_args or self.max_retries
        for attempt in range(retries + 1):
            try:
                if group is not None:
                    await self._take(f"group:{group}", self.group)
                await self._take("all", self.overall)
            except (RedisError, OSError) as exc:
                log.warning("shared rate limit unavailable (%s); this process limits itself "
                            "for %.0f s", type(exc).__name__, RETRY_REDIS)
                self._redis_back_at = time.monotonic() + RETRY_REDIS
                return await self.local.process_request(callback, args, kwargs, endpoint,
                                                        data, rate_limit_args)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                seconds = _seconds(exc)
                await self._pause_all(seconds + 0.1)
                log.info("rate limit hit; every process holds back %.1f s", seconds)
        raise RuntimeError("unreachable")  # pragma: no cover
