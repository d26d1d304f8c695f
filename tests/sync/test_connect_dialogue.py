"""Connecting providers through the dialogue, against the fakes, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Text, select, type_coerce

from bot import jobs as job_functions
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.jobs import JobContext
from bot.outbox import decode
from bot.replies import DELETE_META, Incoming, Reply
from bot.sync import SyncConfig
from nlu import NluEngine
from storage import connections, crypto, outbox
from storage import jobs as job_rows
from storage.activities import list_activities
from storage.db import Database
from storage.schema import Activity, Connection
from tests.sync.fake_intervals import FakeIntervals
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava
from tests.wearables.fit_writer import write_fit

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
RUN = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)


class Chat:
    """One athlete in their private chat (or a group), with message ids as Telegram's."""

    def __init__(self, dialogue: Dialogue, user_id: int = 7) -> None:
        self.dialogue, self.user_id = dialogue, user_id
        self.update_id = self.message_id = 100

    def send(
        self, text: str | None = None, *, button: str | None = None, group: bool = False
    ) -> list[Reply]:
        self.update_id += 1
        self.message_id += 1
        chat = -500 if group else self.user_id
        return self.dialogue.handle(
            Incoming(
                user_id=self.user_id,
                chat_id=chat,
                display_name="Ana",
                received_at=NOW,
                text=text,
                callback=button,
                update_id=self.update_id,
                message_id=self.message_id,
                chat_type="group" if group else "private",
            )
        )

    def onboard(self) -> None:
        self.send("/start")
        self.send(button="consent:yes")
        self.send(button="sex:F")
        self.send("1995")
        self.send("running")


@pytest.fixture()
def fake_strava() -> Iterator[FakeStrava]:
    with serving(FakeStrava()) as fake:
        yield fake


@pytest.fixture()
def config(fake_intervals: FakeIntervals, fake_strava: FakeStrava) -> SyncConfig:
    return SyncConfig(
        intervals_url=fake_intervals.base_url,
        strava_api_url=f"{fake_strava.base_url}/api/v3",
        strava_oauth_url=f"{fake_strava.base_url}/oauth",
        strava_client_id=CLIENT_ID,
        strava_client_secret=CLIENT_SECRET,
        timeout_s=5,
        max_wait_s=1.5,
    )


@pytest.fixture()
def chat(database: Database, nlu_engine: NluEngine, config: SyncConfig) -> Chat:
    dialogue = Dialogue(database, nlu_engine, features=default_features(config))
    chat = Chat(dialogue)
    chat.onboard()
    return chat


def run_jobs(chat: Chat, config: SyncConfig) -> list[str]:
    """Run every due job as the job runner would; the follow-ups the chat received."""
    database = chat.dialogue.database
    ctx = JobContext(planning=chat.dialogue.planning, sync=config)
    for job in database.run(lambda db: job_rows.due(db)):
        job_functions.run(database, job.key, ctx)

    def take(db: object) -> list[str]:
        rows = outbox.loose(db, chat_id=chat.user_id)  # type: ignore[arg-type]
        texts = [decode(dict(r.body)).text for r in rows]
        for row in rows:
            outbox.mark(db, row.id, outbox.SENT)  # type: ignore[arg-type]
        return texts

    return database.run(take)


def test_connect_intervals_imports_and_the_key_message_is_deleted(
    chat: Chat,
    config: SyncConfig,
    fake_intervals: FakeIntervals,
) -> None:
    fake_intervals.add_activity("i1", RUN, minutes=40, fit=write_fit(RUN, [150] * 2400))
    fake_intervals.wellness = [{"id": "2026-11-20", "restingHR": 47, "hrv": 70}]
    assert "athlete id and API key" in chat.send("/connect intervals")[0].text
    (reply,) = chat.send(f"{fake_intervals.athlete_id} {fake_intervals.api_key}")
    assert "Connected to intervals.icu" in reply.text
    assert reply.meta[DELETE_META] == str(chat.message_id)
    (follow_up,) = run_jobs(chat, config)
    assert follow_up.startswith("intervals.icu: 1 new session(s)") and "1 day(s)" in follow_up
    database = chat.dialogue.database
    with database.session() as s:
        (activity,) = list_activities(s, 1)
        assert (activity.source, activity.external_id, activity.file_type) == (
            "intervals",
            "i1",
            "fit",
        )
    status = chat.send("/sync")[0].text
    assert f"intervals.icu ({fake_intervals.athlete_id}): last import" in status
    assert "working" in status
    assert "intervals.icu: 0 new session(s), 1 imported before" in run_jobs(chat, config)[0]
    assert "deleted" in chat.send("/disconnect intervals")[0].text
    with database.session() as s:
        assert s.scalars(select(Connection)).all() == []
        assert len(s.scalars(select(Activity)).all()) == 2  # the session and the day stay
    assert "no intervals.icu connection" in chat.send("/disconnect intervals")[0].text


