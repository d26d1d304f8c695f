"""The durable update pipeline: fetch -> inbox -> handle -> outbox -> send, in both modes.

Nothing fetched is lost:
- polling: getUpdates is called here, not by python-telegram-bot's Updater (which confirms a
  batch to Telegram when it asks for the next one, before the batch was handled). Each batch
  is committed to the inbox first; only then is the next offset, which confirms it, asked
  for. A kill at any point leaves every update either unconfirmed at Telegram (fetched again)
  or committed here (handled after the restart).
- webhook: `bot.webhook` commits the update before answering 200 and wakes this pipeline.

Handling reads from the inbox, oldest first, one update at a time (so one chat's messages
apply in order). The adapter marks the update done and writes its replies to the outbox in
the transaction that applies its effects; the sender then delivers them. After a crash the
outbox is sent first, then the inbox is drained: the athlete gets what the first attempt
would have sent, once.

No update can stop the bot: one that is not an Update is quarantined at once; one whose
handling raises is retried with back-off, and one that used up `MAX_ATTEMPTS` (a crash mid-
handling counts, so an update that kills the process is caught too) is quarantined with its
error class and place, the sender told politely, and the pipeline goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from bot.failures import describe
from bot.outbox import OutboxSender, drafts
from bot.replies import Reply
from bot.update_shape import InvalidUpdate, check_shape, to_update, update_id_of
from storage import inbox, outbox
from storage.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 5
POLL_TIMEOUT = 25  # seconds of long polling per getUpdates
BATCH = 100
QUARANTINED = (
    "Sorry, I could not handle that message, and I stopped trying so that your other "
    "messages go through. Please send it again in a different way, or /help."
)
# We call getUpdates ourselves on purpose (see the module docstring); PTB suggests its method.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'",
                        category=PTBUserWarning)


@dataclass
class PipelineStats:
    """What the pipeline did since it started (logged at stop, read by tests)."""

    fetched: int = 0
    handled: int = 0
    retried: int = 0
    quarantined: int = 0
    unaddressable: int = 0
    errors: dict[str, int] = field(default_factory=dict)


async def run_application(application: Application[Any, Any, Any, Any, Any, Any],
                          pipeline: UpdatePipeline, stop: asyncio.Event, *, polling: bool,
                          before_start: Callable[[], Awaitable[None]] | None = None) -> None:
    """PTB's application (bot, job queue, rate limiter) started, our pipeline run until
    ``stop``, then a graceful stop (the broadcasts under way finish first).

    ``post_init`` runs here as `run_polling` would run it (reminders and the command menu
    live there); ``before_start`` is the webhook's registration.
    """
    async with application:
        if before_start is not None:
            await before_start()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            await pipeline.run(stop, polling=polling)
            await pipeline.sender.wait_broadcasts()
        finally:
            await application.stop()


def _forget(running: dict[int, asyncio.Task[str]], update_id: int, _: object) -> None:
    running.pop(update_id, None)


def ordering_keys(payload: str | None) -> tuple[str, ...]:
    """What an update must stay in order with: its chat and its sender.

    Read from the raw JSON (before it is an Update), so a payload that will be quarantined
    costs nothing here; it has no keys and waits for nothing.
    """
    try:
        data = json.loads(payload) if payload else None
    except (ValueError, RecursionError):
        return ()
    if not isinstance(data, dict):
        return ()
    keys: list[str] = []
    for value in data.values():
        if not isinstance(value, dict):
            continue
        sender = value.get("from")
        chat = value.get("chat")
        if chat is None and isinstance(value.get("message"), dict):  # a button press
            chat = value["message"].get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            keys.append(f"chat:{chat['id']}")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            keys.append(f"user:{sender['id']}")
    return tuple(dict.fromkeys(keys))


class UpdatePipeline:
    """Runs one application's updates through the inbox and the outbox."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any],
                 database: Database, sender: OutboxSender,
                 failures: dict[int, BaseException], *, max_attempts: int = MAX_ATTEMPTS,
                 poll_timeout: int = POLL_TIMEOUT, retry_delay: float = 0.5) -> None:
        self.application = application
        self.database = database
        self.sender = sender
        self.failures = failures  # filled by the adapter's error handler, per update id
        self.max_attempts = max_attempts
        self.poll_timeout = poll_timeout
        self.retry_delay = retry_delay
        self.wake = asyncio.Event()
        self.stats = PipelineStats()

    async def _db(self, work: Callable[[Any], T]) -> T:
        return await asyncio.to_thread(self.database.run, work)

    # ---- running ------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, *, polling: bool) -> None:
        """Send what the outbox kept, then handle (and, polling, fetch) until ``stop``."""
        await self.sender.resume()
        fetcher = asyncio.create_task(self.fetch_forever(stop)) if polling else None
        follow_ups = asyncio.create_task(self.sender.loose_forever(stop))
        try:
            await self.process_forever(stop)
        finally:
            for task in (fetcher, follow_ups):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            log.info("pipeline stopped: %s", self.stats)

    async def process_forever(self, stop: asyncio.Event) -> None:
        """Drain the inbox whenever it has work; between updates, check ``stop``.

        A database that stays unreachable past `Database.run`'s own retries (a PostgreSQL
        restart) pauses the pipeline with back-off; it never ends the bot.
        """
        backoff = 1.0
        while not stop.is_set():
            try:
                taken = await self.drain(stop)
                backoff = 1.0
            except SQLAlchemyError as exc:
                log.error("database unavailable (%s); handling resumes in %.0f s",
                          type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if taken == 0:
                self.wake.clear()
                waiter = asyncio.create_task(self.wake.wait())
                stopper = asyncio.create_task(stop.wait())
                await asyncio.wait({waiter, stopper}, timeout=1.0,
                                   return_when=asyncio.FIRST_COMPLETED)
                for task in (waiter, stopper):
                    task.cancel()

    async def drain(self, stop: asyncio.Event | None = None) -> int:
        """Handle every pending update; returns how many were taken.

        Updates of different chats run at once, up to the application's update processor's
        bound (``concurrent_updates``); each chat's updates, and each person's across chats,
        start only after the earlier ones finished (`ordering_keys`), so a slow update of one
        athlete holds up that athlete alone. A stop lets the updates under way finish.
        """
        taken = 0
        tails: dict[str, asyncio.Task[str]] = {}
        running: dict[int, asyncio.Task[str]] = {}
        while stop is None or not stop.is_set():
            rows = await self._db(lambda s: [(r.update_id, r.payload)
                                             for r in inbox.pending(s, limit=BATCH)])
            fresh = [(uid, payload) for uid, payload in rows if uid not in running]
            for update_id, payload in fresh:
                keys = ordering_keys(payload)
                before = [tails[k] for k in keys if k in tails and not tails[k].done()]
                task = asyncio.create_task(self._in_turn(before, update_id, payload))
                running[update_id] = task
                task.add_done_callback(functools.partial(_forget, running, update_id))
                for key in keys:
                    tails[key] = task
                taken += 1
            if not running:
                return taken
            stopping = [asyncio.create_task(stop.wait())] if stop is not None else []
            await asyncio.wait([*running.values(), *stopping],
                               return_when=asyncio.FIRST_COMPLETED)
            for waiter in stopping:
                waiter.cancel()
            for key in [k for k, t in tails.items() if t.done()]:
                del tails[key]
        if running:  # stopping: what is under way finishes (its effects and replies commit)
            await asyncio.gather(*running.values(), return_exceptions=True)
        return taken

    async def _in_turn(self, before: list[asyncio.Task[str]], update_id: int,
                       payload: str | None) -> str:
        """Wait for the same chat's and person's earlier updates, then handle this one."""
        if before:
            await asyncio.wait(before)
        outcome: list[str] = []

        async def handle() -> None:
            outcome.append(await self.process(update_id, payload))

        await self.application.update_processor.process_update(update_id, handle())
        return outcome[0] if outcome else inbox.FAILED

    # ---- one update ---------------------------------------------------------------------------

    async def process(self, update_id: int, payload: str | None) -> str:
        """Handle one inbox row to ``done`` or ``failed``; never raises for the update's sake."""
        try:
            if payload is None:
                raise InvalidUpdate("no payload stored")
            data = json.loads(payload)
            check_shape(data)
            update = to_update(data, self.application.bot)
        except (InvalidUpdate, ValueError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, InvalidUpdate) else type(exc).__name__
            await self._quarantine(update_id, f"InvalidUpdate: {reason}", None)
            return inbox.FAILED
        while True:
            attempts = await self._db(lambda s: inbox.begin_attempt(s, update_id))
            if attempts > self.max_attempts:
                error = await self._db(lambda s: inbox.last_error(s, update_id))
                await self._quarantine(update_id, error or "stopped the process while being "
                                       "handled", update)
                return inbox.FAILED
            self.failures.pop(update_id, None)
            try:
                await self.application.process_update(update)
            except Exception as exc:  # process_update hands handler errors to on_error
                self.failures[update_id] = exc
            failure = self.failures.pop(update_id, None)
            if failure is None:
                await self._db(lambda s: _settle_unhandled(s, update_id))
                # The handler sent its replies already; this finds none then. It sends them
                # when the handler's own send did not happen (its update was settled, then
                # the send step raised: the retry stops at the gate and reaches here).
                await self.sender.send_update(update_id)
                self.stats.handled += 1
                return inbox.DONE
            error = describe(failure)
            self.stats.errors[type(failure).__name__] = (
                self.stats.errors.get(type(failure).__name__, 0) + 1)
            log.warning("update %s failed (attempt %d/%d): %s", update_id, attempts,
                        self.max_attempts, error)
            await self._db(_recorder(update_id, error))
            if attempts >= self.max_attempts:
                await self._quarantine(update_id, error, update)
                return inbox.FAILED
            self.stats.retried += 1
            await asyncio.sleep(min(self.retry_delay * 2 ** (attempts - 1), 8.0))

    async def _quarantine(self, update_id: int, error: str, update: Update | None) -> None:
        """Mark failed (payload kept for `coachloop inbox retry`) and tell the sender once."""
        chat = update.effective_chat if update is not None else None
        private = chat is not None and chat.type == "private"

        def work(s: Any) -> None:
            inbox.quarantine(s, update_id, error)
            if private and chat is not None:
                outbox.add(s, update_id, drafts([Reply(QUARANTINED)], chat.id))

        await self._db(work)
        self.stats.quarantined += 1
        log.error("update %s quarantined: %s", update_id, error)
        if private:
            await self.sender.send_update(update_id)

    # ---- polling --------------------------------------------------------------------------------

    async def fetch_forever(self, stop: asyncio.Event) -> None:
        """Long-poll getUpdates; commit each batch before the offset that confirms it."""
        bot = self.application.bot
        with contextlib.suppress(TelegramError):
            await bot.delete_webhook(drop_pending_updates=False)
        offset: int | None = None  # Telegram resends everything it was not told we have
        backoff = 1.0
        while not stop.is_set():
            try:
                raw = await bot.do_api_request(
                    "getUpdates",
                    api_kwargs={"offset": offset, "timeout": self.poll_timeout,
                                "limit": BATCH, "allowed_updates": list(Update.ALL_TYPES)},
                    read_timeout=self.poll_timeout + 10,
                )
                backoff = 1.0
            except InvalidToken:
                log.critical("the bot token was refused; polling stops")
                raise
            except (Conflict, NetworkError) as exc:  # another poller, or the network is down
                log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__,
                            backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if not isinstance(raw, list):
                log.warning("getUpdates answered something other than a list; retrying")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            try:
                highest = await self.store_batch(raw)
            except SQLAlchemyError as exc:  # not stored: keep the offset, Telegram resends
                log.error("fetched batch not stored (%s); fetching it again in %.0f s",
                          type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if highest is not None:
                offset = highest + 1

    async def store_batch(self, raw: list[Any]) -> int | None:
        """Commit a fetched batch to the inbox; returns the highest update id in it.

        An element that is not an Update but has a usable id is stored already quarantined
        (an operator sees it with ``coachloop inbox list``); one without a usable id cannot
        be stored under any key and is counted and logged.
        """
        good: list[tuple[int, str]] = []
        bad: list[tuple[int, str]] = []
        highest: int | None = None
        for item in raw:
            try:
                update_id = update_id_of(item)
            except InvalidUpdate:
                self.stats.unaddressable += 1
                log.error("getUpdates returned an element without a usable update_id; skipped")
                continue
            highest = update_id if highest is None else max(highest, update_id)
            text = json.dumps(item, separators=(",", ":"))
            try:
                check_shape(item)
                good.append((update_id, text))
            except InvalidUpdate as exc:
                bad.append((update_id, str(exc)))
                good.append((update_id, text))
        if good:
            def work(s: Any) -> list[int]:
                new = inbox.record_batch(s, good)
                for update_id, reason in bad:
                    if update_id in new:
                        inbox.quarantine(s, update_id, f"InvalidUpdate: {reason}")
                return new

            new = await self._db(work)
            self.stats.fetched += len(new)
            self.stats.quarantined += sum(1 for uid, _ in bad if uid in new)
            if new:
                self.wake.set()
        return highest


def _recorder(update_id: int, error: str) -> Callable[[Any], None]:
    return lambda s: inbox.record_error(s, update_id, error)


def _settle_unhandled(session: Any, update_id: int) -> None:
    """An update no handler settled (an ignored kind, a redelivery) is done, with no reply."""
    if inbox.status_of(session, update_id) == inbox.RECEIVED:
        inbox.settle(session, update_id)


__all__ = ["MAX_ATTEMPTS", "UpdatePipeline", "describe"]
