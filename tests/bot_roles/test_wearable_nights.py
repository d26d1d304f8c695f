"""A wearable's night in readiness, /status, the digest and /why: a night synced from Oura
counts exactly as the same night uploaded as a day CSV, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator

import pytest

from bot import jobs as job_functions
from bot.dialogue import Dialogue
from bot.digest_text import build_digest
from bot.jobs import JobContext
from bot.outbox import decode
from bot.services import roster
from bot.sync import SyncConfig
from bot.sync.importer import sync_person
from bot.uploads import import_upload
from storage import connections, outbox, people
from storage import jobs as job_rows
from storage.db import Database
from tests.bot_roles.conftest import NOW, User, code_of
from tests.sync.fake_oura import FakeOura
from tests.sync.fake_server import serving

TODAY = NOW.date()
#: (days back, hours asleep, HRV ms, lowest heart rate): an ordinary month, then last night
#: (the night ending this morning) of 4 h with HRV far below the month's.
MONTH = [(n, 7.5, round(60 * math.exp(0.05 if n % 2 else -0.05), 1), 48 + (n % 3))
         for n in range(1, 31)]
SHORT_NIGHT = (0, 4.0, 25.0, 50)


@pytest.fixture()
def fake_oura() -> Iterator[FakeOura]:
    with serving(FakeOura()) as fake:
        yield fake


def _team(dialogue: Dialogue) -> tuple[User, User, User]:
    ben = User(dialogue, 1, "Ben")
    ben.onboard("M")
    code = code_of(ben.send("/team create Rowing"))
    athletes = []
    for user_id, name in ((2, "Ana"), (3, "Cara")):
        athlete = User(dialogue, user_id, name)
        athlete.onboard()
        athlete.send(f"/join {code}")
        for back in range(12, 0, -1):  # the same training, so only the nights' path differs
            athlete.send("RPE 4, 40 min", at=NOW - dt.timedelta(days=back))
        athletes.append(athlete)
    return ben, athletes[0], athletes[1]


def _person_id(database: Database, telegram_id: int) -> int:
    with database.session() as s:
        person = people.get_by_telegram_id(s, telegram_id)
        assert person is not None
        return person.id


def _sync(database: Database, fake: FakeOura, person: int,
          nights: list[tuple[int, float, float, int]]) -> None:
    with database.session() as s:
        connections.save(s, person, "oura", {"token": fake.token})
    for back, hours, hrv, lowest in nights:
        fake.add_night(TODAY - dt.timedelta(days=back), hours=hours, hrv=hrv, lowest=lowest)
    config = SyncConfig(oura_url=fake.base_url, timeout_s=5, max_wait_s=1.5)
    report = sync_person(database, config, person, "oura", since=TODAY - dt.timedelta(days=40),
                         now=NOW)
    assert (report.days, report.error) == (len(nights), None)


def _upload(database: Database, person: int, nights: list[tuple[int, float, float, int]]
            ) -> None:
    lines = ["Date,Sleep hours,HRV,Resting Heart Rate"]
    # Oura's sleep hours are whole seconds / 3600, rounded to 2 decimals: the CSV says the same
    lines += [f"{TODAY - dt.timedelta(days=back)},{round(int(hours * 3600) / 3600, 2)},{hrv},"
              f"{lowest}" for back, hours, hrv, lowest in nights]
    result = import_upload(database, person, "nights.csv", "\n".join(lines).encode(), 2**20)
    assert result.status == "imported"


def _lines(ben: User) -> dict[str, str]:
    """Each athlete's /status line after the name, without the compliance: each athlete's
    week plan is their own, so planned vs done may differ while the nights are the same."""
    text = ben.texts(ben.send("/status", at=NOW))
    return {name: re.sub(r", compliance \d+%/7d", "", line)
            for name, line in (row.split(":", 1) for row in text.splitlines()[1:])}


def test_a_synced_night_and_the_same_night_uploaded_change_readiness_alike(
        full_dialogue: Dialogue, fake_oura: FakeOura) -> None:
    database = full_dialogue.database
    ben, ana, cara = _team(full_dialogue)
    ana_id, cara_id = _person_id(database, 2), _person_id(database, 3)
    _sync(database, fake_oura, ana_id, MONTH)
    _upload(database, cara_id, MONTH)
    before = _lines(ben)
    assert before["Ana"] == before["Cara"] and "night:" not in before["Ana"]
    assert "🔴" not in before["Ana"] and "sleep_short" not in before["Ana"]

    _sync(database, fake_oura, ana_id, [SHORT_NIGHT])
    _upload(database, cara_id, [SHORT_NIGHT])
    after = _lines(ben)
    assert after["Ana"] == after["Cara"]
    assert "🔴" in after["Ana"] and "sleep_short, hrv_low" in after["Ana"]
    assert "night: slept 4.0 h, HRV 1" in after["Ana"] and "% below baseline" in after["Ana"]

    with database.session() as s:
        coach, ana_row, cara_row = (people.get_by_telegram_id(s, t) for t in (1, 2, 3))
        assert coach is not None and ana_row is not None and cara_row is not None
        synced = roster.athlete_status(s, ana_row, TODAY, viewer=coach).metrics
        uploaded = roster.athlete_status(s, cara_row, TODAY, viewer=coach).metrics
        assert synced.flags == uploaded.flags and synced.night == uploaded.night
        assert synced.readiness == "alert" and synced.night is not None
        assert synced.night.sleep_h == 4.0 and synced.night.hrv_low
        digest = build_digest(s, coach, NOW, "UTC")
        assert digest is not None
    rows = {row.name: row for _person, row in digest.rows}
    assert rows["Ana"].level == rows["Cara"].level == "red"
    assert [f.code for f in rows["Ana"].flags] == [f.code for f in rows["Cara"].flags]
    assert "slept 4.0 h last night, under 5 h" in digest.text

    # the athlete's /why says the night changed the day, the same for both paths
    whys = [u.texts(u.send("/why", at=NOW)) for u in (ana, cara)]
    assert all("Last night you slept 4.0 h and your HRV is" in w for w in whys)
    said = [[line for line in w.splitlines() if "Last night" in line] for w in whys]
    assert said[0] == said[1] and len(said[0]) == 2  # the sentence and the fired rule


def test_an_estimated_value_never_raises_a_night_flag(full_dialogue: Dialogue) -> None:
    database = full_dialogue.database
    ben, _ana, _cara = _team(full_dialogue)
    # HRV and sleep measured on three days; today's only resting HR, the rest KNN-estimated
    lines = ["Date,Sleep hours,HRV,Resting Heart Rate"]
    lines += [f"{TODAY - dt.timedelta(days=n)},4.0,25,50" for n in (3, 2, 1)]
    lines.append(f"{TODAY},,,49")
    result = import_upload(database, _person_id(database, 2), "days.csv",
                           "\n".join(lines).encode(), 2**20)
    assert result.status == "imported"
    with database.session() as s:
        coach = people.get_by_telegram_id(s, 1)
        ana = people.get_by_telegram_id(s, 2)
        assert coach is not None and ana is not None
        metrics = roster.athlete_status(s, ana, TODAY, viewer=coach).metrics
    assert metrics.night is not None and metrics.night.sleep_h is None
    assert not {f.code for f in metrics.flags} & {"sleep_short", "hrv_low", "resting_hr_high"}
    assert "night:" not in _lines(ben)["Ana"]


def test_a_night_synced_by_the_job_alerts_the_coach_as_a_check_in_would(
        full_dialogue: Dialogue, fake_oura: FakeOura) -> None:
    database = full_dialogue.database
    now = dt.datetime.now(dt.UTC)  # the job imports up to the real today
    ben = User(full_dialogue, 1, "Ben")
    ben.onboard("M")
    code = code_of(ben.send("/team create Rowing"))
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    with database.session() as s:
        connections.save(s, _person_id(database, 2), "oura", {"token": fake_oura.token})
    for back, hours, hrv, lowest in [*MONTH[:20], SHORT_NIGHT]:
        fake_oura.add_night(now.date() - dt.timedelta(days=back), hours=hours, hrv=hrv,
                            lowest=lowest)
    ctx = JobContext(planning=full_dialogue.planning,
                     sync=SyncConfig(oura_url=fake_oura.base_url, timeout_s=5, max_wait_s=1.5))

    def sync_in_chat() -> list[str]:
        """/sync (a command: the chat's own alert hook does not run), the job, and what the
        coach has been sent so far."""
        ana.send("/sync", at=now)
        due = database.run(lambda db: job_rows.due(db))
        assert due
        for job in due:
            job_functions.run(database, job.key, ctx)
        with database.session() as s:
            return [decode(dict(r.body)).text for r in outbox.loose(s, chat_id=1)]

    [alert] = [t for t in sync_in_chat() if "turned red today" in t]
    assert alert.startswith("🔴 Ana turned red today: Slept 4.0 h last night, under 5 h.")
    assert sum("turned red today" in t for t in sync_in_chat()) == 1  # still red: said once
