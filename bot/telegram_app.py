"""Telegram adapter (python-telegram-bot v22): translate updates, call the dialogue, send.

Wiring only: every decision is made by `bot.dialogue`. Updates reach the handlers from the
database inbox (`bot.pipeline`, polling or webhook alike); a gate in a handler group of its own
skips one handled before, so an update delivered twice is handled once. Replies are written to
the outbox in the transaction that handled the update and sent after it committed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import signal
from typing import Any

from sqlalchemy.orm import Session as DbSession
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.constants import ChatID, ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import digests, i18n, reminders
from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.core import Settle, command_menu
from bot.dialogue.features import alerts_in
from bot.failures import describe
from bot.outbox import OutboxSender, drafts
from bot.pipeline import UpdatePipeline, run_application
from bot.ratelimit import SharedRateLimiter
from bot.replies import Incoming, Reply, Upload
from bot.services.background import ask_periodic_pulls
from bot.sync import SyncConfig
from bot.update_shape import chat_and_sender
from bot.uploads import format_size
from storage import inbox, outbox

log = logging.getLogger(__name__)

INBOX_GROUP = -10
DIALOGUE_GROUP = 0
ADAPTER_KEY = "adapter"  # application.bot_data keys
PIPELINE_KEY = "pipeline"
GROUP_ANONYMOUS_BOT = ChatID.ANONYMOUS_ADMIN  # the user Telegram shows for anonymous admins
ADMIN_COMMANDS = {"team", "class"}
ANONYMOUS_REFUSAL = (
    "You are posting as the group (anonymous admin), so I cannot tell who you are. "
    "Turn off 'Remain anonymous' in your admin rights, or send the command from your own "
    "account."
)


def to_incoming(update: Update, *, upload: Upload | None = None,
                bot_id: int | None = None) -> Incoming | None:
    """The channel-agnostic view of an update (None for updates we do not handle)."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return None
    received = dt.datetime.now(dt.UTC)
    message = update.effective_message
    if message is not None and message.date is not None:
        received = message.date.astimezone(dt.UTC)
    callback = update.callback_query.data if update.callback_query is not None else None
    text = None
    message_id = None
    reply_to_bot = False
    if update.callback_query is None and message is not None:
        text = message.text
        message_id = message.message_id
        replied = message.reply_to_message
        author = replied.from_user if replied is not None else None
        reply_to_bot = author is not None and author.is_bot and (
            bot_id is None or author.id == bot_id)
    return Incoming(
        user_id=user.id,
        chat_id=chat.id,
        display_name=user.full_name or user.username or str(user.id),
        username=user.username,
        chat_type=str(chat.type),
        text=text,
        callback=callback,
        upload=upload,
        update_id=update.update_id,
        received_at=received,
        source="telegram",
        message_id=message_id,
        edited=update.edited_message is not None,
        reply_to_bot=reply_to_bot,
        language_code=user.language_code,
    )


