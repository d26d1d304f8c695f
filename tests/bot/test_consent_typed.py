"""The consent question answered in words, as terminal users and old clients do.

Typing "yes" (or "sí", "ja", "да", "同意") is the same as pressing "I agree"; "no" is "No,
thanks"; anything else gets the question again and stores nothing. A deep link's question
joins the team on a typed yes exactly as its button does.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.replies import Incoming, Reply
from nlu import NluEngine
from storage import groups, people
from storage.db import Database
from storage.schema import Base, CheckIn, Person

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)


class Chat:
    """One user typing, with the language their Telegram app reports (None: not said)."""

    def __init__(self, dialogue: Dialogue, user_id: int = 7, lang: str | None = None) -> None:
        self.dialogue, self.user_id, self.lang, self.update_id = dialogue, user_id, lang, 100

    def send(self, text: str | None = None, *, button: str | None = None) -> list[Reply]:
        self.update_id += 1
        return self.dialogue.handle(Incoming(
            user_id=self.user_id, chat_id=self.user_id, display_name="Ana", received_at=NOW,
            text=text, callback=button, update_id=self.update_id, language_code=self.lang))


def _person(dialogue: Dialogue, user_id: int = 7) -> Person | None:
    with dialogue.database.session() as s:
        person = people.get_by_telegram_id(s, user_id)
        if person is not None:
            s.expunge(person)
        return person


@pytest.mark.parametrize("word", ["yes", "Yes!", "I agree", "ok"])
def test_a_typed_yes_is_consent_and_the_profile_follows(dialogue: Dialogue, word: str) -> None:
    chat = Chat(dialogue)
    chat.send("/start")
    replies = chat.send(word)
    assert replies[0].text == "Thank you! Consent recorded."
    assert "Sex" in replies[1].text
    person = _person(dialogue)
    assert person is not None and person.consent_at is not None
    assert "Year of birth" in chat.send("F")[0].text


@pytest.mark.parametrize(("word", "lang", "thanks"), [
    ("sí", "es", "¡Gracias! Consentimiento registrado."),
    ("ja", "de", "Danke! Einwilligung gespeichert."),
    ("да", "ru", None),
    ("同意", "zh", None),
])
def test_a_yes_in_another_language_sets_that_language(dialogue: Dialogue, word: str, lang: str,
                                                       thanks: str | None) -> None:
    chat = Chat(dialogue)  # Telegram said nothing of the language
    chat.send("/start")
    replies = chat.send(word)
    person = _person(dialogue)
    assert person is not None and person.consent_at is not None and person.language == lang
    if thanks is not None:
        assert replies[0].text == thanks
    assert replies[0].text != "Thank you! Consent recorded."  # answered in their language


def test_the_language_telegram_reports_wins_over_the_word(dialogue: Dialogue) -> None:
    chat = Chat(dialogue, lang="en")
    chat.send("/start")
    assert chat.send("si")[0].text == "Thank you! Consent recorded."
    person = _person(dialogue)
    assert person is not None and person.language == "en"


def test_a_typed_no_stores_nothing_and_ends_the_question(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.send("/start")
    assert chat.send("RPE 7, 60 min, legs heavy")[0].text.startswith("Please answer")
    assert chat.send("nein")[0].text.startswith("OK, I stored nothing") is False  # in German
    with dialogue.database.session() as s:
        for table in Base.metadata.sorted_tables:
            if table.name in ("alembic_version", "processed_update"):
                continue
            assert s.execute(select(table)).all() == [], table.name
    # the question is over: a later "yes" is not consent
    chat.send("yes")
    assert _person(dialogue) is None


def test_anything_else_asks_again_with_the_buttons(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.send("/start")
    again = chat.send("what do you store?")[0]
    assert "type yes or no" in again.text
    assert [b.data for b in again.buttons[0]] == ["consent:yes", "consent:no"]
    assert _person(dialogue) is None
    assert chat.send("yes")[0].text == "Thank you! Consent recorded."


def test_a_typed_yes_to_a_deep_link_joins_the_team(sqlite_db: Database,
                                                    nlu_engine: NluEngine) -> None:
    dialogue = Dialogue(sqlite_db, nlu_engine, features=default_features(), timezone="UTC")
    with dialogue.database.session() as s:
        coach = people.get_or_create_person(s, 900, "Coach")
        people.give_consent(s, coach, {})
        code = groups.create_group(s, coach, "team", "Tigers").invite_code
    chat = Chat(dialogue)
    question = chat.send(f"/start {code}")[0]
    assert question.buttons[0][0].data == f"consentjoin:{code}"
    said = [r.text for r in chat.send("yes")]
    assert said[0] == "Thank you! Consent recorded."
    assert any("Tigers" in t for t in said)
    with dialogue.database.session() as s:
        person = people.get_by_telegram_id(s, 7)
        assert person is not None
        assert [g.title for g in groups.groups_of(s, person.id)] == ["Tigers"]
        assert s.scalars(select(CheckIn)).all() == []
