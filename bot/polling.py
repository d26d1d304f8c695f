"""Polling: getUpdates called by us, each batch committed to the inbox before it is confirmed.

python-telegram-bot's Updater confirms a batch to Telegram when it asks for the next one,
before the batch was handled; here the next offset, which confirms a batch, is asked for only
once the batch is in the inbox (`storage.inbox`). A kill at any point leaves every update
either unconfirmed at Telegram (fetched again) or committed here (handled after the restart).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import warnings
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.warnings import PTBUserWarning

from bot.update_shape import InvalidUpdate, chat_and_sender, check_shape, update_id_of
from storage import inbox

if TYPE_CHECKING:  # the pipeline runs this loop; this module needs its type only
    from bot.pipeline import UpdatePipeline

log = logging.getLogger(__name__)

POLL_TIMEOUT = 25  # seconds of long polling per getUpdates
BATCH = 100
# We call getUpdates ourselves on purpose (see the module docstring); PTB suggests its method.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'",
                        category=PTBUserWarning)


async def fetch_forever(pipeline: UpdatePipeline, stop: asyncio.Event) -> None:
    """Long-poll getUpdates; commit each batch before the offset that confirms it."""
    bot = pipeline.application.bot
    with contextlib.suppress(TelegramError):
        await bot.delete_webhook(drop_pending_updates=False)
    offset: int | None = None  # Telegram resends everything it was not told we have
    backoff = 1.0
    while not stop.is_set():
        try:
            raw = await bot.do_api_request(
                "getUpdates",
                api_kwargs={"offset": offset, "timeout": pipeline.poll_timeout,
                            "limit": BATCH, "allowed_updates": list(Update.ALL_TYPES)},
                read_timeout=pipeline.poll_timeout + 10,
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
            highest = await store_batch(pipeline, raw)
        except SQLAlchemyError as exc:  # not stored: keep the offset, Telegram resends
            log.error("fetched batch not stored (%s); fetching it again in %.0f s",
                      type(exc).__name__, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 30.0)
            continue
        if highest is not None:
            offset = highest + 1

async def store_batch(pipeline: UpdatePipeline, raw: list[Any]) -> int | None:
    """Commit a fetched batch to the inbox; returns the highest update id in it.

    An element that is not an Update but has a usable id is stored already quarantined
    (an operator sees it with ``coachloop inbox list``); one without a usable id cannot
    be stored under any key and is counted and logged.
    """
    good: list[tuple[int, str]] = []
    bad: list[tuple[int, str]] = []
    keys: dict[int, inbox.Keys] = {}
    highest: int | None = None
    for item in raw:
        try:
            update_id = update_id_of(item)
        except InvalidUpdate:
            pipeline.stats.unaddressable += 1
            log.error("getUpdates returned an element without a usable update_id; skipped")
            continue
        highest = update_id if highest is None else max(highest, update_id)
        text = json.dumps(item, separators=(",", ":"))
        keys[update_id] = chat_and_sender(item)
        try:
            check_shape(item)
            good.append((update_id, text))
        except InvalidUpdate as exc:
            bad.append((update_id, str(exc)))
            good.append((update_id, text))
    if good:
        def work(s: Any) -> list[int]:
            new = inbox.record_batch(s, good, keys)
            for update_id, reason in bad:
                if update_id in new:
                    inbox.quarantine(s, update_id, f"InvalidUpdate: {reason}")
            return new

        new = await asyncio.to_thread(pipeline.database.run, work)
        pipeline.stats.fetched += len(new)
        pipeline.stats.quarantined += sum(1 for uid, _ in bad if uid in new)
        if new:
            pipeline.wake.set()
    return highest
