"""A webhook receiver that writes each update to the database inbox before answering 200.

python-telegram-bot's built-in webhook server answers 200 as soon as the update is queued in
memory; a crash right after would lose it, because Telegram does not resend an update it got
a 200 for. Here the update is committed to the inbox first (`storage.inbox`), then queued; on
start, every update still marked "received" is replayed. A wrong or missing secret token gets
403 and stores nothing; a replayed request for an update already handled changes nothing.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application

from storage import inbox
from storage.db import Database

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_BODY = 1024 * 1024


class InboxWebhookHandler(tornado.web.RequestHandler):
    """POST /telegram: check the secret, commit to the inbox, answer, then enqueue."""

    def initialize(
        self, bot_app: Application[Any, Any, Any, Any, Any, Any], database: Database,
        secret: str,
    ) -> None:
        self.bot_app = bot_app
        self.database = database
        self.secret = secret

    async def post(self) -> None:
        """Receive one update."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook request with a wrong or missing secret token refused")
            self.set_status(403)
            return
        body = self.request.body
        if len(body) > MAX_BODY:
            self.set_status(413)
            return
        try:
            data = json.loads(body)
            update_id = int(data["update_id"])
        except (ValueError, KeyError, TypeError):
            self.set_status(400)
            return
        text = body.decode("utf-8", errors="replace")
        must_handle = await asyncio.to_thread(
            self.database.run, lambda s: inbox.record_update(s, update_id, text)
        )
        self.set_status(200)
        await self.finish()
        if must_handle:
            update = Update.de_json(data, self.bot_app.bot)
            await self.bot_app.update_queue.put(update)


async def replay_pending(
    application: Application[Any, Any, Any, Any, Any, Any], database: Database
) -> int:
    """Queue every update received but never handled (after a crash); returns how many."""
    rows = await asyncio.to_thread(
        database.run, lambda s: [(r.update_id, r.payload) for r in inbox.pending(s, limit=10_000)]
    )
    count = 0
    for update_id, payload in rows:
        if not payload:
            continue
        try:
            update = Update.de_json(json.loads(payload), application.bot)
        except (ValueError, TypeError):
            log.error("inbox update %s cannot be decoded; marked failed", update_id)
            await asyncio.to_thread(database.run, lambda s, u=update_id: inbox.mark(s, u, "failed"))
            continue
        await application.update_queue.put(update)
        count += 1
    if count:
        log.info("replaying %d update(s) received before a restart", count)
    return count


def make_webhook_app(
    application: Application[Any, Any, Any, Any, Any, Any], database: Database, secret: str,
    path: str = "/telegram",
) -> tornado.web.Application:
    """The tornado application serving the webhook path."""
    if not secret:
        raise ValueError("a webhook needs a secret token (WEBHOOK_SECRET)")
    return tornado.web.Application(
        [(path, InboxWebhookHandler, {"bot_app": application, "database": database,
                                      "secret": secret})]
    )


async def serve_webhook(
    application: Application[Any, Any, Any, Any, Any, Any], database: Database, *,
    listen: str, port: int, webhook_url: str, secret: str, stop: asyncio.Event,
) -> None:
    """Run the bot on the inbox webhook until ``stop`` is set."""
    server = make_webhook_app(application, database, secret).listen(
        port, address=listen, max_body_size=MAX_BODY
    )
    async with application:
        await application.bot.set_webhook(
            webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        # run_polling/run_webhook call post_init; this receiver must too (reminders, command
        # menu, and the replay of updates received before a crash all live there).
        if application.post_init is not None:
            await application.post_init(application)
        else:
            await replay_pending(application, database)
        await application.start()
        try:
            await stop.wait()
        finally:
            server.stop()
            await application.stop()
