"""Telegram adapter (python-telegram-bot v22): translate updates, call the dialogue, send.

Wiring only: every decision is made by `bot.dialogue`. An update id is recorded in the
database inbox before any handler runs (a handler group of its own), so an update delivered
twice is handled once; replies are sent only after the dialogue's transaction committed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
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

from bot import reminders
from bot.broadcast import deliver
from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.account import REMINDER_META
from bot.dialogue.features import handle_with_alerts
from bot.dialogue.groups import BROADCAST_META, REPORT_META, SENDER_IS_ADMIN, render_copy
from bot.replies import Incoming, Reply, Upload
from bot.uploads import format_size
from storage import groups, inbox

log = logging.getLogger(__name__)

INBOX_GROUP = -10
DIALOGUE_GROUP = 0
DONE_GROUP = 10
GROUP_ANONYMOUS_BOT = ChatID.ANONYMOUS_ADMIN  # the user Telegram shows for anonymous admins
ADMIN_COMMANDS = {"team", "class"}
ANONYMOUS_REFUSAL = (
    "You are posting as the group (anonymous admin), so I cannot tell who you are. "
    "Turn off 'Remain anonymous' in your admin rights, or send the command from your own "
    "account."
)


COMMAND_MENU = (
    ("checkin", "report today's session"),
    ("today", "today's session"),
    ("why", "why it looks like this"),
    ("week", "the next seven days"),
    ("history", "load and wellness charts"),
    ("done", "tick off today's exercises"),
    ("test", "enter fitness tests"),
    ("reminders", "daily check-in reminder"),
    ("schedule", "your week: sessions, minutes, days"),
    ("privacy", "what your team may see"),
    ("status", "coaches: the roster"),
    ("broadcast", "teachers: send the class plan"),
    ("help", "everything I can do"),
)


def to_incoming(update: Update, *, upload: Upload | None = None) -> Incoming | None:
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
    if update.callback_query is None and message is not None:
        text = message.text
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
    )


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline keyboard for a reply's buttons."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


async def _send_one(context: ContextTypes.DEFAULT_TYPE, target: int, reply: Reply) -> None:
    if reply.image is not None:
        await context.bot.send_photo(
            target, photo=reply.image, caption=reply.text[:1024], reply_markup=markup(reply)
        )
    elif reply.document is not None:
        name, data = reply.document
        await context.bot.send_document(
            target, document=data, filename=name, caption=reply.text[:1024]
        )
    else:
        await context.bot.send_message(target, reply.text, reply_markup=markup(reply))


async def send_replies(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    replies: Sequence[Reply],
    *,
    user_id: int | None = None,
    dialogue: Dialogue | None = None,
) -> None:
    """Send each reply to its chat (the asking chat unless the reply names another).

    A broadcast's copies are handed to a background task (`deliver_broadcast`) so the bot keeps
    answering others while the rate limiter paces them; a reminder change updates the job queue.
    """
    copies = [r for r in replies if BROADCAST_META in r.meta]
    for reply in replies:
        if BROADCAST_META in reply.meta:
            continue
        target = reply.chat_id or chat_id
        try:
            await _send_one(context, target, reply)
        except TelegramError as exc:
            if target == chat_id:
                raise
            log.info("private copy not delivered: %s", type(exc).__name__)
        spec = reply.meta.get(REMINDER_META)
        if spec is not None and user_id is not None and context.job_queue is not None:
            reminders.schedule(context.job_queue, user_id, spec)
        report_id = reply.meta.get(REPORT_META)
        if report_id is not None and dialogue is not None:
            context.application.create_task(
                deliver_broadcast(context, dialogue, int(report_id), chat_id, copies),
                name=f"broadcast:{report_id}",
            )


async def deliver_broadcast(
    context: ContextTypes.DEFAULT_TYPE,
    dialogue: Dialogue,
    broadcast_id: int,
    teacher_chat: int,
    copies: Sequence[Reply],
) -> None:
    """Send every student's copy, store the outcomes, report back to the teacher."""

    async def send(reply: Reply) -> None:
        reply = await asyncio.to_thread(render_copy, dialogue, reply)
        await _send_one(context, reply.chat_id or teacher_chat, reply)

    report = await deliver(copies, send)
    await asyncio.to_thread(
        dialogue.database.run,
        lambda s: groups.record_deliveries(s, broadcast_id, report.outcomes),
    )
    await context.bot.send_message(teacher_chat, report.summary())


