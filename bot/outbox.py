"""Replies as outbox rows, and the sender that delivers them to Telegram.

The dialogue's replies are written to the outbox (`storage.outbox`) in the transaction that
handled their update; this module turns a `Reply` into a row and back, and sends rows in the
order they were committed, marking each one right after Telegram answers. A teacher's
broadcast is rows too: one ``copy`` per student (planned just before it is sent) and one
``report`` that goes to the teacher once every copy has an outcome, so a crash mid-broadcast
resumes where it stopped, and no student gets a copy twice or none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import Application

from bot import broadcast, digests, i18n, reminders
from bot.dialogue import Dialogue
from bot.dialogue.account import REMINDER_META
from bot.dialogue.broadcasts import BROADCAST_META, REPORT_META, render_copy
from bot.dialogue.digest import DIGEST_META
from bot.replies import DELETE_META, Reply, from_body, to_body
from storage import groups, outbox, people
from storage.db import Database
from storage.locks import Keys
from storage.outbox import COPY, REPLY, REPORT, Outgoing

log = logging.getLogger(__name__)

SEND_ATTEMPTS = 3


# ---- a reply as a row and back --------------------------------------------------------------


encode = to_body
"""A reply as an outbox row's body (`bot.replies.to_body`; services write rows with it too)."""
decode = from_body
"""The reply an outbox row holds."""


def drafts(replies: Sequence[Reply], chat_id: int) -> list[Outgoing]:
    """Outbox rows for an update's replies (``chat_id``: the chat the update came from)."""
    rows: list[Outgoing] = []
    reports: list[Outgoing] = []
    for reply in replies:
        target = reply.chat_id or chat_id
        if BROADCAST_META in reply.meta:
            rows.append(Outgoing(target, encode(reply), COPY, int(reply.meta[BROADCAST_META])))
            continue
        report = reply.meta.get(REPORT_META)
        rows.append(Outgoing(target, encode(reply), REPLY,
                             int(report) if report is not None else None))
        if report is not None:
            reports.append(Outgoing(chat_id, {}, REPORT, int(report)))
    return rows + reports


# ---- sending ----------------------------------------------------------------------------------


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline keyboard for a reply's buttons."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
         for row in reply.buttons]
    )


async def send_reply(bot: Bot, target: int, reply: Reply) -> None:
    """One message: a picture with its caption, a file, or text with buttons."""
    if reply.image is not None:
        await bot.send_photo(target, photo=reply.image, caption=reply.text[:1024],
                             reply_markup=markup(reply))
    elif reply.document is not None:
        name, data = reply.document
        await bot.send_document(target, document=data, filename=name, caption=reply.text[:1024])
    else:
        await bot.send_message(target, reply.text or "…", reply_markup=markup(reply))


Row = tuple[int, int, dict[str, Any], int | None]  # id, chat, body, broadcast


