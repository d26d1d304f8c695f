"""A recording stand-in for the Bot API's HTTP transport, and real-shaped Update JSON.

python-telegram-bot lets an Application use any `BaseRequest`; this one answers like the Bot
API and records every call, so the real Application, handlers and rate limiter run offline.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 1000, "is_bot": True, "first_name": "coachloop", "username": "coachloop_bot"}


class RecordingRequest(BaseRequest):
    """Answers Bot API methods with plausible results and remembers what was asked."""

    def __init__(self, files: dict[str, bytes] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.files = files or {}
        self._ids = itertools.count(500)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    def sent(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call of ``method`` so far."""
        return [params for name, params in self.calls if name == method]

    def texts(self) -> list[str]:
        """Every text sent with sendMessage, in order."""
        return [str(p.get("text")) for p in self.sent("sendMessage")]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            return 200, self.files.get(url.rsplit("/", 1)[-1], b"")
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        self.calls.append((endpoint, params))
        return 200, json.dumps({"ok": True, "result": self._result(endpoint, params)}).encode()

    def _result(self, endpoint: str, params: dict[str, Any]) -> Any:
        if endpoint == "getMe":
            return BOT_USER
        if endpoint in ("sendMessage", "sendPhoto", "sendDocument"):
            return {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        if endpoint == "getFile":
            file_id = str(params["file_id"])
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": 10,
                    "file_path": file_id}
        return True


class Updates:
    """Builds Update JSON as Telegram sends it, with increasing update ids."""

    def __init__(self, user_id: int = 4242, first_name: str = "Ana", start_id: int = 1) -> None:
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name,
                     "username": first_name.lower() + "_runs", "language_code": "en"}
        self.chat = {"id": user_id, "type": "private", "first_name": first_name}
        self._ids = itertools.count(start_id)
        self._messages = itertools.count(1)

    def message(self, text: str, *, update_id: int | None = None) -> dict[str, Any]:
        """A private text message (commands carry a bot_command entity, as Telegram sends)."""
        message: dict[str, Any] = {
            "message_id": next(self._messages),
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": update_id or next(self._ids), "message": message}

    def press(self, data: str) -> dict[str, Any]:
        """A button press on one of the bot's messages."""
        return {
            "update_id": next(self._ids),
            "callback_query": {
                "id": str(next(self._messages)),
                "from": self.user,
                "chat_instance": "ci",
                "data": data,
                "message": {"message_id": 1, "date": int(time.time()), "chat": self.chat,
                            "from": BOT_USER, "text": "question"},
            },
        }