class TelegramAdapter:
    """Handlers bound to one dialogue and one database."""

    def __init__(self, dialogue: Dialogue, settings: Settings) -> None:
        self.dialogue = dialogue
        self.settings = settings
        self.handle = handle_with_alerts(dialogue)

    async def _handle(self, context: ContextTypes.DEFAULT_TYPE, inc: Incoming,
                      admin: bool | None = None) -> None:
        """Run the dialogue in a worker thread (with the admin answer), then send."""
        token = SENDER_IS_ADMIN.set(admin)
        try:
            replies = await asyncio.to_thread(self.handle, inc)
        finally:
            SENDER_IS_ADMIN.reset(token)
        await send_replies(context, inc.chat_id, replies, user_id=inc.user_id,
                           dialogue=self.dialogue)

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
            await context.bot.send_message(inc.chat_id, ANONYMOUS_REFUSAL)
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
        """Record the update id; stop here when it was seen before (a redelivery)."""
        database = self.dialogue.database
        is_new = await asyncio.to_thread(
            database.run, lambda s: inbox.record_update(s, update.update_id, update.to_json())
        )
        if not is_new:
            log.info("update %s already handled; skipped", update.update_id)
            raise ApplicationHandlerStop

    async def done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Mark the update handled."""
        database = self.dialogue.database
        await asyncio.to_thread(database.run, lambda s: inbox.mark(s, update.update_id, "done"))

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text, commands and button presses: all go to the dialogue."""
        if update.callback_query is not None:
            await update.callback_query.answer()
        inc = to_incoming(update)
        if inc is None:
            return
        refused, admin = await self._admin_check(update, context, inc)
        if refused:
            return
        await self._handle(context, inc, admin)

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A file: size-checked before download, then handed to the dialogue."""
        message = update.effective_message
        if message is None or message.document is None or update.effective_chat is None:
            return
        document = message.document
        limit = self.settings.max_upload_bytes
        if document.file_size is not None and document.file_size > limit:
            await message.reply_text(
                f"That file is {format_size(document.file_size)}; the limit is "
                f"{format_size(limit)}. Export a single activity and send that."
            )
            return
        telegram_file = await document.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
        upload = Upload(document.file_name or "upload", data, document.mime_type)
        inc = to_incoming(update, upload=upload)
        if inc is None:
            return
        await self._handle(context, inc)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure (no token, no message content) and tell the user politely."""
        error = context.error
        log.error("handler error: %s", type(error).__name__, exc_info=error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(
                    update.effective_chat.id, "Sorry, something went wrong. Please try again."
                )
            except Exception:
                log.warning("could not send the error reply")


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
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    database = dialogue.database

    async def post_init(app: Application) -> None:
        count = await reminders.restore(app, database)
        log.info("reminders scheduled: %d", count)
        dialogue.bot_username = app.bot.username
        try:  # the command menu users see; a failure must not stop the bot
            await app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMAND_MENU])
        except TelegramError as exc:
            log.warning("command menu not set: %s", type(exc).__name__)
        # Updates recorded in the inbox but never handled (a crash mid-handling) go first.
        from bot.webhook import replay_pending

        await replay_pending(app, database)

    application = builder.post_init(post_init).build()
    application.bot_data[reminders.DIALOGUE_KEY] = dialogue
    adapter = TelegramAdapter(dialogue, settings)
    application.add_handler(TypeHandler(Update, adapter.gate), group=INBOX_GROUP)
    application.add_handler(CallbackQueryHandler(adapter.on_update), group=DIALOGUE_GROUP)
    # New messages only: an edited "RPE 7, 60 min" must not store a second check-in.
    new_only = filters.UpdateType.MESSAGE
    application.add_handler(
        MessageHandler(new_only & filters.Document.ALL, adapter.on_document),
        group=DIALOGUE_GROUP,
    )
    application.add_handler(
        MessageHandler(new_only & filters.TEXT, adapter.on_update), group=DIALOGUE_GROUP
    )
    application.add_handler(TypeHandler(Update, adapter.done), group=DONE_GROUP)
    application.add_error_handler(adapter.on_error)
    return application


def run_bot(settings: Settings, *, webhook: bool = False) -> None:
    """Start polling (default) or a webhook server checking Telegram's secret token."""
    from bot.wiring import build_dialogue

    dialogue = build_dialogue(settings)
    application = build_application(settings, dialogue)
    if not webhook:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return
    if not settings.webhook_url or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    # Our own receiver (bot.webhook): each update is committed to the inbox before Telegram
    # gets its 200, so a crash between receipt and handling loses nothing.
    import signal

    from bot.webhook import serve_webhook

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve_webhook(
            application,
            dialogue.database,
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            webhook_url=settings.webhook_url or "",
            secret=settings.webhook_secret.get_secret_value() if settings.webhook_secret else "",
            stop=stop,
        )

    asyncio.run(serve())


__all__ = ["ChatType", "build_application", "run_bot", "send_replies", "to_incoming"]
