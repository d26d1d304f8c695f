"""Is this an Update? The checks every raw update passes before it is stored or handled.

Why here and not in python-telegram-bot: `Update.de_json` trusts its input (it is built for
Telegram's own output), so ``{"update_id": 5001, "message": "notadict"}`` or a 100k-deep list
fails somewhere inside a handler, or in the JSON decoder's recursion. A webhook answers such
a body with 400 instead of storing it; polling quarantines it under its id. Bounds: the id
must be a non-negative integer that fits a signed 64-bit column (Telegram's ids are far
below), nesting at most `MAX_DEPTH` levels (Telegram's deepest objects are about a dozen:
a reply to a message carrying a keyboard), every known update field an object.
"""

from __future__ import annotations

import json
from typing import Any

from telegram import Update

MAX_DEPTH = 64
MAX_UPDATE_ID = 2**63 - 1
UPDATE_FIELDS = frozenset(Update.ALL_TYPES)


class InvalidUpdate(ValueError):
    """The body is not a Telegram update (the message says what is wrong, never the value)."""


def _depth_within(value: Any, limit: int) -> bool:
    """True when ``value`` nests at most ``limit`` containers deep (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list))
    return True


def update_id_of(data: Any) -> int:
    """The update's id, checked: an int (not a bool) in ``0..2**63-1``."""
    if not isinstance(data, dict):
        raise InvalidUpdate("an update is a JSON object")
    update_id = data.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int):
        raise InvalidUpdate("update_id must be an integer")
    if not 0 <= update_id <= MAX_UPDATE_ID:
        raise InvalidUpdate("update_id is out of range")
    return update_id


def _int_id(value: Any) -> int | None:
    if isinstance(value, dict):
        found = value.get("id")
        if isinstance(found, int) and not isinstance(found, bool) and -MAX_UPDATE_ID <= found \
                <= MAX_UPDATE_ID:
            return found
    return None


def chat_and_sender(data: Any) -> tuple[int | None, int | None]:
    """The update's chat id and sender id, read from the raw JSON (either may be None).

    What an update must stay in order with: its chat, and its sender across chats. A button
    press names its chat through the message it sits under. Read before the update is an
    Update, so a payload that will be quarantined costs nothing and orders against nothing.
    """
    chat_id: int | None = None
    user_id: int | None = None
    if not isinstance(data, dict):
        return None, None
    for value in data.values():
        if not isinstance(value, dict):
            continue
        chat = value.get("chat")
        if chat is None and isinstance(value.get("message"), dict):  # a button press
            chat = value["message"].get("chat")
        chat_id = chat_id if chat_id is not None else _int_id(chat)
        user_id = user_id if user_id is not None else _int_id(value.get("from"))
    return chat_id, user_id


def check_shape(data: Any) -> int:
    """Raise `InvalidUpdate` unless ``data`` is shaped like an Update; returns its id."""
    update_id = update_id_of(data)
    if not _depth_within(data, MAX_DEPTH):
        raise InvalidUpdate(f"nested deeper than {MAX_DEPTH} levels")
    for name in UPDATE_FIELDS.intersection(data):
        if not isinstance(data[name], dict):
            raise InvalidUpdate(f"{name} must be an object")
    return update_id


def decode(raw: str | bytes) -> dict[str, Any]:
    """Parse and check a raw update body; `InvalidUpdate` for anything else."""
    try:
        data = json.loads(raw)
    except RecursionError as exc:
        raise InvalidUpdate(f"nested deeper than {MAX_DEPTH} levels") from exc
    except (ValueError, TypeError) as exc:
        raise InvalidUpdate("not JSON") from exc
    check_shape(data)
    return data


def to_update(data: dict[str, Any], bot: Any) -> Update:
    """python-telegram-bot's Update for checked data; `InvalidUpdate` when it cannot build one.

    `Update.de_json` may still fail on a field of the wrong type deep inside (a message whose
    ``chat`` is a string); that is the same refusal, not a crash.
    """
    try:
        update = Update.de_json(data, bot)
    except Exception as exc:  # de_json raises whatever the bad field provokes
        raise InvalidUpdate(f"not an Update ({type(exc).__name__})") from exc
    if update is None:
        raise InvalidUpdate("not an Update")
    return update
