"""Channel-agnostic messages: what the dialogue receives and what it answers.

Adapters (Telegram, terminal) translate to and from these; the dialogue never sees a
Telegram object, so the same conversation runs in a terminal and in a chat.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: what the user sees and the data sent back when pressed."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Upload:
    """A file the user sent (already downloaded by the adapter, size-checked)."""

    file_name: str
    data: bytes
    mime_type: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a user did: a text or command, a button press, or a file."""

    user_id: int
    chat_id: int
    display_name: str
    received_at: dt.datetime
    username: str | None = None
    chat_type: str = "private"
    text: str | None = None
    callback: str | None = None
    upload: Upload | None = None
    update_id: int | None = None
    source: str = "telegram"
    sender_is_admin: bool | None = None  # checked live by the adapter for group commands
    message_id: int | None = None  # the chat message (an edit names the same one)
    edited: bool = False  # an edit of an earlier message, not a new one
    reply_to_bot: bool = False  # a reply to one of the bot's messages
    language_code: str | None = None  # the language the user's Telegram app is set to

    @property
    def message_ref(self) -> str | None:
        """``"chat_id:message_id"``: what a check-in remembers to find it when edited."""
        return None if self.message_id is None else f"{self.chat_id}:{self.message_id}"

    @property
    def update_ref(self) -> str | None:
        """``"source:update_id"``: what a stored effect remembers of the update that caused
        it, so a replay of that update finds it (a check-in, a job asked for)."""
        return None if self.update_id is None else f"{self.source}:{self.update_id}"

    @property
    def chat_key(self) -> str:
        """Conversation key: one dialogue per user per chat."""
        return f"{self.chat_id}:{self.user_id}"

    @property
    def command(self) -> tuple[str, list[str]] | None:
        """``("checkin", [args])`` for ``/checkin@bot args``; None for plain text."""
        if not self.text or not self.text.startswith("/"):
            return None
        head, *args = self.text.strip().split()
        name = head[1:].split("@", 1)[0].lower()
        return name, args

    def addressed_elsewhere(self, bot_username: str | None) -> bool:
        """True for ``/cmd@other_bot``: a command for another bot in the same group."""
        if not self.text or not self.text.startswith("/"):
            return False
        head = self.text.strip().split()[0]
        _, at, target = head.partition("@")
        if not at or bot_username is None:
            return False
        return target.lower() != bot_username.lower()


#: ``Reply.meta[DELETE_META]`` = a message id of the chat: the adapter deletes that message
#: after sending the reply (a pasted API key must not stay in the chat's history). The
#: terminal has no history to clean and ignores it.
DELETE_META = "delete_message"


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send: text, optional button rows, optional picture or file.

    ``chat_id`` None means "the chat the request came from"; otherwise the message goes to
    that chat (e.g. a coach's private chat, a student's chat during a broadcast).
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    image: bytes | None = None
    document: tuple[str, bytes] | None = None
    chat_id: int | None = None
    meta: dict[str, str] = field(default_factory=dict)


def keyboard(*rows: list[tuple[str, str]]) -> tuple[tuple[Button, ...], ...]:
    """Build button rows from ``(label, data)`` pairs."""
    return tuple(tuple(Button(label, data) for label, data in row) for row in rows)


def to_body(reply: Reply) -> dict[str, Any]:
    """A reply as JSON-ready data (pictures and files base64): an outbox row's body."""
    body: dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        body["buttons"] = [[[b.label, b.data] for b in row] for row in reply.buttons]
    if reply.image is not None:
        body["image"] = base64.b64encode(reply.image).decode()
    if reply.document is not None:
        body["document"] = [reply.document[0], base64.b64encode(reply.document[1]).decode()]
    if reply.chat_id is not None:
        body["chat_id"] = reply.chat_id
    if reply.meta:
        body["meta"] = dict(reply.meta)
    return body


def from_body(body: dict[str, Any]) -> Reply:
    """The reply `to_body` wrote."""
    buttons = tuple(tuple(Button(str(label), str(data)) for label, data in row)
                    for row in body.get("buttons", ()))
    image = base64.b64decode(body["image"]) if "image" in body else None
    document = None
    if "document" in body:
        name, data = body["document"]
        document = (str(name), base64.b64decode(data))
    return Reply(str(body.get("text", "")), buttons=buttons, image=image, document=document,
                 chat_id=body.get("chat_id"), meta=dict(body.get("meta", {})))