class TelegramAdapter:
    """Handlers bound to one dialogue and one database, settling through the inbox.

    Each handler computes its replies in the transaction that applies the update's effects
    and marks the update done (`settle`); the replies go to the outbox there and are sent
    by `OutboxSender` after the commit. An exception is recorded for the pipeline (which
    retries, then quarantines) instead of being answered on the spot.
    """

    def __init__(self, dialogue: Dialogue, settings: Settings,
                 application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.dialogue = dialogue
        self.settings = settings
        self.sender = OutboxSender(application, dialogue)
        self.failures: dict[int, BaseException] = {}

    def _settler(self, update_id: int, inc: Incoming) -> Settle:
        def settle(db: DbSession, replies: list[Reply]) -> list[Reply]:
            replies = replies + alerts_in(db, self.dialogue, inc)
            outbox.add(db, update_id, drafts(replies, inc.chat_id))
            inbox.settle(db, update_id)
            return replies

        return settle

    async def _settle_only(self, update_id: int, chat_id: int, replies: list[Reply]) -> None:
        """Answer without the dialogue (a refusal before download, an anonymous admin)."""
        def work(db: DbSession) -> None:
            outbox.add(db, update_id, drafts(replies, chat_id))
            inbox.settle(db, update_id)

        await asyncio.to_thread(self.dialogue.database.run, work)
        await self.sender.send_update(update_id)

    async def _handle(self, update: Update, inc: Incoming) -> None:
        """Run the dialogue in a worker thread, settled with the update; then send."""
        settle = self._settler(update.update_id, inc)
        await asyncio.to_thread(self.dialogue.handle, inc, settle=settle)
        await self.sender.send_update(update.update_id)

    async def _admin_check(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                           inc: Incoming) -> tuple[bool, bool | None]:
        """(refused, admin): anonymous admins are refused; /team link is checked LIVE."""
        if inc.chat_type not in (ChatType.GROUP, ChatType.SUPERGROUP):
            return False, None
        message = update.effective_message
        anonymous = inc.user_id == GROUP_ANONYMOUS_BOT or (
            message is not None and message.sender_chat is not None
        )
        command = inc.command
        if anonymous and (command is not None or inc.callback is not None):
            await self._settle_only(update.update_id, inc.chat_id, [Reply(ANONYMOUS_REFUSAL)])
            return True, None
        if command is None or command[0] not in ADMIN_COMMANDS:
            return False, None
        try:  # never cached: rights change, and a stale "admin" would let anyone link
            member = await context.bot.get_chat_member(inc.chat_id, inc.user_id)
        except TelegramError as exc:
            log.warning("admin check failed: %s", type(exc).__name__)
            return False, False
        return False, member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)

    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stop here for an update already handled or given up (a redelivery).

        The pipeline hands over only pending updates; an update fed to the application
        directly (tests) is recorded here first.
        """
        database = self.dialogue.database
        update_id = update.update_id

        def check(s: DbSession) -> bool:
            status = inbox.status_of(s, update_id)
            if status is None:
                return inbox.record_update(s, update_id, update.to_json(),
                                           chat_and_sender(update.to_dict()))
            return status == inbox.RECEIVED

        if not await asyncio.to_thread(database.run, check):
            log.info("update %s already handled; skipped", update_id)
            raise ApplicationHandlerStop

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text, commands, edits and button presses: all go to the dialogue."""
        if update.callback_query is not None:
            try:  # stops the button's spinner; a replay finds the query expired, harmlessly
                await update.callback_query.answer()
            except TelegramError as exc:
                log.info("callback not answered: %s", type(exc).__name__)
        inc = to_incoming(update, bot_id=context.bot.id)
        if inc is None:
            return
        if inc.addressed_elsewhere(context.bot.username):
            return  # /today@other_bot in a group: that bot's business
        refused, admin = await self._admin_check(update, context, inc)
        if refused:
            return
        await self._handle(update, dataclasses.replace(inc, sender_is_admin=admin))

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A file: refused before download in a group or without consent; size-checked."""
        message = update.effective_message
        inc = to_incoming(update, bot_id=context.bot.id)
        if message is None or message.document is None or inc is None:
            return
        refusal = await asyncio.to_thread(self.dialogue.upload_refusal, inc)
        if refusal is not None:
            await self._settle_only(update.update_id, inc.chat_id, refusal)
            return
        document = message.document
        limit = self.settings.max_upload_bytes
        if document.file_size is not None and document.file_size > limit:
            await self._settle_only(update.update_id, inc.chat_id, [Reply(
                f"That file is {format_size(document.file_size)}; the limit is "
                f"{format_size(limit)}. Export a single activity and send that.")])
            return
        telegram_file = await document.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
        upload = Upload(document.file_name or "upload", data, document.mime_type)
        await self._handle(update, dataclasses.replace(inc, upload=upload))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Record the failure for the pipeline (class and place, no content) and stop here."""
        error = context.error
        if error is None:
            return
        log.error("handler error: %s", describe(error))
        log.debug("handler error traceback", exc_info=error)
        if isinstance(update, Update):
            self.failures[update.update_id] = error
        raise ApplicationHandlerStop


async def periodic_pulls(dialogue: Dialogue, every_minutes: int) -> None:
    """Ask for this period's wearable pulls; the job runner imports them."""
    now = dt.datetime.now(dt.UTC)
    asked = await asyncio.to_thread(
        dialogue.database.run, lambda db: ask_periodic_pulls(db, now, every_minutes))
    if asked and dialogue.on_commit is not None:
        dialogue.on_commit()


