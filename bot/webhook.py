"""A webhook receiver that commits each update to the database inbox before answering 200.

python-telegram-bot's built-in webhook server answers 200 as soon as the update is queued in
memory; a crash right after would lose it, because Telegram does not resend an update it got
a 200 for. Here the update is checked (`bot.update_shape`), committed to the inbox
(`storage.inbox`), answered, and the pipeline (`bot.pipeline`) is woken to handle it.

Answers: 403 for a wrong or missing secret token (nothing stored), 413 for a body over
`MAX_BODY` (read no further), 400 for a body that is not an Update (bad JSON, nesting past the
bound, an id out of range, a field of the wrong type), 503 when the database cannot take it
(Telegram retries), 200 otherwise, also for an update already stored (a retry).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

import tornado.web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import Application

from bot.pipeline import UpdatePipeline, run_application
from bot.strava_push import strava_routes
from bot.sync import SyncConfig
from bot.update_shape import InvalidUpdate, chat_and_sender, decode, to_update
from storage import inbox
from storage.db import Database

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_BODY = 1024 * 1024
# tornado's own limit only stops a runaway stream; ours answers 413 long before it
STREAM_LIMIT = 64 * MAX_BODY


@tornado.web.stream_request_body
class InboxWebhookHandler(tornado.web.RequestHandler):
    """POST /telegram: check the secret and the size, check the shape, commit, answer."""

    def initialize(self, pipeline: UpdatePipeline, secret: str) -> None:
        self.pipeline = pipeline
        self.database: Database = pipeline.database
        self.secret = secret
        self._chunks: list[bytes] = []
        self._size = 0
        self._refused = False

    def _refuse(self, status: int) -> None:
        self._refused = True
        self.set_status(status)
        self.finish()

    def prepare(self) -> None:
        """Refuse on the headers alone when they already say no (secret, declared size)."""
        if self.request.method != "POST":
            return
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook request with a wrong or missing secret token refused")
            self._refuse(403)
            return
        declared = self.request.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
            self._refuse(413)

    def data_received(self, chunk: bytes) -> None:
        """Collect the body up to `MAX_BODY`; past it, answer 413 and stop reading."""
        if self._refused:
            return
        self._size += len(chunk)
        if self._size > MAX_BODY:
            self._chunks.clear()
            self._refuse(413)
            return
        self._chunks.append(chunk)

    async def post(self) -> None:
        """Receive one update."""
        if self._refused:
            return
        body = b"".join(self._chunks)
        try:
            data = decode(body)
            to_update(data, self.pipeline.application.bot)
        except InvalidUpdate as exc:
            log.warning("webhook body refused: %s", exc)
            self.set_status(400)
            return
        update_id = int(data["update_id"])
        text = body.decode("utf-8", errors="replace")
        try:
            await asyncio.to_thread(
                self.database.run,
                lambda s: inbox.record_update(s, update_id, text, chat_and_sender(data))
            )
        except SQLAlchemyError as exc:  # not stored: Telegram must retry, so no 200
            log.error("webhook update not stored: %s", type(exc).__name__)
            self.set_status(503)
            return
        self.set_status(200)
        self.pipeline.wake.set()


def make_webhook_app(pipeline: UpdatePipeline, secret: str, path: str = "/telegram",
                     sync: SyncConfig | None = None) -> tornado.web.Application:
    """The tornado application serving the webhook path (and Strava's, when configured)."""
    if not secret:
        raise ValueError("a webhook needs a secret token (WEBHOOK_SECRET)")
    routes: list[Any] = [(path, InboxWebhookHandler, {"pipeline": pipeline, "secret": secret})]
    if sync is not None:
        routes += strava_routes(pipeline.database, sync)
    return tornado.web.Application(routes)


async def serve_webhook(
    application: Application[Any, Any, Any, Any, Any, Any], pipeline: UpdatePipeline, *,
    listen: str, port: int, webhook_url: str, secret: str, stop: asyncio.Event,
    sync: SyncConfig | None = None,
) -> None:
    """Run the bot on the inbox webhook until ``stop`` is set (``pipeline``: the
    application's, from `bot.telegram_app.pipeline_for`)."""
    server = make_webhook_app(pipeline, secret, sync=sync).listen(
        port, address=listen, max_body_size=STREAM_LIMIT
    )

    async def register() -> None:
        await application.bot.set_webhook(
            webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )

    try:
        await run_application(application, pipeline, stop, polling=False,
                              before_start=register)
    finally:
        server.stop()
