"""`coachloop calendar`: the .ics the athlete's /calendar sends, written to a file; bad input
refused with exit code 2 and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from bot.cli import app
from storage.db import open_database
from storage.schema import Person, utcnow


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = f"sqlite:///{tmp_path / 'cal.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    db = open_database(url)
    db.upgrade()
    with db.session() as session:
        session.add(Person(telegram_user_id=7, display_name="Ana", username="ana", sex="F",
                           birth_year=2006, consent_at=utcnow(),
                           availability={"days": {"2": {"minutes": 0, "kinds": [],
                                                        "sessions": 1}},
                                         "blackouts": []}))
    db.dispose()
    return tmp_path


def test_writes_one_event_per_day_and_the_same_uids_on_a_second_run(env: Path) -> None:
    runner = CliRunner()
    out = env / "plan.ics"
    args = ["calendar", "--athlete", "@ana", "--out", str(out), "--date", "2026-12-07"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "14 days from 2026-12-07" in result.output
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert len(events) == 14
    tuesdays = [e for e in events if e.decoded("DTSTART").isoweekday() == 2]
    assert tuesdays and all(str(e["STATUS"]) == "CANCELLED" for e in tuesdays)  # tue off
    first = {str(e["UID"]) for e in events}
    assert runner.invoke(app, args).exit_code == 0
    assert {str(e["UID"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")} == first


@pytest.mark.parametrize(("extra", "said"), [
    (["--weeks", "0"], "--weeks must be between 1 and 8"),
    (["--out", "plan.txt"], "--out must name an .ics file"),
    (["--date", "2026-13-01"], "--date must be an ISO date"),
])
def test_bad_input_is_refused_and_nothing_is_written(env: Path, extra: list[str],
                                                       said: str) -> None:
    args = ["calendar", "--athlete", "@ana", "--out", str(env / "x.ics"), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and said in result.output
    assert not (env / "x.ics").exists()


def test_an_unknown_athlete_is_refused(env: Path) -> None:
    result = CliRunner().invoke(app, ["calendar", "--athlete", "@nobody", "--out", "a.ics"])
    assert result.exit_code == 2 and "no athlete" in result.output