def build_application(
    settings: Settings,
    dialogue: Dialogue,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> Application:
    """The python-telegram-bot Application with our handlers (no network until started)."""
    if settings.telegram_token is None:
        raise ValueError("TELEGRAM_TOKEN is not set")
    builder: ApplicationBuilder = ApplicationBuilder().token(
        settings.telegram_token.get_secret_value()
    )
    if settings.telegram_api_url:
        base = settings.telegram_api_url.rstrip("/").removesuffix("/bot")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        if settings.telegram_local_mode:
            builder = builder.local_mode(True)
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if rate_limit and settings.redis_url:  # several processes of one bot share one budget
        bot_id = settings.telegram_token.get_secret_value().partition(":")[0]
        builder = builder.rate_limiter(SharedRateLimiter(settings.redis_url, bot_id))
    elif rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    # The bound on updates handled at once; `bot.pipeline` keeps each chat's and each
    # person's updates in order within it.
    builder = builder.concurrent_updates(max(1, settings.concurrent_updates))
    database = dialogue.database

    async def post_init(app: Application) -> None:
        count = await reminders.restore(app, database)
        log.info("reminders scheduled: %d", count)
        log.info("digests scheduled: %d", await digests.restore(app, database))
        if app.job_queue is not None:  # what other bot processes store, read every minute
            app.job_queue.run_repeating(reminders.resync, interval=reminders.RESYNC_EVERY,
                                        first=reminders.RESYNC_EVERY, name="reminders:resync")
            app.job_queue.run_repeating(digests.resync, interval=reminders.RESYNC_EVERY,
                                        first=reminders.RESYNC_EVERY, name="digests:resync")
            every = max(settings.sync_every_minutes, 1) * 60  # wearable sync: the pull

            async def pull(_: object) -> None:
                await periodic_pulls(dialogue, every // 60)

            app.job_queue.run_repeating(pull, interval=every, first=every, name="sync:pull")
        dialogue.bot_username = app.bot.username
        try:  # the command menus users see, from the features' declarations, per language
            for scope, group in ((BotCommandScopeAllPrivateChats(), False),
                                 (BotCommandScopeAllGroupChats(), True)):
                for lang in i18n.LANGUAGES:  # English is the menu of every other language
                    with i18n.language(lang):
                        menu = command_menu(dialogue.features, group=group)
                    await app.bot.set_my_commands(
                        [BotCommand(c, d) for c, d in menu], scope=scope,
                        language_code=None if lang == i18n.DEFAULT else lang)
        except TelegramError as exc:  # a failure must not stop the bot
            log.warning("command menu not set: %s", type(exc).__name__)

    application = builder.post_init(post_init).build()
    application.bot_data[reminders.DIALOGUE_KEY] = dialogue
    adapter = TelegramAdapter(dialogue, settings, application)
    application.bot_data[ADAPTER_KEY] = adapter
    application.add_handler(TypeHandler(Update, adapter.gate), group=INBOX_GROUP)
    application.add_handler(CallbackQueryHandler(adapter.on_update), group=DIALOGUE_GROUP)
    # An edit is not a new message: the dialogue applies it to the check-in it completed
    # (or says how to correct one); it never stores a second check-in.
    messages = filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, adapter.on_document),
        group=DIALOGUE_GROUP,
    )
    application.add_handler(
        MessageHandler(messages & filters.TEXT, adapter.on_update), group=DIALOGUE_GROUP
    )
    application.add_error_handler(adapter.on_error)
    return application


def pipeline_for(application: Application[Any, Any, Any, Any, Any, Any],
                 **options: Any) -> UpdatePipeline:
    """The durable pipeline of an application built by `build_application`."""
    adapter: TelegramAdapter = application.bot_data[ADAPTER_KEY]
    pipeline = UpdatePipeline(application, adapter.dialogue.database, adapter.sender,
                              adapter.failures, **options)
    application.bot_data[PIPELINE_KEY] = pipeline
    return pipeline


async def serve(application: Application[Any, Any, Any, Any, Any, Any], stop: asyncio.Event,
                *, polling: bool = True, pipeline: UpdatePipeline | None = None) -> None:
    """Run the bot until ``stop``: PTB's application (bot, job queue, rate limiter) started,
    updates through our durable pipeline (polling here, or fed by `bot.webhook`)."""
    await run_application(application, pipeline or pipeline_for(application), stop,
                          polling=polling)


def run_bot(settings: Settings, dialogue: Dialogue, *, webhook: bool = False) -> None:
    """Start polling (default) or a webhook server checking Telegram's secret token.

    Both modes commit every update to the inbox before Telegram is told it arrived
    (`bot.pipeline`), so a crash at any point loses nothing. The dialogue comes from the
    composition root (`bot.wiring`, called by the CLI).
    """
    from bot.webhook import serve_webhook  # tornado is needed in webhook mode only

    if webhook and (not settings.webhook_url or settings.webhook_secret is None):
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    application = build_application(settings, dialogue)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if not webhook:
            await serve(application, stop, polling=True)
            return
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
        await serve_webhook(application, pipeline_for(application),
                            listen=settings.webhook_listen, port=settings.webhook_port,
                            webhook_url=settings.webhook_url or "", secret=secret, stop=stop,
                            sync=SyncConfig.from_settings(settings))

    asyncio.run(main())


__all__ = ["ChatType", "build_application", "pipeline_for", "run_bot", "serve", "to_incoming"]
