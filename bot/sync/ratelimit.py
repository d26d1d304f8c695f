"""Request budgets per provider, and what the providers' rate headers say is left.

Strava allows an app 200 requests per 15 minutes and 2,000 a day (windows that reset at the
quarter hour and at midnight UTC; developers.strava.com/docs/rate-limits), and says how much
is used in ``X-RateLimit-Limit`` / ``X-RateLimit-Usage`` ("200,2000" / "12,340") on every
answer, read requests also in ``X-ReadRateLimit-*``. A budget counts what this process sent
in each window, and takes the provider's own count when it is higher (another process of the
same app, a restart). When a window is used up, `Budget.wait_s` says how long until it
resets, and the import stops there and resumes from the last stored item (`importer`).

A `Budget` counts in this process; with Redis configured every process of the app draws from
one shared count instead (`bot.sync.budgets`, which also hands each client its budget).
Clocks are injectable, so tests need no sleeping.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Window:
    """``limit`` requests per ``seconds``, in windows aligned to the epoch (Strava's are:
    quarter hours, and days from midnight UTC)."""

    seconds: int
    limit: int


@dataclass(slots=True)
class Budget:
    """Requests left in each window of one provider (see the module)."""

    windows: tuple[Window, ...]
    clock: Callable[[], float] = time.time
    _used: dict[int, tuple[int, int]] = field(default_factory=dict)  # seconds -> (start, n)
    _blocked_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _start(self, window: Window, now: float) -> int:
        return int(now // window.seconds) * window.seconds

    def _count(self, window: Window, now: float) -> int:
        start, used = self._used.get(window.seconds, (0, 0))
        return used if start == self._start(window, now) else 0

    def wait_s(self) -> float:
        """Seconds until a request may be sent (0: now)."""
        now = self.clock()
        with self._lock:
            wait = max(0.0, self._blocked_until - now)
            for window in self.windows:
                if self._count(window, now) >= window.limit:
                    wait = max(wait, self._start(window, now) + window.seconds - now)
        return wait

    def acquire(self) -> float:
        """Take one request now if every window has room (0.0), else the seconds to wait
        (nothing taken): checking and taking at once, so two threads cannot both take the
        last request of a window."""
        now = self.clock()
        with self._lock:
            wait = max(0.0, self._blocked_until - now)
            for window in self.windows:
                if self._count(window, now) >= window.limit:
                    wait = max(wait, self._start(window, now) + window.seconds - now)
            if wait > 0:
                return wait
            for window in self.windows:
                self._used[window.seconds] = (
                    self._start(window, now),
                    self._count(window, now) + 1,
                )
        return 0.0

    def take(self) -> None:
        """Count one request sent now."""
        now = self.clock()
        with self._lock:
            for window in self.windows:
                self._used[window.seconds] = (
                    self._start(window, now),
                    self._count(window, now) + 1,
                )

    def observe(self, headers: Mapping[str, str]) -> None:
        """Take the provider's usage (``X-RateLimit-Usage``) when it is higher than ours."""
        seen = seen_usage(headers, self.windows)
        now = self.clock()
        with self._lock:
            for window in self.windows:
                if seen.get(window.seconds, 0) > self._count(window, now):
                    self._used[window.seconds] = (self._start(window, now), seen[window.seconds])

    def block_for(self, seconds: float) -> None:
        """A 429 said to wait: nothing is sent before then."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self.clock() + max(0.0, seconds))


def seen_usage(headers: Mapping[str, str], windows: tuple[Window, ...]) -> dict[int, int]:
    """What the provider's headers say is used of each of our windows (seconds -> count).

    A provider limit lower than ours (Strava's read limit) counts proportionally: usage/limit
    of our window, so a used-up read limit is a used-up window.
    """
    seen: dict[int, int] = {}
    for prefix in ("X-RateLimit", "X-ReadRateLimit"):
        usage = _numbers(headers.get(f"{prefix}-Usage"))
        limits = _numbers(headers.get(f"{prefix}-Limit"))
        if not usage or len(usage) != len(limits):
            continue
        for window, used, limit in zip(windows, usage, limits, strict=False):
            if limit <= 0:
                continue
            count = used if limit >= window.limit else round(used * window.limit / limit)
            seen[window.seconds] = max(seen.get(window.seconds, 0), count)
    return seen


def _numbers(value: str | None) -> list[int]:
    if not value:
        return []
    try:
        return [int(part.strip()) for part in value.split(",") if part.strip()]
    except ValueError:
        return []


def retry_after_s(value: str | None, now: float) -> float | None:
    """``Retry-After`` as seconds (RFC 9110 sec. 10.2.3: delay seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


#: Strava: 200 per 15 min and 2,000 per day per app (developers.strava.com/docs/rate-limits).
STRAVA_WINDOWS = (Window(900, 200), Window(86_400, 2_000))
#: intervals.icu publishes no number; a polite 10 a second, and its 429s are honoured.
INTERVALS_WINDOWS = (Window(1, 10),)
#: Oura: 5,000 requests per 5 minutes (cloud.ouraring.com/v2/docs, "Rate limits").
OURA_WINDOWS = (Window(300, 5_000),)
