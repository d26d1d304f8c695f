"""The Strava rule (API agreement, Nov 2024): Strava data is shown to its athlete only and is
never used to train or evaluate a model. One test per place the rule holds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services.history import stored_inputs
from bot.services.matching import store_rows
from bot.services.roster import today_metrics
from bot.sync.records import ActivitySummary
from bot.sync.store import Link, summary_row
from planner.session_metrics import AthleteProfile
from storage.activities import NewActivity, list_activities
from storage.db import Database
from storage.privacy import export_person
from storage.research import consented_checkins
from storage.schema import Activity, ExerciseLog, Person
from tests.wearables.conftest import add_person

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 11, 20)
START = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)


def summary(
    source: str, external_id: str, start: dt.datetime = START, minutes: float = 50, hr: float = 150
) -> NewActivity:
    link = Link(0, source, {}, None, None, AthleteProfile(sex="F", birth_year=1995))
    return summary_row(
        link,
        source,
        ActivitySummary(
            external_id=external_id,
            start=start,
            local_day=start.date(),
            sport="cycling",
            elapsed_s=minutes * 60,
            moving_s=minutes * 60,
            distance_m=20_000.0,
            elevation_m=None,
            hr_avg=hr,
            hr_max=hr + 20,
            power=False,
        ),
    )


def store(db: Database, person: int, row: NewActivity) -> None:
    with db.session() as s:
        store_rows(s, person, f"{row.source}:{row.external_id}".ljust(64, "0"), [row])


@pytest.fixture()
def athlete(database: Database) -> int:
    person = add_person(database, sex="F", birth_year=1995)
    store(database, person, summary("strava", "9001"))  # Strava only
    store(database, person, summary("intervals", "i77", START + dt.timedelta(days=1)))
    return person


def test_only_the_athletes_own_views_read_strava_rows(database: Database, athlete: int) -> None:
    with database.session() as s:
        assert [a.source for a in list_activities(s, athlete)] == ["intervals"]
        assert sorted(a.source for a in list_activities(s, athlete, include_strava=True)) == [
            "intervals",
            "strava",
        ]
        own, _ = stored_inputs(s, athlete, DAY + dt.timedelta(days=5), include_strava=True)
        shared, _ = stored_inputs(s, athlete, DAY + dt.timedelta(days=5))
    assert {x.day for x in own if x.trimp} == {DAY, DAY + dt.timedelta(days=1)}
    assert {x.day for x in shared if x.trimp} == {DAY + dt.timedelta(days=1)}


def test_the_coaches_roster_and_group_chats_see_no_strava_session(
    database: Database,
    athlete: int,
) -> None:
    # /status, the roster, /teamchart and the group chat's lines all read `today_metrics`
    with database.session() as s:
        person = s.get(Person, athlete)
        assert person is not None
        strava_day = today_metrics(s, person, DAY)
        other_day = today_metrics(s, person, DAY + dt.timedelta(days=1))
    assert strava_day.trimp_unmapped is None and strava_day.load == 0
    assert other_day.trimp_unmapped is not None and other_day.trimp_unmapped > 0


def test_plans_and_models_get_no_strava_exercise_log(database: Database, athlete: int) -> None:
    with database.session() as s:
        logs = s.scalars(select(ExerciseLog)).all()
        strava_ids = set(s.scalars(select(Activity.id).where(Activity.source == "strava")))
    assert len(logs) == 1 and logs[0].activity_id not in strava_ids


def test_a_strava_recording_never_replaces_another_sources_session(database: Database) -> None:
    person = add_person(database)
    store(database, person, summary("intervals", "i1"))
    richer = summary("strava", "9002", START + dt.timedelta(seconds=40))
    richer.file_type = "fit"  # even with streams, it stays out
    store(database, person, richer)
    with database.session() as s:
        (kept,) = s.scalars(select(Activity)).all()
        assert (kept.source, kept.external_id) == ("intervals", "i1")


def test_another_sources_recording_replaces_a_strava_one_and_keeps_nothing_of_it(
    database: Database,
) -> None:
    person = add_person(database)
    store(database, person, summary("strava", "9003", hr=171))
    store(database, person, summary("intervals", "i2", START + dt.timedelta(seconds=30), hr=149))
    with database.session() as s:
        (kept,) = s.scalars(select(Activity)).all()
        assert (kept.source, kept.external_id, kept.hr_avg) == ("intervals", "i2", 149)
        assert kept.extra["replaced"] == [
            {"source": "strava", "external_id": "9003", "file_type": "summary"}
        ]
        assert "171" not in repr(kept.extra)
        assert s.scalar(select(func.count()).select_from(ExerciseLog)) == 1  # now plannable
        assert list_activities(s, person) == [kept]


def test_the_research_export_reads_no_activity(database: Database, athlete: int) -> None:
    with database.session() as s:
        rows = consented_checkins(s)
    assert rows == []  # check-ins only: the Strava ride (and every activity) stays out


def test_the_athletes_own_export_holds_their_strava_rows_but_no_token(
    database: Database,
    athlete: int,
) -> None:
    from storage import connections

    with database.session() as s:
        connections.save(
            s, athlete, "strava", {"access_token": "tok3n-0f-ana-xyz"}, external_athlete_id="134815"
        )
    with database.session() as s:
        exported = export_person(s, athlete)
    sources = sorted(a["source"] for a in exported["tables"]["activity"])
    assert sources == ["intervals", "strava"]
    (connection,) = exported["tables"]["connection"]
    assert "credentials" not in connection and "tok3n-0f-ana-xyz" not in repr(exported)


#: A read of activity rows anywhere but the choke point would bypass the rule. Writers
#: (matching, replacement, deletion) live in storage/activities.py too; privacy walks every
#: table for the athlete's own /export and /forget.
READ = re.compile(
    r"select\(\s*Activity\b|query\(\s*Activity\b|select\(\s*ExerciseLog\b.*"
    r"activity_id|from storage\.schema import[^\n]*\bActivity\b"
)
ALLOWED = {"storage/activities.py", "storage/schema.py"}
TYPES_ONLY = {
    "bot/services/history.py",
    "bot/services/matching.py",
    "bot/services/policy.py",
    "bot/services/planning.py",
}


def test_no_module_reads_activity_rows_but_through_the_choke_point() -> None:
    offenders = []
    for package in ("bot", "storage", "planner", "models", "nlu"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if name in ALLOWED:
                continue
            text = path.read_text()
            for match in READ.finditer(text):
                if match.group(0).startswith("from storage.schema") and name in TYPES_ONLY:
                    continue  # a type annotation of rows list_activities returned
                offenders.append(f"{name}: {match.group(0)[:60]}")
    assert offenders == [], "read activities through storage.activities.list_activities"
