"""The durable update pipeline: fetch -> inbox -> handle -> outbox -> send, in both modes.

Nothing fetched is lost:
- polling: `bot.polling` commits each fetched batch to the inbox before it confirms it.
- webhook: `bot.webhook` commits the update before answering 200 and wakes this pipeline.

Handling reads from the inbox, oldest first. Updates of different chats run at once (bounded
by PTB's update processor); one chat's updates, and one person's, apply in order. The adapter
marks the update done and writes its replies to the outbox in the transaction that applies
its effects; the sender then delivers them. After a crash the outbox is sent first, then the
inbox is drained: the athlete gets what the first attempt would have sent, once.

Several bot processes may share one PostgreSQL inbox (webhooks behind one URL): an update is
handled by the process holding its chat's and sender's keys (`storage.locks`), only when no
older update of theirs is still pending, and only while it is still pending; a process that
cannot have the keys leaves the update to their holder. So each update is applied once, in
order, whichever process received it, and a killed process's updates are taken by the others.

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
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import Application

from bot.failures import describe
from bot.outbox import OutboxSender, drafts
from bot.polling import BATCH, POLL_TIMEOUT, fetch_forever
from bot.replies import Reply
from bot.update_shape import (
    InvalidUpdate,
    chat_and_sender,
    check_shape,
    to_update,
)
from storage import inbox, outbox
from storage.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 5
ELSEWHERE = "elsewhere"  # an outcome: another bot process has the update's chat now
ELSEWHERE_PAUSE = 0.2  # seconds before this process looks at such an update again
QUARANTINED = (
    "Sorry, I could not handle that message, and I stopped trying so that your other "
    "messages go through. Please send it again in a different way, or /help."
)


@dataclass
class PipelineStats:
    """What the pipeline did since it started (logged at stop, read by tests)."""

    fetched: int = 0
    handled: int = 0
    retried: int = 0
    quarantined: int = 0
    unaddressable: int = 0
    elsewhere: int = 0  # updates left to another bot process holding their chat
    errors: dict[str, int] = field(default_factory=dict)


async def run_application(application: Application[Any, Any, Any, Any, Any, Any],
                          pipeline: UpdatePipeline, stop: asyncio.Event, *, polling: bool,
                          before_start: Callable[[], Awaitable[None]] | None = None) -> None:
    """PTB's application (bot, job queue, rate limiter) started, our pipeline run until
    ``stop``, then a graceful stop (the broadcasts under way finish first).

    ``post_init`` runs here as `run_polling` would run it (reminders and the command menu
    live there); ``before_start`` is the webhook's registration.

    The loop's thread pool is sized for the updates handled at once: each may wait in a
    thread for the database, and the default pool (cores + 4) would then leave no thread for
    the short writes that must not wait (an outbox row marked sent).
    """
    bound = application.update_processor.max_concurrent_updates
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=2 * bound + 8, thread_name_prefix="coachloop"))
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


def _left(task: asyncio.Task[str]) -> bool:
    """Whether an update's handling ended by leaving it for later (`ELSEWHERE`)."""
    return not task.cancelled() and task.exception() is None and task.result() == ELSEWHERE


def _forget(running: dict[int, asyncio.Task[str]], update_id: int, _: object) -> None:
    running.pop(update_id, None)


