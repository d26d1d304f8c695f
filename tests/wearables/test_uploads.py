"""The upload service: idempotent, size/type checked, refusals clear, never half-stored."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select

import bot.services.matching as matching
from bot.uploads import format_size, import_upload
from storage.activities import list_activities
from storage.db import Database
from storage.schema import Activity, ExerciseLog
from tests.wearables.conftest import add_person
from tests.wearables.fit_writer import write_fit
from tests.wearables.test_readers_fixtures import make_tcx

START = dt.datetime(2024, 5, 1, 7, 0, tzinfo=dt.UTC)
LIMIT = 1_000_000


def _count(db: Database, table: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_same_file_twice_is_stored_once(db: Database, athlete: int) -> None:
    data = write_fit(START, [140] * 600)
    first = import_upload(db, athlete, "run.fit", data, LIMIT)
    second = import_upload(db, athlete, "renamed.fit", data, LIMIT)
    assert first.status == "imported" and second.status == "duplicate"
    assert "already imported" in second.message
    assert _count(db, Activity) == 1 and _count(db, ExerciseLog) == 1


def test_imported_fit_metrics_match_the_session_message(db: Database, athlete: int) -> None:
    import_upload(db, athlete, "run.fit", write_fit(START, [150] * 1201), LIMIT)
    with db.session() as session:
        (activity,) = list_activities(session, athlete)
        log = session.scalars(select(ExerciseLog)).one()
    assert activity.sport == "running" and activity.duration_s == 1200
    assert activity.distance_m == pytest.approx(3600, abs=1) and activity.hr_avg == 150
    assert activity.trimp_banister is not None and activity.start_time == START
    assert log.exercise_id == "run" and log.activity_id == activity.id


def test_oversized_upload_is_refused_before_parsing(
    db: Database, athlete: int, caplog: pytest.LogCaptureFixture
) -> None:
    big = write_fit(START, [140] * 60) + b"\0" * (200 * 1024 * 1024)
    with caplog.at_level(logging.WARNING, logger="bot.uploads"):
        result = import_upload(db, athlete, "huge.fit", big, 20 * 1024 * 1024)
    assert result.status == "refused"
    assert "is 200.0 MiB; the limit is 20.0 MiB" in result.message  # one unit, binary
    assert _count(db, Activity) == 0
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert f"person={athlete}" in record.getMessage() and "type=fit" in record.getMessage()
    assert f"bytes={len(big)}" in record.getMessage() and "limit" in record.getMessage()


def test_sizes_are_shown_in_mib_with_binary_math() -> None:
    assert format_size(20 * 1024 * 1024) == "20.0 MiB"
    assert format_size(1024 * 1024 + 1024 * 512) == "1.5 MiB"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.fit", b"", "empty"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100, "binary"),
        ("cut.fit", write_fit(START, [140] * 100)[:-40], "damaged"),
        ("page.gpx", b"<html>oops</html>", "not a GPX"),
    ],
)
def test_bad_input_is_refused_with_reason_and_nothing_stored(
    db: Database, athlete: int, name: str, data: bytes, reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.uploads"):
        result = import_upload(db, athlete, name, data, LIMIT)
    assert result.status == "refused" and reason in result.message
    assert _count(db, Activity) == 0
    (record,) = [r for r in caplog.records if "upload refused" in r.getMessage()]
    assert record.levelno == logging.WARNING
    line = record.getMessage()
    assert f"person={athlete}" in line and f"bytes={len(data)}" in line
    assert "type=" in line and reason in line


def test_refusal_log_line_carries_no_file_content(
    db: Database, athlete: int, caplog: pytest.LogCaptureFixture
) -> None:
    rr = b"\n".join([b"800"] * 60 + [b"805ms"] + [b"800"] * 10)  # detected as RR, then bad
    with caplog.at_level(logging.WARNING, logger="bot.uploads"):
        result = import_upload(db, athlete, "rr.txt", rr, LIMIT)
    assert result.status == "refused" and "805ms" in result.message  # the athlete sees it
    (record,) = caplog.records
    assert "type=rr" in record.getMessage() and "805" not in record.getMessage()


def test_no_consent_refusal_is_logged(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    person = add_person(db, consent=False)
    with caplog.at_level(logging.WARNING, logger="bot.uploads"):
        import_upload(db, person, "run.fit", write_fit(START, [140] * 60), LIMIT)
    (record,) = caplog.records
    assert f"person={person}" in record.getMessage() and "no consent" in record.getMessage()


def test_absurd_heart_rate_does_not_reach_the_database_or_logs(
    db: Database, athlete: int, caplog: pytest.LogCaptureFixture
) -> None:
    data = write_fit(START, [0, 255] * 300, session_hr=(128, 255))
    with caplog.at_level(logging.DEBUG):
        result = import_upload(db, athlete, "broken-strap.fit", data, LIMIT)
    assert result.status == "imported"
    assert "heart rate ignored" in result.message
    with db.session() as session:
        (activity,) = list_activities(session, athlete)
    assert activity.hr_avg is None and activity.distance_m is not None
    assert not any("255" in r.getMessage() or "bpm=" in r.getMessage() for r in caplog.records)


def test_failure_while_storing_leaves_nothing_half_stored(
    db: Database, athlete: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_add = matching.add_file_activities  # where the import path adds rows

    def add_then_crash(*args: object, **kwargs: object) -> object:
        real_add(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    monkeypatch.setattr(matching, "add_file_activities", add_then_crash)
    with pytest.raises(RuntimeError):
        import_upload(db, athlete, "two.tcx", make_tcx([[140] * 60, [150] * 60]), LIMIT)
    assert _count(db, Activity) == 0 and _count(db, ExerciseLog) == 0


def test_no_consent_no_storage(db: Database) -> None:
    person = add_person(db, consent=False)
    result = import_upload(db, person, "run.fit", write_fit(START, [140] * 60), LIMIT)
    assert result.status == "refused" and "/start" in result.message
    assert _count(db, Activity) == 0


def test_day_summary_csv_becomes_day_rows_not_sessions(db: Database, athlete: int) -> None:
    csv = b"Date,Steps,Resting Heart Rate,Minutes Asleep,HRV\n2024-05-01,9000,50,450,60\n"
    result = import_upload(db, athlete, "days.csv", csv, LIMIT)
    assert result.status == "imported"
    with db.session() as session:
        assert list_activities(session, athlete) == []
        (day,) = list_activities(session, athlete, include_days=True)
    assert day.extra["steps"] == 9000 and day.extra["sleep_h"] == 7.5 and day.rmssd_ms == 60


def test_same_file_for_two_athletes_is_stored_for_each(db: Database, athlete: int) -> None:
    other = add_person(db, sex="m")
    data = write_fit(START, [140] * 60)
    assert import_upload(db, athlete, "a.fit", data, LIMIT).status == "imported"
    assert import_upload(db, other, "a.fit", data, LIMIT).status == "imported"
