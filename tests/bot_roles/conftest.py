"""A dialogue with every feature, on the `database` fixture (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from bot.dialogue import Dialogue
from bot.dialogue.features import default_features, handle_with_alerts
from bot.replies import Incoming, Reply
from nlu import NluEngine
from storage.db import Database

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def nlu_engine() -> NluEngine:
    return NluEngine.create(backend="vader")


@pytest.fixture
def full_dialogue(database: Database, nlu_engine: NluEngine) -> Dialogue:
    return Dialogue(database, nlu_engine, timezone="UTC", features=default_features())


class User:
    """One person talking to the dialogue, in private or in a group chat."""

    counter = 1000

    def __init__(self, dialogue: Dialogue, user_id: int, name: str) -> None:
        self.handle: Callable[[Incoming], list[Reply]] = handle_with_alerts(dialogue)
        self.user_id = user_id
        self.name = name

    def send(self, text: str | None = None, *, button: str | None = None,
             chat: int | None = None, admin: bool | None = None,
             at: dt.datetime = NOW) -> list[Reply]:
        User.counter += 1
        inc = Incoming(
            user_id=self.user_id, chat_id=chat if chat is not None else self.user_id,
            display_name=self.name, username=self.name.lower(), received_at=at,
            chat_type="group" if chat is not None else "private", text=text,
            callback=button, update_id=User.counter, sender_is_admin=admin,
        )
        return self.handle(inc)

    def onboard(self, sex: str = "F") -> None:
        self.send("/start")
        self.send(button="consent:yes")
        self.send(button=f"sex:{sex}")
        self.send("2006")
        self.send("running")

    def texts(self, replies: list[Reply]) -> str:
        return "\n".join(r.text for r in replies)


def code_of(replies: list[Reply]) -> str:
    text = replies[0].text
    return text.split("Invite code: ")[1].split()[0]
