"""`coachloop chat --as athlete` connects every provider: the terminal adapter (`run_chat`)
driven line by line, as a person types, with the job thread `coachloop chat` starts, against
the providers' fakes. The terminal has no message to delete and says nothing about one."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from bot.dialogue import Dialogue
from bot.dialogue.features import default_features, persona_handler, terminal_persona
from bot.jobrunner import LocalJobs
from bot.jobs import JobContext
from bot.sync import SyncConfig
from bot.terminal import follow_ups, run_chat, wait_for_jobs
from nlu import NluEngine
from storage import connections, people
from storage.activities import list_activities
from storage.db import Database
from tests.sync.fake_intervals import FakeIntervals
from tests.sync.fake_oura import FakeOura
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava
from tests.wearables.fit_writer import write_fit

Line = str | Callable[[], str]


class Typing(io.StringIO):
    """stdin of a person at the keyboard: each line is typed when the chat asks for it, so a
    line may depend on what the chat printed so far (the Strava link)."""

    def __init__(self, lines: list[Line]) -> None:
        super().__init__()
        self.lines = list(lines)

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if not self.lines:
            return ""
        line = self.lines.pop(0)
        return (line() if callable(line) else line) + "\n"

    def isatty(self) -> bool:
        return False


@pytest.fixture
def providers(fake_intervals: FakeIntervals) -> Iterator[tuple[SyncConfig, FakeStrava, FakeOura]]:
    """Every provider's fake, and the settings' URLs pointing at them (as *_API_URL do)."""
    with serving(FakeStrava()) as strava, serving(FakeOura()) as ring:
        yield SyncConfig(
            intervals_url=fake_intervals.base_url,
            strava_api_url=f"{strava.base_url}/api/v3",
            strava_oauth_url=f"{strava.base_url}/oauth",
            strava_client_id=CLIENT_ID,
            strava_client_secret=CLIENT_SECRET,
            oura_url=ring.base_url,
            timeout_s=5,
            max_wait_s=1.5,
        ), strava, ring


def _redirect_of(out: io.StringIO, strava: FakeStrava) -> Callable[[], str]:
    """The athlete opens the link the chat printed, allows access and copies the address
    Strava sends the browser to."""

    def typed() -> str:
        link = next(w for w in reversed(out.getvalue().split()) if w.startswith(
            f"{strava.base_url}/oauth/authorize?"))
        answer = httpx.get(link, follow_redirects=False, timeout=5)
        return str(answer.headers["location"])

    return typed


def test_the_athlete_persona_connects_intervals_strava_and_oura_in_the_terminal(
    sqlite_db: Database, nlu_engine: NluEngine, fake_intervals: FakeIntervals,
    providers: tuple[SyncConfig, FakeStrava, FakeOura],
) -> None:
    config, strava, ring = providers
    yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).replace(
        hour=7, minute=0, second=0, microsecond=0)
    fake_intervals.add_activity("i31", yesterday, minutes=40,
                                fit=write_fit(yesterday, [140 + i % 9 for i in range(2400)]))
    strava.add_activity(3101, yesterday - dt.timedelta(days=2), minutes=50)
    strava.add_streams(3101, [135 + i % 11 for i in range(3000)])
    ring.add_night(yesterday.date(), hours=7.5, hrv=66, lowest=46)
    dialogue = Dialogue(sqlite_db, nlu_engine, features=default_features(config))
    user_id, _, _, _ = terminal_persona("athlete")
    jobs = LocalJobs(sqlite_db, JobContext(planning=dialogue.planning, sync=config), poll=0.1)
    dialogue.on_commit = jobs.wake
    out = io.StringIO()

    def settled(line: str) -> Callable[[], str]:
        def typed() -> str:
            wait_for_jobs(sqlite_db)
            return line
        return typed

    script: list[Line] = [
        "/start", "1", "F", "1995", "running",
        "/connect intervals", "not a key",  # the right form back, nothing stored
        f"{fake_intervals.athlete_id} {fake_intervals.api_key}",
        "/connect strava", _redirect_of(out, strava),
        "/connect oura", ring.token,
        settled("/sync"),
    ]
    jobs.start()
    try:
        # what `coachloop chat --as athlete` runs (bot/cli.py), minus the settings file
        run_chat(persona_handler(dialogue, "athlete"), user_id=user_id, name="Ana",
                 stdin=Typing(script), stdout=out,
                 later=follow_ups(sqlite_db, user_id), settle=lambda: wait_for_jobs(sqlite_db))
    finally:
        jobs.stop()
    text = out.getvalue()
    assert "I couldn't read that (send your athlete id and API key in one message" in text
    assert "Connected to intervals.icu (athlete i4242). The key is kept encrypted." in text
    assert "Thanks: I'm finishing the Strava connection" in text
    assert "Connected to Oura. The token is kept encrypted." in text
    assert "deleted your message" not in text and "delete_message" not in text
    for line in ("intervals.icu: 1 new session(s).", "Strava: 1 new session(s).",
                 "Oura: 0 new session(s), 1 day(s) of sleep/HRV/resting HR."):
        assert f"coachloop> {line}" in text
    assert "- intervals.icu (i4242): last import " in text
    assert f"- Strava ({strava.athlete_id}): last import " in text
    assert "- Oura: last import " in text
    assert (f"Latest day ({yesterday:%a %d %b}, from Oura): sleep 7.5 h, HRV 66 ms, "
            "resting HR 46 bpm.") in text
    with sqlite_db.session() as s:
        person = people.get_by_telegram_id(s, user_id)
        assert person is not None
        mine = list_activities(s, person.id, include_strava=True, include_days=True)
        assert sorted((a.source, a.file_type) for a in mine) == [
            ("intervals", "fit"), ("oura", "api"), ("strava", "streams")]
        stored: dict[str, Any] = {
            p: (connections.get(s, person.id, p) or pytest.fail(p)).status
            for p in ("intervals", "strava", "oura")}
    assert stored == {"intervals": "active", "strava": "active", "oura": "active"}
