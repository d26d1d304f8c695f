"""Delivering a teacher's broadcast: one private message per student, with a report.

Telegram's limits (about 30 messages/s overall, 1/s per chat, 20/min per group) are kept by
python-telegram-bot's AIORateLimiter, configured in `bot.telegram_app.build_application`; it
also waits out a 429 ``retry_after`` and retries. Here we add what it does not: a retry after a
network fault, and the outcome of each message (sent / failed / blocked the bot), which goes
back to the teacher and into `storage.groups.record_deliveries`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.i18n import _
from bot.replies import Reply

log = logging.getLogger(__name__)

NETWORK_ATTEMPTS = 3
Send = Callable[[Reply], Awaitable[object]]


@dataclass
class DeliveryReport:
    """Per-chat outcomes, and the counts the teacher sees."""

    outcomes: dict[int, tuple[str, str | None]] = field(default_factory=dict)

    def count(self, status: str) -> int:
        """How many messages ended with ``status``."""
        return sum(1 for s, _ in self.outcomes.values() if s == status)

    def summary(self) -> str:
        """The teacher's delivery report, in the current language."""
        return _("Delivery report: {sent} sent, {failed} failed, {blocked} blocked the bot (of "
                 "{total}).").format(sent=self.count("sent"), failed=self.count("failed"),
                                     blocked=self.count("blocked"), total=len(self.outcomes))


async def send_one(send: Send, reply: Reply) -> tuple[str, str | None]:
    """Send one copy with retries after network faults: ``(status, error class)``."""
    for attempt in range(1, NETWORK_ATTEMPTS + 1):
        try:
            await send(reply)
            return "sent", None
        except Forbidden:
            return "blocked", "Forbidden"
        except BadRequest as exc:
            return "failed", type(exc).__name__
        except RetryAfter as exc:  # the rate limiter ran out of retries
            if attempt == NETWORK_ATTEMPTS:
                return "failed", "RetryAfter"
            delay = exc.retry_after
            await asyncio.sleep(delay.total_seconds() if hasattr(delay, "total_seconds")
                                else float(delay))
        except NetworkError as exc:
            if attempt == NETWORK_ATTEMPTS:
                return "failed", type(exc).__name__
            await asyncio.sleep(0.5 * attempt)
        except TelegramError as exc:
            return "failed", type(exc).__name__
        except Exception as exc:  # this student's plan could not be made: report, go on
            log.exception("broadcast copy not prepared")
            return "failed", type(exc).__name__
    return "failed", "attempts"  # pragma: no cover
