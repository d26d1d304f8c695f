"""`coachloop load` (CSV contract) and `coachloop report` (PNG from the database)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.load import parse_day, register

HEADER = "who,when,rpe,mins\n"


def make_app() -> typer.Typer:
    app = typer.Typer()
    register(app, typer.Typer())
    return app


def run(tmp_path: Path, body: str, *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "sessions.csv"
    path.write_text(HEADER + body)
    args = ["load", "--csv", str(path), "--athlete-col", "who", "--date-col", "when",
            "--rpe-col", "rpe", "--minutes-col", "mins", *extra]
    result = CliRunner().invoke(make_app(), args)
    return result.exit_code, result.stdout, result.stderr


def test_load_json_has_one_record_per_calendar_day_with_nulls(tmp_path: Path) -> None:
    code, out, err = run(
        tmp_path,
        "ann,2024-01-01,7,60\nann,2024-01-01T18:30:00+02:00,3,30\nann,2024-01-03,5,40\n",
        "--json",
    )
    assert code == 0, err
    records = json.loads(out)
    assert [r["date"] for r in records] == ["2024-01-01", "2024-01-02", "2024-01-03"]
    assert [r["load"] for r in records] == [510.0, 0.0, 200.0]
    assert records[0]["acwr_rolling"] is None and records[0]["monotony"] is None
    assert records[0]["ctl"] == pytest.approx(510 / 42)
    assert records[0]["tsb"] == 0.0
    assert set(records[0]) == {"athlete", "date", "load", "acwr_rolling", "acwr_ewma",
                               "monotony", "strain", "ctl", "atl", "tsb"}


def test_bad_rows_are_skipped_and_counted_on_stderr(tmp_path: Path) -> None:
    body = (
        "ann,2024-01-01,7,60\n"
        "ann,yesterday,5,60\n"
        "ann,2024-01-02,11,60\n"
        "ann,2024-01-02,,60\n"
        "ann,2024-01-02,5,0\n"
        "ann,2024-01-02,5,1441\n"
        ",2024-01-02,5,60\n"
        "ann,2024-01-02,nan,60\n"
    )
    code, out, err = run(tmp_path, body, "--json")
    assert code == 0
    assert [r["load"] for r in json.loads(out)] == [420.0]
    assert "8 rows read, 1 used, 7 skipped" in err
    assert "RPE missing or outside 0-10: 3" in err
    assert "minutes missing or outside (0, 1440]: 2" in err


def test_load_table_is_tab_separated_with_header(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "b,2024-02-01,4,30\na,2024-02-01,6,50\n")
    lines = out.strip().splitlines()
    assert code == 0
    assert lines[0].split("\t")[:3] == ["athlete", "date", "load"]
    assert [line.split("\t")[0] for line in lines[1:]] == ["a", "b"]
    assert lines[1].split("\t")[3] == "null"


def test_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(make_app(), [
        "load", "--csv", str(path), "--athlete-col", "who", "--date-col", "when",
        "--rpe-col", "rpe", "--minutes-col", "mins",
    ])
    assert result.exit_code == 2
    assert "not in s.csv" in result.stderr


def test_acwr_appears_on_day_28_in_the_csv_output(tmp_path: Path) -> None:
    start = dt.date(2024, 3, 1)
    body = "".join(f"z,{start + dt.timedelta(days=i)},5,60\n" for i in range(30))
    _, out, _ = run(tmp_path, body, "--json")
    records = json.loads(out)
    assert records[26]["acwr_rolling"] is None
    assert records[27]["acwr_rolling"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-05-06", dt.date(2024, 5, 6)), ("2024-05-06T23:59:00Z", dt.date(2024, 5, 6)),
     ("2024-05-06 07:00:00", dt.date(2024, 5, 6)), ("06/05/2024", None), ("", None)],
)
def test_parse_day(text: str, expected: dt.date | None) -> None:
    assert parse_day(text) == expected


def test_report_writes_a_png_from_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.checkins import NewCheckIn, add_checkin
    from storage.db import open_database
    from storage.people import get_or_create_person, give_consent

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    database = open_database(url)
    database.upgrade()
    start = dt.date(2024, 1, 1)
    with database.session() as session:
        person = get_or_create_person(session, 4242, "Ann")
        give_consent(session, person, {"health": True})
        for i in range(40):
            add_checkin(session, person, NewCheckIn(
                day=start + dt.timedelta(days=i), rpe=float(3 + i % 5), minutes=45.0,
                sleep_quality=2 + i % 2, fatigue=3, soreness=2, stress=2,
            ))
    database.dispose()
    out = tmp_path / "ann.png"
    result = CliRunner().invoke(make_app(), ["report", "--athlete", "Ann", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    unknown = CliRunner().invoke(make_app(), ["report", "--athlete", "Nobody", "--out", str(out)])
    assert unknown.exit_code == 2


def _store_athlete(db: object, telegram_id: int, name: str, n_tests: int) -> dt.date:
    """A consenting athlete with the synthetic periodised check-ins and ``n_tests`` 3000 m tests.

    Returns the last check-in day; one 60-minute session is prescribed for the day after it.
    """
    from storage import fitness_tests, people
    from storage.checkins import NewCheckIn, add_checkin
    from storage.db import Database
    from storage.plans import save_prescribed
    from tests.planner_load.test_performance import D0, N_DAYS, synthetic_athlete

    assert isinstance(db, Database)
    loads, tests = synthetic_athlete(0)
    with db.session() as s:
        person = people.get_or_create_person(s, telegram_id, name)
        people.give_consent(s, person, {"health_data": True})
        for i, load in enumerate(loads):
            minutes = round(float(load) / 5.0, 1)
            add_checkin(s, person, NewCheckIn(
                day=D0 + dt.timedelta(days=i), rpe=5.0 if minutes else 0.0,
                minutes=minutes or 0.0, sleep_quality=3, fatigue=3, soreness=3, stress=3,
            ))
        for test in tests[:n_tests]:
            fitness_tests.add_results(s, person.id, test.day, {test.item: (test.value, "s")})
        end = D0 + dt.timedelta(days=N_DAYS - 1)
        save_prescribed(s, person.id, end + dt.timedelta(days=1), title="run",
                        intensity_factor=1.0, volume_factor=1.0, reason_codes=[],
                        inputs={"planned_minutes": 60.0}, exercises=[], explanation={})
    return end


def _png_height(path: Path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[20:24], "big")  # IHDR height; 260 px per report panel


def test_report_prints_the_banister_fit_and_draws_a_fifth_panel(
    sqlite_db: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'test.sqlite3'}")
    end = _store_athlete(sqlite_db, 51, "Ann", n_tests=12)
    out = tmp_path / "ann.png"
    result = CliRunner().invoke(make_app(), ["report", "--athlete", "Ann", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for name in ("k1=", "k2=", "tau1=", "tau2=", "p0="):
        assert name in text
    assert "Banister model on 3000 m run (m/s, higher is better; 12 tests" in text
    assert "prediction for 2024-06-24 (next test day)" in text
    assert "1 prescribed session(s) at planned minutes x mean RPE 5.0" in text
    assert _png_height(out) == 5 * 260

    result = CliRunner().invoke(make_app(),
                                ["report", "--athlete", "Ann", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    banister = data["banister"]
    assert data["end"] == end.isoformat() and banister["reason"] is None
    assert banister["fit"]["n_tests"] == 12 and 1 <= banister["fit"]["tau2"] <= 30
    assert banister["target_day"] == "2024-06-24" and banister["planned_days"] == 7
    assert data["plan"] == {"prescribed_days": 1, "assumed_rpe": 5.0, "baseline_days": 28}
    # the prescribed day (60 min x RPE 5 = 300 AU) and six days at the 28-day mean
    mean = banister["baseline_load"]
    assert banister["planned_mean_load"] == pytest.approx((300 + 6 * mean) / 7)
    assert 700 < banister["predicted_value"] < 1000  # a 3000 m time in seconds


def test_report_with_two_tests_says_why_there_is_no_banister_panel(
    sqlite_db: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'test.sqlite3'}")
    _store_athlete(sqlite_db, 52, "Bo", n_tests=2)
    out = tmp_path / "bo.png"
    result = CliRunner().invoke(make_app(), ["report", "--athlete", "Bo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert ("Banister model not fitted: the Banister model needs at least 3 3000 m run tests; "
            "2 stored") in result.stdout
    assert "k1=" not in result.stdout
    assert _png_height(out) == 4 * 260