class OutboxSender:
    """Delivers outbox rows through one application's bot (rate-limited by PTB).

    Each chat's rows have one sender at a time, across bot processes: the process holding the
    chat's key (`storage.locks`). An update's replies are sent by its handling, which holds
    the key from before it commits them until they are out; any other row (a background job's
    follow-up, a reply whose sender died or could not reach Telegram) is sent by whichever
    process takes the key first, after reading again what is still pending.
    """

    SWEEP_EVERY = 10  # rounds of `loose_forever` between two sweeps of orphaned rows

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any],
                 dialogue: Dialogue) -> None:
        self.application = application
        self.dialogue = dialogue
        self.database: Database = dialogue.database
        self.keys = Keys(self.database)
        self._broadcasts: dict[int, asyncio.Task[None]] = {}

    async def _db(self, work: Any) -> Any:
        return await asyncio.to_thread(self.database.run, work)

    async def _pending(self, update_id: int | None = None, chat_id: int | None = None
                       ) -> list[Row]:
        """Pending reply rows (of one update, one chat, or all), in committed order."""
        return await self._db(lambda s: [
            (r.id, r.chat_id, dict(r.body), r.broadcast_id)
            for r in outbox.unsent(s, update_id=update_id, chat_id=chat_id)])

    async def send_update(self, update_id: int) -> int:
        """Send the update's pending replies in order; start its broadcast, if any.

        The caller is the update's handling, which holds the update's chat.
        """
        return await self._send_rows(await self._pending(update_id), held=True)

    async def resume(self) -> int:
        """After a start: delete settled rows older than a week (their bodies are gone),
        then `sweep`."""
        pruned = await self._db(outbox.prune)
        if pruned:
            log.info("outbox: %d settled row(s) older than a week deleted", pruned)
        sent = await self.sweep()
        if sent:
            log.info("outbox: %d reply(ies) left from before the restart sent", sent)
        return sent

    async def sweep(self) -> int:
        """Send every pending reply whose chat no process holds now, and resume every open
        broadcast no process is sending: what a killed process, or a Telegram outage, left."""
        sent = await self._send_rows(await self._pending(), held=False)
        for broadcast_id in await self._db(outbox.broadcasts_open):
            await self._start_broadcast(broadcast_id)
        return sent

    async def send_loose(self) -> int:
        """Send the replies no update caused (background jobs' follow-ups), oldest first."""
        rows = await self._db(lambda s: [(r.id, r.chat_id, dict(r.body), r.broadcast_id)
                                         for r in outbox.loose(s)])
        return await self._send_rows(rows, held=False) if rows else 0

    async def loose_forever(self, stop: asyncio.Event, every: float = 1.0) -> None:
        """`send_loose` until ``stop``, and a `sweep` every `SWEEP_EVERY` rounds: a worker in
        another process writes, this sends.

        Polling the table keeps the workers free of Telegram (the bot processes send, within
        one rate limit); a second of delay on a follow-up costs nothing the athlete would
        notice.
        """
        rounds = 0
        while not stop.is_set():
            rounds += 1
            try:
                await (self.sweep() if rounds % self.SWEEP_EVERY == 0 else self.send_loose())
            except Exception as exc:  # a database outage: the next round tries again
                log.warning("follow-ups not sent yet: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)

    async def _send_rows(self, rows: list[Row], *, held: bool) -> int:
        """Send ``rows`` chat by chat in committed order; ``held``: the caller holds their
        chat, else each chat is taken here (and skipped when another holder has it)."""
        by_chat: dict[int, list[Row]] = {}
        for row in rows:
            by_chat.setdefault(row[1], []).append(row)
        sent = 0
        for chat_id, chat_rows in by_chat.items():
            if held:
                sent += await self._send_chat(chat_rows)
                continue
            key = (f"chat:{chat_id}",)
            if not await asyncio.to_thread(self.keys.try_hold, key):
                continue  # its holder sends them, or a later round does
            try:  # read again: the last holder may have sent them before letting go
                wanted = {row[0] for row in chat_rows}
                fresh = [r for r in await self._pending(chat_id=chat_id) if r[0] in wanted]
                sent += await self._send_chat(fresh)
            finally:
                await asyncio.to_thread(self.keys.release, key)
        return sent

    async def _send_chat(self, rows: list[Row]) -> int:
        sent = 0
        for row_id, chat_id, body, broadcast_id in rows:
            status = await self._deliver(row_id, chat_id, decode(body))
            sent += status == outbox.SENT
            if broadcast_id is not None:
                await self._start_broadcast(broadcast_id)
        return sent

    async def _deliver(self, row_id: int, chat_id: int, reply: Reply) -> str:
        """Send one row; mark its outcome. A network fault leaves it pending for later."""
        status, error = outbox.SENT, None
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await send_reply(self.application.bot, chat_id, reply)
                break
            except Forbidden:
                status, error = outbox.BLOCKED, "Forbidden"
                break
            except BadRequest as exc:
                status, error = outbox.FAILED, type(exc).__name__
                break
            except NetworkError as exc:  # includes TimedOut; RetryAfter is the limiter's
                if attempt == SEND_ATTEMPTS:
                    log.warning("reply not sent yet (%s); kept for later", type(exc).__name__)
                    return outbox.PENDING
                await asyncio.sleep(0.5 * attempt)
            except TelegramError as exc:
                status, error = outbox.FAILED, type(exc).__name__
                break
        await self._delete_asked(chat_id, reply)
        spec = reply.meta.get(REMINDER_META)
        if spec is not None and self.application.job_queue is not None:
            # before the mark: once the outbox is empty, the job queue is up to date
            reminders.schedule(self.application.job_queue, chat_id, spec)
        digest = reply.meta.get(DIGEST_META)
        if digest is not None and self.application.job_queue is not None:
            digests.schedule(self.application.job_queue, chat_id, digest)
        # ahead of the queue for SQLite's writer: until this commits, a crash sends it again
        await asyncio.to_thread(self.database.run,
                                lambda s: outbox.mark(s, row_id, status, error), urgent=True)
        if status != outbox.SENT:
            log.info("reply not delivered: %s", error)
        return status

    async def _delete_asked(self, chat_id: int, reply: Reply) -> None:
        """Delete the athlete's message a reply names (one that held an API key).

        Best effort: a message older than 48 hours, or already deleted, cannot be, and the
        reply says the key is stored either way; the failure is logged without the message.
        """
        message_id = reply.meta.get(DELETE_META)
        if message_id is None or not message_id.isdigit():
            return
        try:
            await self.application.bot.delete_message(chat_id, int(message_id))
        except TelegramError as exc:
            log.warning("message not deleted (%s)", type(exc).__name__)

    # ---- broadcasts -------------------------------------------------------------------------

    async def _start_broadcast(self, broadcast_id: int) -> None:
        """Send a broadcast's copies in a task of its own, unless a process (this one or
        another) is sending them already."""
        task = self._broadcasts.get(broadcast_id)
        if task is not None and not task.done():
            return
        key = (f"broadcast:{broadcast_id}",)
        if not await asyncio.to_thread(self.keys.try_hold, key):
            return
        self._broadcasts[broadcast_id] = self.application.create_task(
            self._hold_broadcast(broadcast_id, key), name=f"broadcast:{broadcast_id}")

    async def _hold_broadcast(self, broadcast_id: int, key: tuple[str]) -> None:
        try:
            await self._deliver_broadcast(broadcast_id)
        finally:
            await asyncio.to_thread(self.keys.release, key)

    async def _deliver_broadcast(self, broadcast_id: int) -> None:
        """Each student's copy (planned now), then the teacher's delivery report."""
        copies = await self._db(lambda s: [(r.id, r.chat_id, dict(r.body)) for r in outbox.unsent(
            s, kind=COPY, broadcast_id=broadcast_id, limit=100_000)])
        for row_id, chat_id, body in copies:
            async def send(reply: Reply, chat: int = chat_id) -> None:
                reply = await asyncio.to_thread(render_copy, self.dialogue, reply)
                await send_reply(self.application.bot, chat, reply)

            status, error = await broadcast.send_one(send, decode(body))
            await asyncio.to_thread(self.database.run, lambda s, i=row_id, st=status, e=error:
                                    outbox.mark(s, i, st, e), urgent=True)
        reports = await self._db(lambda s: [(r.id, r.chat_id) for r in outbox.unsent(
            s, kind=REPORT, broadcast_id=broadcast_id)])
        if not reports:
            return
        outcomes = await self._db(lambda s: outbox.outcomes(s, broadcast_id))
        await self._db(lambda s: groups.record_deliveries(s, broadcast_id, outcomes))
        for row_id, chat_id in reports:
            chosen = await self._db(lambda s, c=chat_id: _language_of(s, c))
            with i18n.language(chosen):  # the teacher's report, in the teacher's language
                summary = broadcast.DeliveryReport(outcomes=outcomes).summary()
            await self._deliver(row_id, chat_id, Reply(summary))

    async def wait_broadcasts(self) -> None:
        """Wait for the broadcasts under way (tests, and a graceful stop)."""
        tasks = [t for t in self._broadcasts.values() if not t.done()]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


def _language_of(session: Session, chat_id: int) -> str | None:
    """The language of the person whose private chat this is (None: a group, or unknown)."""
    person = people.get_by_telegram_id(session, chat_id)
    return person.language if person is not None else None
