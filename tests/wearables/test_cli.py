"""`coachloop import` / `coachloop activities` through typer's CliRunner."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.wearables import register
from storage.db import open_database
from storage.schema import Person, utcnow
from tests.wearables.fit_writer import write_fit


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))  # the log file goes there
    monkeypatch.chdir(tmp_path)  # no stray .env
    db = open_database(url)
    db.upgrade()
    with db.session() as session:
        session.add(Person(telegram_user_id=7, display_name="Ana", username="ana",
                           consent_at=utcnow()))
    db.dispose()
    app = typer.Typer()
    register(app, typer.Typer())
    return app


def test_import_then_list_as_json(cli: typer.Typer, tmp_path: Path) -> None:
    start = dt.datetime(2024, 5, 1, 7, 0, tzinfo=dt.UTC)
    files = []
    for i in range(3):
        path = tmp_path / f"run{i}.fit"
        path.write_bytes(write_fit(start + dt.timedelta(days=i), [140 + i] * 300))
        files.append(str(path))
    (tmp_path / "junk.gpx").write_text("<html/>")
    runner = CliRunner()
    out = runner.invoke(cli, ["import", *files, str(tmp_path / "junk.gpx"), "--athlete", "ana"])
    assert out.exit_code == 0, out.output
    assert "3 imported, 0 already imported, 1 refused" in out.output
    again = runner.invoke(cli, ["import", files[0], "--athlete", "@ana"])
    assert "0 imported, 1 already imported" in again.output
    listed = runner.invoke(cli, ["activities", "--athlete", "Ana", "--json"])
    rows = json.loads(listed.output)
    assert [r["hr_avg"] for r in rows] == [142.0, 141.0, 140.0]
    assert {"start", "sport", "duration_s", "distance_m", "trimp", "rmssd_ms"} <= set(rows[0])


def test_unknown_athlete_exits_with_message(cli: typer.Typer) -> None:
    out = CliRunner().invoke(cli, ["activities", "--athlete", "nobody"])
    assert out.exit_code == 2 and "no athlete" in out.output


def test_cli_refusals_are_logged_at_warning(
    cli: typer.Typer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "junk.gpx").write_text("<html/>")
    missing = tmp_path / "gone.fit"
    with caplog.at_level(logging.INFO):
        out = CliRunner().invoke(
            cli, ["import", str(tmp_path / "junk.gpx"), str(missing), "--athlete", "ana"]
        )
    assert out.exit_code == 1 and "0 imported, 0 already imported, 2 refused" in out.output
    refused = [r for r in caplog.records if "upload refused" in r.getMessage()]
    assert [r.levelno for r in refused] == [logging.WARNING, logging.WARNING]
    assert "type=gpx bytes=7 reason=this is an XML file (html)" in refused[0].getMessage()
    assert "type=fit bytes=0 reason=no such file" in refused[1].getMessage()
    assert all("person=1 " in r.getMessage() for r in refused)


def test_cli_oversized_file_is_refused_in_mib_without_reading_it(
    cli: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("MAX_UPLOAD_BYTES", str(1024 * 1024))
    big = tmp_path / "big.fit"
    big.write_bytes(write_fit(dt.datetime(2024, 5, 1, tzinfo=dt.UTC), [140] * 60)
                    + b"\0" * (3 * 1024 * 1024))
    with caplog.at_level(logging.WARNING):
        out = CliRunner().invoke(cli, ["import", str(big), "--athlete", "ana"])
    assert "big.fit is 3.0 MiB; the limit is 1.0 MiB" in out.output
    (record,) = [r for r in caplog.records if "upload refused" in r.getMessage()]
    assert "type=fit" in record.getMessage() and "over the 1.0 MiB limit" in record.getMessage()


def test_cli_counts_days_of_overlapping_exports_as_already_imported(
    cli: typer.Typer, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    header = "Date,Steps,Resting Heart Rate\n"
    first.write_text(header + "".join(f"2024-05-0{d},900{d},5{d}\n" for d in range(1, 6)))
    second.write_text(header + "".join(f"2024-05-0{d},900{d},5{d}\n" for d in range(4, 9)))
    out = CliRunner().invoke(cli, ["import", str(first), str(second), "--athlete", "ana"])
    assert "2 imported, 0 already imported, 0 refused (2 days already imported)" in out.output
    listed = CliRunner().invoke(cli, ["activities", "--athlete", "ana", "--days", "--json"])
    assert sorted(r["day"] for r in json.loads(listed.output)) == [
        f"2024-05-0{d}" for d in range(1, 9)
    ]