def ordering_keys(chat_id: int | None, user_id: int | None) -> tuple[str, ...]:
    """The lock keys of an update: its chat and its sender (`update_shape.chat_and_sender`)."""
    keys = ([f"chat:{chat_id}"] if chat_id is not None else []) + (
        [f"user:{user_id}"] if user_id is not None else [])
    return tuple(keys)


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
        self._elsewhere: dict[int, float] = {}  # update id -> loop time to look again

    async def _db(self, work: Callable[[Any], T]) -> T:
        return await asyncio.to_thread(self.database.run, work)

    # ---- running ------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, *, polling: bool) -> None:
        """Send what the outbox kept, then handle (and, polling, fetch) until ``stop``."""
        await self.sender.resume()
        fetcher = asyncio.create_task(fetch_forever(self, stop)) if polling else None
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
        athlete holds up that athlete alone. An update left for a moment (its keys were held:
        by another process, or by this one's sender delivering a follow-up to its chat) holds
        back its chat's and sender's later updates until it is handled: on SQLite nothing
        else keeps them in order. A stop lets the updates under way finish.
        """
        taken = 0
        tails: dict[str, asyncio.Task[str]] = {}
        running: dict[int, asyncio.Task[str]] = {}
        while stop is None or not stop.is_set():
            rows = await self._db(lambda s: [(r.update_id, r.payload, r.chat_id, r.user_id)
                                             for r in inbox.pending(s, limit=BATCH)])
            now = asyncio.get_running_loop().time()
            held_back: set[str] = set()  # keys of an older update left for a moment
            for update_id, payload, chat_id, user_id in rows:
                if update_id in running:
                    continue
                keys = _keys_of(payload, chat_id, user_id)
                if self._elsewhere.get(update_id, 0.0) > now or held_back.intersection(keys):
                    held_back.update(keys)  # its chat's later updates wait for it
                    continue
                before = [tails[k] for k in keys if k in tails and not tails[k].done()]
                task = asyncio.create_task(self._in_turn(before, update_id, payload, keys))
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
                       payload: str | None, keys: tuple[str, ...]) -> str:
        """Wait for the same chat's and person's earlier updates, then handle this one while
        holding its keys (`storage.locks`): another bot process holding them is handling
        that chat now, and this one leaves the update to it for `ELSEWHERE_PAUSE`."""
        if before:
            await asyncio.wait(before)
            if any(_left(task) for task in before):  # not before it: left with it
                return self._leave(update_id)
        outcome: list[str] = []

        async def handle() -> None:
            keeper = self.sender.keys
            try:
                held = await asyncio.to_thread(keeper.try_hold, keys)
            except SQLAlchemyError as exc:  # the database is away: a later round tries
                log.warning("update %s waits: keys not taken (%s)", update_id,
                            type(exc).__name__)
                held = False
            if not held:
                outcome.append(self._leave(update_id))
                return
            try:
                outcome.append(await self.process(update_id, payload))
            finally:
                await asyncio.to_thread(keeper.release, keys)

        await self.application.update_processor.process_update(update_id, handle())
        return outcome[0] if outcome else inbox.FAILED

    def _leave(self, update_id: int) -> str:
        """Not this process's update now: skip it in the next rounds for a moment."""
        self._elsewhere[update_id] = asyncio.get_running_loop().time() + ELSEWHERE_PAUSE
        if len(self._elsewhere) > 10 * BATCH:  # forget the old marks of handled updates
            now = asyncio.get_running_loop().time()
            self._elsewhere = {k: t for k, t in self._elsewhere.items() if t > now}
        self.stats.elsewhere += 1
        return ELSEWHERE

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
        in_order = self.sender.keys.shared
        while True:
            attempts = await self._db(
                lambda s: inbox.begin_attempt(s, update_id, after_earlier=in_order))
            if attempts == 0:  # handled by another process, or its chat has an earlier one
                return self._leave(update_id)
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

def _keys_of(payload: str | None, chat_id: int | None, user_id: int | None
             ) -> tuple[str, ...]:
    """The update's lock keys, from the inbox's columns (or, for a row stored without them,
    from its payload)."""
    if chat_id is None and user_id is None and payload:
        try:
            chat_id, user_id = chat_and_sender(json.loads(payload))
        except (ValueError, RecursionError):
            return ()
    return ordering_keys(chat_id, user_id)


def _recorder(update_id: int, error: str) -> Callable[[Any], None]:
    return lambda s: inbox.record_error(s, update_id, error)


def _settle_unhandled(session: Any, update_id: int) -> None:
    """An update no handler settled (an ignored kind, a redelivery) is done, with no reply."""
    if inbox.status_of(session, update_id) == inbox.RECEIVED:
        inbox.settle(session, update_id)


__all__ = ["MAX_ATTEMPTS", "UpdatePipeline", "describe"]