def test_the_key_is_stored_encrypted_when_a_key_is_configured(
    chat: Chat,
    fake_intervals: FakeIntervals,
) -> None:
    crypto.configure(crypto.new_key())
    try:
        chat.send("/connect intervals")
        chat.send(f"{fake_intervals.athlete_id} {fake_intervals.api_key}")
        with chat.dialogue.database.session() as s:
            raw = s.scalar(select(type_coerce(Connection.credentials, Text)))
            assert raw is not None and fake_intervals.api_key not in raw and "enc" in raw
            row = connections.get(s, 1, "intervals")
            assert row is not None and row.credentials == {"api_key": fake_intervals.api_key}
    finally:
        crypto.configure(None)


def test_bad_input_is_answered_with_the_form_and_changes_nothing(
    chat: Chat,
    fake_intervals: FakeIntervals,
) -> None:
    chat.send("/connect intervals")
    (reply,) = chat.send("my key is hunter2")
    assert "e.g. i12345 3x4mpl3k3y" in reply.text and DELETE_META in reply.meta
    assert (
        "Connected" in chat.send(f"{fake_intervals.athlete_id} {fake_intervals.api_key}")[0].text
    )  # still waiting for it after the mistake
    assert "/connect intervals" in chat.send("/connect garmin")[0].text
    assert "/disconnect NAME" in chat.send("/disconnect")[0].text
    assert "/disconnect NAME" in chat.send("/disconnect fitbit")[0].text
    assert "no Strava connection" in chat.send("/disconnect strava")[0].text
    with chat.dialogue.database.session() as s:
        assert [c.provider for c in s.scalars(select(Connection))] == ["intervals"]


def test_connecting_is_refused_in_a_group_chat(chat: Chat) -> None:
    (reply,) = chat.send("/connect intervals", group=True)
    assert "private" in reply.text.lower()
    with chat.dialogue.database.session() as s:
        assert s.scalars(select(Connection)).all() == []


def _pasted_redirect(reply: Reply, fake: FakeStrava) -> str:
    url = next(word for word in reply.text.split() if word.startswith("http"))
    query = parse_qs(urlsplit(url).query)
    assert query["scope"] == ["activity:read_all"] and query["client_id"] == [CLIENT_ID]
    assert urlsplit(url).path == "/oauth/authorize"
    return (
        f"http://localhost/exchange_token?state={query['state'][0]}"
        f"&code={fake.new_code()}&scope=read,activity:read_all"
    )


def test_connect_strava_by_pasting_the_code_then_refresh_and_revoke(
    chat: Chat,
    config: SyncConfig,
    fake_strava: FakeStrava,
) -> None:
    fake_strava.add_activity(9001, RUN, minutes=60)
    (ask,) = chat.send("/connect strava")
    assert "shown to you only" in ask.text
    (reply,) = chat.send(_pasted_redirect(ask, fake_strava))
    assert "finishing the Strava connection" in reply.text and DELETE_META in reply.meta
    assert run_jobs(chat, config)[0].startswith("Strava: 1 new session(s)")
    database = chat.dialogue.database
    with database.session() as s:
        row = connections.get(s, 1, "strava")
        assert row is not None and row.status == "active"
        assert row.external_athlete_id == str(fake_strava.athlete_id)
        first_token = row.credentials["access_token"]
        assert list_activities(s, 1) == []  # the rule: not even the command line sees it
        (mine,) = list_activities(s, 1, include_strava=True)
        assert (mine.source, mine.external_id) == ("strava", "9001")
        row.credentials = {**row.credentials, "expires_at": int(NOW.timestamp())}  # expiring
    fake_strava.add_activity(9002, RUN + dt.timedelta(days=1), minutes=30)
    chat.send("/sync")
    assert "Strava: 1 new session(s), 1 imported before" in run_jobs(chat, config)[0]
    with database.session() as s:
        row = connections.get(s, 1, "strava")
        assert row is not None and row.credentials["access_token"] != first_token  # refreshed
        current = row.credentials["access_token"]
    assert "being withdrawn" in chat.send("/disconnect strava")[0].text
    assert "Strava withdrew coachloop's access" in run_jobs(chat, config)[0]
    assert fake_strava.deauthorized == [current]
    with database.session() as s:
        assert connections.get(s, 1, "strava") is None


