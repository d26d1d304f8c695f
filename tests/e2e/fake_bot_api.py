"""A fake Telegram Bot API server on 127.0.0.1 (tornado), for real python-telegram-bot polling.

Implements what the bot uses: getMe, getUpdates (long poll), sendMessage, sendPhoto,
sendDocument, getFile + file download, getChatMember, answerCallbackQuery, setMyCommands,
setWebhook, deleteWebhook, deleteMessage (recorded in ``deleted``). Records every call (the
answered callback ids and the command menu too); can make a chat "block the bot" (403) or
answer one 429 with retry_after, so the rate limiter's retries are exercised for real.
Updates can come from a private or a group chat, as new or edited messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

BOT = {"id": 1000, "is_bot": True, "first_name": "coachloop", "username": "coachloop_bot",
       "can_join_groups": True, "can_read_all_group_messages": False,
       "supports_inline_queries": False}
ADMIN_RIGHTS = {k: True for k in (
    "can_be_edited", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
    "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
    "can_post_stories", "can_edit_stories", "can_delete_stories")}


@dataclass
class Sent:
    method: str
    chat_id: int
    text: str
    params: dict[str, Any]
    data: bytes | None = None
    at: float = field(default_factory=time.monotonic)


class FakeBotApi:
    """State of the fake server and helpers to build updates."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.sent: list[Sent] = []
        self.calls: list[str] = []
        self.members: dict[tuple[int, int], str] = {}
        self.blocked: set[int] = set()
        self.throttle_once: set[int] = set()
        self.files: dict[str, bytes] = {}
        self.answered: list[str] = []  # callback_query_id of each answerCallbackQuery
        self.deleted: list[tuple[int, int]] = []  # (chat_id, message_id) of each deleteMessage
        self.commands: list[dict[str, Any]] = []  # the private chats' setMyCommands menu
        self.language_menus: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (scope, lang)
        self.languages: dict[int, str] = {}  # user id -> the language_code updates carry
        self.menus: dict[str, list[dict[str, Any]]] = {}  # every menu, by scope type
        self.confirmed = 0  # like Telegram: a getUpdates offset confirms (forgets) older ones
        # set by the test's bot fixture: waits until the bot finished an update (inbox done,
        # outbox empty), so a test never asserts on what a half-handled update did
        self.handled: Callable[[int], Awaitable[None]] | None = None
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._new = asyncio.Event()
        self.port = 0
        self._server: HTTPServer | None = None

    # ---- server ----------------------------------------------------------------------------

    async def start(self) -> str:
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        app = Application([
            (r"/bot[^/]+/(\w+)", _Method, {"api": self}),
            (r"/file/bot[^/]+/(.+)", _File, {"api": self}),
        ])
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    # ---- building updates ----------------------------------------------------------------

    def user(self, user_id: int, name: str) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": name,
                                "username": name.lower()}
        if user_id in self.languages:  # what the user's Telegram app is set to
            user["language_code"] = self.languages[user_id]
        return user

    def push(self, body: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **body})
        self._new.set()
        return update_id

    def push_raw(self, element: Any) -> None:
        """Queue any JSON value as an element of getUpdates' result (a poison update)."""
        self.updates.append(element)
        self._new.set()

    @staticmethod
    def chat(user_id: int, name: str, chat_id: int | None = None) -> dict[str, Any]:
        """The user's private chat, or the group ``chat_id``."""
        if chat_id:
            return {"id": chat_id, "type": "supergroup", "title": "Team chat"}
        return {"id": user_id, "type": "private", "first_name": name}

    def say(self, user_id: int, name: str, text: str, *, chat_id: int | None = None,
            sender_chat: dict[str, Any] | None = None) -> int:
        chat = self.chat(user_id, name, chat_id)
        message: dict[str, Any] = {"message_id": next(self._message_ids),
                                   "from": self.user(user_id, name), "chat": chat,
                                   "date": int(time.time()), "text": text}
        if sender_chat is not None:
            message["sender_chat"] = sender_chat
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        return self.push({"message": message})

    def edit(self, update_id: int, text: str) -> int:
        """The message of update ``update_id`` edited to ``text`` (an ``edited_message``)."""
        original = next(u["message"] for u in self.updates
                        if isinstance(u, dict) and u.get("update_id") == update_id)
        edited = {**original, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        return self.push({"edited_message": edited})

    def press(self, user_id: int, name: str, data: str, *, chat_id: int | None = None) -> int:
        """A button press on a bot message in the private chat (or in the group ``chat_id``)."""
        chat = self.chat(user_id, name, chat_id)
        return self.push({"callback_query": {
            "id": str(next(self._message_ids)), "from": self.user(user_id, name),
            "chat_instance": "ci", "data": data,
            "message": {"message_id": 1, "date": int(time.time()), "chat": chat, "from": BOT,
                        "text": "question"}}})

    def document(self, user_id: int, name: str, file_name: str, data: bytes, *,
                 chat_id: int | None = None) -> int:
        file_id = f"f{len(self.files)}"
        self.files[file_id] = data
        chat = self.chat(user_id, name, chat_id)
        return self.push({"message": {
            "message_id": next(self._message_ids), "from": self.user(user_id, name),
            "chat": chat, "date": int(time.time()),
            "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name,
                         "file_size": len(data)}}})

    # ---- looking at what the bot did ------------------------------------------------------

    def to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    async def wait_for(self, predicate: Any, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not answer as expected in time")
            await asyncio.sleep(0.02)

    async def reply_to(self, chat_id: int, before: int, count: int = 1,
                       timeout: float = 20.0, update_id: int | None = None) -> list[Sent]:
        """Wait until ``count`` new messages went to ``chat_id`` after ``before`` had (and,
        given ``update_id`` and a bot that reports it, until that update is finished)."""
        await self.wait_for(lambda: len(self.to(chat_id)) >= before + count, timeout)
        if update_id is not None and self.handled is not None:
            await self.handled(update_id)
        return self.to(chat_id)[before:]

    # ---- answering methods -----------------------------------------------------------------

    async def answer(self, method: str, params: dict[str, Any],
                     files: dict[str, bytes]) -> tuple[int, dict[str, Any]]:
        self.calls.append(method)
        if method == "getMe":
            return 200, {"ok": True, "result": BOT}
        if method == "getUpdates":
            return 200, {"ok": True, "result": await self._get_updates(params)}
        if method == "answerCallbackQuery":
            self.answered.append(str(params["callback_query_id"]))
            return 200, {"ok": True, "result": True}
        if method == "setMyCommands":
            scope = params.get("scope") or {"type": "default"}
            kind = scope.get("type", "default") if isinstance(scope, dict) else "default"
            if params.get("language_code"):  # a menu for the users of one language
                self.language_menus[(kind, str(params["language_code"]))] = list(
                    params.get("commands") or [])
                return 200, {"ok": True, "result": True}
            self.menus[kind] = list(params.get("commands") or [])
            if kind in ("default", "all_private_chats"):
                self.commands = self.menus[kind]
            return 200, {"ok": True, "result": True}
        if method == "deleteMessage":
            self.deleted.append((int(params["chat_id"]), int(params["message_id"])))
            return 200, {"ok": True, "result": True}
        if method in ("setWebhook", "deleteWebhook"):
            return 200, {"ok": True, "result": True}
        if method == "getChatMember":
            key = (int(params["chat_id"]), int(params["user_id"]))
            status = self.members.get(key, "member")
            member: dict[str, Any] = {"status": status, "user": self.user(key[1], "u")}
            if status == "administrator":
                member.update(ADMIN_RIGHTS, is_anonymous=False)
            if status == "creator":
                member["is_anonymous"] = False
            return 200, {"ok": True, "result": member}
        if method == "getFile":
            file_id = str(params["file_id"])
            return 200, {"ok": True, "result": {"file_id": file_id, "file_unique_id": file_id,
                                                "file_size": len(self.files[file_id]),
                                                "file_path": file_id}}
        if method in ("sendMessage", "sendPhoto", "sendDocument"):
            chat_id = int(params["chat_id"])
            if chat_id in self.blocked:
                return 403, {"ok": False, "error_code": 403,
                             "description": "Forbidden: bot was blocked by the user"}
            if chat_id in self.throttle_once:
                self.throttle_once.discard(chat_id)
                return 429, {"ok": False, "error_code": 429, "description": "Too Many Requests",
                             "parameters": {"retry_after": 1}}
            data = next(iter(files.values()), None)
            text = str(params.get("text") or params.get("caption") or "")
            self.sent.append(Sent(method, chat_id, text, params, data))
            return 200, {"ok": True, "result": {
                "message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"}, "from": BOT, "text": text}}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = max(int(params.get("offset") or 0), self.confirmed)
        self.confirmed = offset
        timeout = min(float(params.get("timeout") or 0), 1.0)
        pending = self._from(offset)
        if not pending and timeout > 0:
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), timeout)
            except TimeoutError:
                return []
            pending = self._from(offset)
        return pending[:100]

    def _from(self, offset: int) -> list[Any]:
        """Updates not yet confirmed, in order; an element without a usable id (a raw
        poison element) is returned until an offset past the update queued after it."""
        out: list[Any] = []
        last = 0
        for u in self.updates:
            uid = u.get("update_id") if isinstance(u, dict) else None
            if isinstance(uid, int) and not isinstance(uid, bool):
                last = uid
                if uid >= offset:
                    out.append(u)
            elif last + 1 >= offset:
                out.append(u)
        return out


class _Method(RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    async def post(self, method: str) -> None:
        params: dict[str, Any] = {}
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            params = json.loads(self.request.body)
        else:
            for key, values in self.request.arguments.items():
                params[key] = values[-1].decode()
        files = {k: v[0]["body"] for k, v in self.request.files.items()}
        for key, value in list(params.items()):
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        status, body = await self.api.answer(method, params, files)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    get = post


class _File(RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    def get(self, path: str) -> None:
        self.finish(self.api.files.get(path, b""))


