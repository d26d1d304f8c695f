"""Which request budget a provider client gets: this process's, or one kept in Redis that
every bot process of the app draws from.

Strava's limits (200 requests per 15 minutes, 2,000 a day) are per app, not per process: two
bot processes that each count their own requests in memory (`bot.sync.ratelimit.Budget`)
would together send twice the allowed rate before the providers' usage headers caught up.
`RedisBudget` keeps the same windows as counters in Redis, one key per window and window
start, and checks and takes a request in one Lua script, so two processes asking at the
same moment cannot both take the last request of a window. A 429 seen by one process
blocks them all until the time it implies (one ``blocked`` key), and the providers'
``X-RateLimit-Usage`` raises the shared count as it raises a local one.

Window starts come from the calling process's clock (passed to the script), aligned to the
epoch as Strava's windows are (quarter hours, days from midnight UTC); an injected clock lets
a test move to the next window without waiting. When Redis cannot be reached, the budget
falls back to this process's own count (`Budget`) and logs that once: an import must not stop
because the shared count is down, and the providers' 429s still bound it.

`budget_for` hands every client of one provider the same budget: the shared one when the
settings name a Redis (``redis_url``), else the process's.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

from redis import Redis
from redis.exceptions import RedisError

from bot.sync.config import BUDGET_PREFIX, SyncConfig
from bot.sync.ratelimit import (
    INTERVALS_WINDOWS,
    OURA_WINDOWS,
    STRAVA_WINDOWS,
    Budget,
    Window,
    seen_usage,
)

log = logging.getLogger(__name__)

# KEYS: blocked, then one counter per window. ARGV: now (s), take (1/0), then per window its
# length (s) and limit. Returns the seconds to wait as a string (0: taken, or free to take).
_ACQUIRE = """
local now = tonumber(ARGV[1])
local wait = 0
local blocked = tonumber(redis.call('GET', KEYS[1]) or '0')
if blocked > now then wait = blocked - now end
for i = 1, #KEYS - 1 do
  local seconds = tonumber(ARGV[1 + 2 * i])
  local limit = tonumber(ARGV[2 + 2 * i])
  local used = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  if used >= limit then
    local left = math.floor(now / seconds) * seconds + seconds - now
    if left > wait then wait = left end
  end
end
if wait > 0 or ARGV[2] ~= '1' then return tostring(wait) end
for i = 1, #KEYS - 1 do
  redis.call('INCR', KEYS[i + 1])
  redis.call('EXPIRE', KEYS[i + 1], tonumber(ARGV[1 + 2 * i]) + 60)
end
return '0'
"""

# KEYS: counters. ARGV: per counter the provider's count and the window's length (s).
_OBSERVE = """
for i = 1, #KEYS do
  local seen = tonumber(ARGV[2 * i - 1])
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if seen > used then redis.call('SET', KEYS[i], seen, 'EX', tonumber(ARGV[2 * i]) + 60) end
end
return 0
"""

# KEYS: blocked. ARGV: until (s), time to live (s).
_BLOCK = """
local until = tonumber(ARGV[1])
if until > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return 0
"""


class RedisBudget:
    """The windows of one provider's app, counted in Redis under ``prefix`` (see the module).

    The same four calls as `Budget` (`acquire`, `wait_s`, `observe`, `block_for`), so the
    transport does not know which it has.
    """

    def __init__(
        self,
        client: Redis,
        prefix: str,
        windows: tuple[Window, ...],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.windows = windows
        self.prefix = prefix
        self.clock = clock
        self.fallback = Budget(windows, clock=clock)
        self._client = client
        self._acquire = client.register_script(_ACQUIRE)
        self._observe = client.register_script(_OBSERVE)
        self._block = client.register_script(_BLOCK)
        self._warned = False

    def _key(self, window: Window, now: float) -> str:
        start = int(now // window.seconds) * window.seconds
        return f"{self.prefix}:{window.seconds}:{start}"

    def _down(self, exc: RedisError) -> None:
        if not self._warned:
            log.warning("sync budget: Redis unreachable (%s), counting in this process",
                        type(exc).__name__)
            self._warned = True

    def _ask(self, take: bool) -> float:
        now = self.clock()
        keys = [f"{self.prefix}:blocked", *(self._key(w, now) for w in self.windows)]
        args: list[str | int] = [repr(now), 1 if take else 0]
        for window in self.windows:
            args += [window.seconds, window.limit]
        answer = self._acquire(keys=keys, args=args)
        return max(0.0, float(answer.decode() if isinstance(answer, bytes) else answer))

    def acquire(self) -> float:
        """Take one request now if every window has room (0.0), else the seconds to wait."""
        try:
            return self._ask(take=True)
        except RedisError as exc:
            self._down(exc)
            return self.fallback.acquire()

    def wait_s(self) -> float:
        """Seconds until a request may be sent (0: now); nothing is taken."""
        try:
            return self._ask(take=False)
        except RedisError as exc:
            self._down(exc)
            return self.fallback.wait_s()

    def observe(self, headers: Mapping[str, str]) -> None:
        """Raise the shared counts to the provider's usage where it is higher."""
        seen = seen_usage(headers, self.windows)
        if not seen:
            return
        now = self.clock()
        keys, args = [], []
        for window in self.windows:
            if window.seconds in seen:
                keys.append(self._key(window, now))
                args += [seen[window.seconds], window.seconds]
        try:
            self._observe(keys=keys, args=args)
        except RedisError as exc:
            self._down(exc)
            self.fallback.observe(headers)

    def block_for(self, seconds: float) -> None:
        """A 429 said to wait: no process sends before then."""
        until = self.clock() + max(0.0, seconds)
        try:
            self._block(keys=[f"{self.prefix}:blocked"],
                        args=[repr(until), math.ceil(max(seconds, 0.0)) + 60])
        except RedisError as exc:
            self._down(exc)
            self.fallback.block_for(seconds)


class RequestBudget(Protocol):
    """What the transport asks of a budget (`Budget` and `RedisBudget` both are one)."""

    def acquire(self) -> float:
        """Take one request now (0.0), or say how many seconds to wait."""

    def wait_s(self) -> float:
        """Seconds until a request may be sent."""

    def observe(self, headers: Mapping[str, str]) -> None:
        """Take the provider's own usage when it is higher."""

    def block_for(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (a 429)."""


WINDOWS = {"strava": STRAVA_WINDOWS, "intervals": INTERVALS_WINDOWS, "oura": OURA_WINDOWS}
_BUDGETS: dict[tuple[str, str | None, str], RequestBudget] = {}
_GUARD = threading.Lock()


def budget_for(provider: str, config: SyncConfig | None = None) -> RequestBudget:
    """The budget of ``provider``'s app (one per app, shared by every athlete): in Redis under
    ``config.budget_prefix`` when ``config.redis_url`` is set, else this process's own."""
    windows = WINDOWS.get(provider, INTERVALS_WINDOWS)
    url = config.redis_url if config is not None else None
    prefix = config.budget_prefix if config is not None else BUDGET_PREFIX
    with _GUARD:
        found = _BUDGETS.get((provider, url, prefix))
        if found is None:
            if url:
                client = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
                found = RedisBudget(client, f"{prefix}:{provider}", windows)
            else:
                found = Budget(windows)
            _BUDGETS[(provider, url, prefix)] = found
        return found