def test_a_pasted_address_of_another_connect_or_a_refusal_is_not_used(
    chat: Chat,
    config: SyncConfig,
    fake_strava: FakeStrava,
) -> None:
    chat.send("/connect strava")
    other = f"http://localhost/exchange_token?state=1.forged&code={fake_strava.new_code()}"
    assert "another /connect strava" in chat.send(other)[0].text
    assert (
        "not allowed"
        in chat.send("http://localhost/exchange_token?state=x&error=access_denied&code=")[0].text
    )
    assert "40 letters" in chat.send("abc")[0].text
    with chat.dialogue.database.session() as s:
        row = connections.get(s, 1, "strava")
        assert row is not None and "code" not in row.credentials and row.status == "pending"
    assert run_jobs(chat, config) == []


def test_in_webhook_mode_the_chat_does_not_wait_for_a_code(
    database: Database,
    nlu_engine: NluEngine,
    config: SyncConfig,
) -> None:
    webhook = dataclasses.replace(config, strava_redirect_url="https://bot.example/strava/callback")
    chat = Chat(Dialogue(database, nlu_engine, features=default_features(webhook)))
    chat.onboard()
    (ask,) = chat.send("/connect strava")
    assert "paste" not in ask.text and "redirect_uri=https%3A%2F%2Fbot.example" in ask.text
    (reply,) = chat.send("RPE 6, 45 min, easy run")  # a check-in, not a code
    assert reply.text.startswith("Saved") and DELETE_META not in reply.meta


def _connected_to_strava(chat: Chat, fake: FakeStrava) -> str:
    """A working Strava connection for the chat's athlete; its access token."""
    tokens = fake._tokens(athlete=True)
    with chat.dialogue.database.session() as s:
        connections.save(
            s, 1, "strava",
            {k: tokens[k] for k in ("access_token", "refresh_token", "expires_at")},
            external_athlete_id=str(fake.athlete_id),
        )
    return str(tokens["access_token"])


def _forget(chat: Chat) -> Reply:
    (question,) = chat.send("/forget")
    erase = question.buttons[0][0].data
    assert erase.startswith("forget:yes:")
    (done,) = chat.send(button=erase)
    return done


def _nothing_left(database: Database) -> None:
    with database.session() as s:
        assert s.scalars(select(Connection)).all() == []


def test_forget_tells_strava_to_withdraw_access_before_the_tokens_are_erased(
    chat: Chat, fake_strava: FakeStrava
) -> None:
    token = _connected_to_strava(chat, fake_strava)
    done = _forget(chat)
    assert done.text.startswith("Done: everything about you is erased.")
    assert "Strava withdrew coachloop's access; the tokens are deleted" in done.text
    assert fake_strava.deauthorized == [token]
    _nothing_left(chat.dialogue.database)


def test_forget_without_strava_asks_nothing_of_it(chat: Chat, fake_strava: FakeStrava) -> None:
    done = _forget(chat)
    assert "Strava" not in done.text and fake_strava.requests == []


def _unreachable(config: SyncConfig) -> SyncConfig:
    """Strava's OAuth host where nothing listens (port 9, discard: refused at once)."""
    return dataclasses.replace(config, strava_oauth_url="http://127.0.0.1:9/oauth")


def test_forget_erases_the_tokens_when_strava_cannot_be_reached_and_says_so(
    database: Database, nlu_engine: NluEngine, config: SyncConfig, fake_strava: FakeStrava
) -> None:
    dead = _unreachable(config)
    chat = Chat(Dialogue(database, nlu_engine, features=default_features(dead)))
    chat.onboard()
    _connected_to_strava(chat, fake_strava)
    done = _forget(chat)
    assert "Strava could not be told (Strava could not be reached" in done.text
    assert "strava.com/settings/apps" in done.text and "erased" in done.text
    _nothing_left(database)


def test_disconnect_deletes_the_tokens_when_strava_cannot_be_reached_and_says_so(
    database: Database, nlu_engine: NluEngine, config: SyncConfig, fake_strava: FakeStrava
) -> None:
    dead = _unreachable(config)
    chat = Chat(Dialogue(database, nlu_engine, features=default_features(dead)))
    chat.onboard()
    _connected_to_strava(chat, fake_strava)
    assert "being withdrawn" in chat.send("/disconnect strava")[0].text
    (told,) = run_jobs(chat, dead)
    assert "Strava could not be told" in told and "the tokens are deleted" in told
    assert fake_strava.deauthorized == []
    _nothing_left(database)
