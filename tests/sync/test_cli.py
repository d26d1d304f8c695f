"""`coachloop sync` through typer's CliRunner, against the intervals.icu fake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.sync import register
from storage import connections
from storage.db import open_database
from storage.schema import Activity, Person, utcnow
from tests.sync.fake_intervals import FakeIntervals

RUN = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)


@pytest.fixture()
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_intervals: FakeIntervals
) -> typer.Typer:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INTERVALS_API_URL", fake_intervals.base_url)  # configuration only
    monkeypatch.chdir(tmp_path)
    db = open_database(url)
    db.upgrade()
    with db.session() as session:
        person = Person(telegram_user_id=7, display_name="Ana", username="ana", consent_at=utcnow())
        session.add(person)
        session.add(
            Person(telegram_user_id=8, display_name="Ben", username="ben", consent_at=utcnow())
        )
        session.flush()
        connections.save(
            session,
            person.id,
            "intervals",
            {"api_key": fake_intervals.api_key},
            external_athlete_id=fake_intervals.athlete_id,
        )
    db.dispose()
    app = typer.Typer()
    register(app, typer.Typer())
    app.command("noop")(lambda: None)  # a second command keeps `sync` a named subcommand
    return app


def _rows(tmp_path: Path) -> int:
    db = open_database(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with db.session() as session:
        count = session.query(Activity).count()
    db.dispose()
    return count


def test_sync_imports_with_a_report_and_a_second_run_changes_nothing(
    cli: typer.Typer, tmp_path: Path, fake_intervals: FakeIntervals
) -> None:
    today = dt.datetime.now(dt.UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    for day in range(3):
        fake_intervals.add_activity(f"i{day}", today - dt.timedelta(days=day + 1), minutes=30)
    out = CliRunner().invoke(cli, ["sync", "--athlete", "ana"])
    assert out.exit_code == 0, out.output
    assert "Ana: intervals.icu: 3 new session(s)." in out.output
    again = CliRunner().invoke(
        cli,
        [
            "sync",
            "--athlete",
            "@ana",
            "--provider",
            "intervals",
            "--since",
            (today - dt.timedelta(days=10)).date().isoformat(),
        ],
    )
    assert again.exit_code == 0 and "0 new session(s), 3 imported before" in again.output
    assert _rows(tmp_path) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--provider", "garmin"], "--provider must be one of intervals, strava, oura"),
        (["--since", "last week"], "--since must be an ISO date like 2026-11-01"),
        (["--since", "2999-01-01"], "is in the future"),
        (["--provider", "strava"], "has no working connection to strava"),
    ],
)
def test_bad_input_gets_the_right_form_and_changes_nothing(
    cli: typer.Typer,
    tmp_path: Path,
    fake_intervals: FakeIntervals,
    args: list[str],
    message: str,
) -> None:
    fake_intervals.add_activity("i9", RUN, minutes=30)
    out = CliRunner().invoke(cli, ["sync", "--athlete", "ana", *args])
    assert out.exit_code == 2 and message in out.output
    assert fake_intervals.requests == [] and _rows(tmp_path) == 0


def test_an_athlete_without_connections_or_unknown_is_told_what_to_do(cli: typer.Typer) -> None:
    out = CliRunner().invoke(cli, ["sync", "--athlete", "ben"])
    assert out.exit_code == 2 and "/connect intervals" in out.output
    out = CliRunner().invoke(cli, ["sync", "--athlete", "nobody"])
    assert out.exit_code == 2 and "no athlete matches" in out.output


def test_a_provider_fault_exits_1_with_the_reason(
    cli: typer.Typer, fake_intervals: FakeIntervals
) -> None:
    fake_intervals.api_key = "changed-on-the-provider-side"
    out = CliRunner().invoke(cli, ["sync", "--athlete", "ana"])
    assert out.exit_code == 1 and "refused the credentials (HTTP 401)" in out.output
