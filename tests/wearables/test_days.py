"""Day-summary CSVs: KNN imputation kept apart from measurements; overlaps stored once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.uploads import import_upload
from storage.activities import DAY_SUMMARY, list_activities
from storage.db import Database
from storage.readers import read_wearable
from storage.schema import Activity
from tests.wearables.conftest import add_person

LIMIT = 20 * 1024 * 1024
HEADER = "Date,Steps,Resting Heart Rate,Minutes Asleep,HRV"
FIRST = dt.date(2024, 5, 1)


def day_line(i: int, *, steps: object = None, rhr: object = None, sleep: object = None,
             hrv: object = None) -> str:
    """Day i of a plausible athlete; any field given as "" is missing in the export."""
    values = [
        9000 + 500 * (i % 5) if steps is None else steps,
        50 + i % 4 if rhr is None else rhr,
        420 + 10 * (i % 3) if sleep is None else sleep,
        70 - 2 * (i % 4) if hrv is None else hrv,
    ]
    return ",".join([(FIRST + dt.timedelta(days=i)).isoformat(), *map(str, values)])


def csv(lines: list[str]) -> bytes:
    return "\n".join([HEADER, *lines, ""]).encode()


def stored(db: Database, person: int) -> dict[dt.date, Activity]:
    with db.session() as session:
        return {a.day: a for a in list_activities(session, person, include_days=True)
                if a.day is not None}


def day_count(db: Database) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(Activity).where(Activity.sport == DAY_SUMMARY)
        return int(session.scalar(query) or 0)


def test_missing_hrv_is_imputed_from_similar_days_and_marked(db: Database, athlete: int) -> None:
    lines = [day_line(i) for i in range(10)]
    lines[4] = day_line(4, hrv="")
    result = import_upload(db, athlete, "days.csv", csv(lines), LIMIT)
    assert result.status == "imported" and "1 with estimated missing values" in result.message
    day = stored(db, athlete)[FIRST + dt.timedelta(days=4)]
    assert day.extra["hrv_ms"] is None and day.rmssd_ms is None  # measurements stay measured
    assert 64 <= day.extra["imputed"]["hrv_ms"] <= 70
    assert day.extra["imputation"] == {"method": "knn", "k": 3, "days_in_file": 10}
    untouched = stored(db, athlete)[FIRST]
    assert "imputed" not in untouched.extra and untouched.rmssd_ms == 70


def test_too_few_complete_days_means_no_imputation(db: Database, athlete: int) -> None:
    lines = [day_line(i) for i in range(5)] + [day_line(5, hrv="")]  # 5 complete < 2k = 6
    import_upload(db, athlete, "few.csv", csv(lines), LIMIT)
    assert all("imputed" not in a.extra for a in stored(db, athlete).values())


def test_a_mostly_empty_day_is_not_filled_in(db: Database, athlete: int) -> None:
    lines = [day_line(i) for i in range(8)] + [day_line(8, rhr="", sleep="", hrv="")]
    import_upload(db, athlete, "sparse.csv", csv(lines), LIMIT)
    day = stored(db, athlete)[FIRST + dt.timedelta(days=8)]
    assert day.extra["steps"] is not None and "imputed" not in day.extra


def test_overlapping_exports_store_each_day_once(db: Database, athlete: int) -> None:
    first = import_upload(db, athlete, "may-1-10.csv", csv([day_line(i) for i in range(10)]),
                          LIMIT)
    second = import_upload(db, athlete, "may-6-15.csv",
                           csv([day_line(i) for i in range(5, 15)]), LIMIT)
    assert first.status == second.status == "imported"
    assert second.days_already_imported == 5 and "5 days were already imported" in second.message
    assert day_count(db) == 15
    assert len(second.activity_ids) == 5


def test_an_export_of_stored_days_only_is_already_imported(db: Database, athlete: int) -> None:
    import_upload(db, athlete, "a.csv", csv([day_line(i) for i in range(10)]), LIMIT)
    again = import_upload(db, athlete, "b.csv", csv([day_line(i) for i in range(3, 7)]), LIMIT)
    assert again.status == "duplicate" and again.days_already_imported == 4
    assert "all 4 days were already imported" in again.message
    assert day_count(db) == 10


def test_a_later_export_fills_what_a_stored_day_lacks_but_never_overwrites(
    db: Database, athlete: int
) -> None:
    lines = [day_line(i) for i in range(8)]
    lines[2] = day_line(2, hrv="", steps=1234)
    import_upload(db, athlete, "early.csv", csv(lines), LIMIT)
    before = stored(db, athlete)[FIRST + dt.timedelta(days=2)]
    assert before.extra["imputed"]["hrv_ms"] is not None  # estimated on first import
    later = csv([day_line(2, hrv=81, steps=20000), day_line(20)])
    result = import_upload(db, athlete, "late.csv", later, LIMIT)
    assert result.status == "imported" and "1 missing values filled in" in result.message
    day = stored(db, athlete)[FIRST + dt.timedelta(days=2)]
    assert day.extra["hrv_ms"] == 81 and day.rmssd_ms == 81  # the measurement replaces...
    assert "imputed" not in day.extra  # ...the estimate
    assert day.extra["steps"] == 1234  # a stored measurement is kept
    assert day_count(db) == 9


def test_days_are_per_person(db: Database, athlete: int) -> None:
    other = add_person(db, sex="m")
    data = csv([day_line(i) for i in range(3)])
    assert import_upload(db, athlete, "a.csv", data, LIMIT).status == "imported"
    assert import_upload(db, other, "a.csv", data, LIMIT).status == "imported"
    assert day_count(db) == 6


def test_a_date_repeated_inside_one_file_becomes_one_day() -> None:
    data = csv([day_line(0, hrv=""), day_line(1), day_line(0, hrv=66, steps=1)])
    parsed = read_wearable("dup.csv", data)
    assert [d.day for d in parsed.days] == [FIRST, FIRST + dt.timedelta(days=1)]
    assert parsed.days[0].hrv_ms == 66 and parsed.days[0].steps == 9000  # first value wins
    assert any("repeated a date" in w for w in parsed.warnings)


@pytest.mark.parametrize("missing", ["steps", "rhr", "sleep"])
def test_each_field_can_be_imputed(db: Database, athlete: int, missing: str) -> None:
    lines = [day_line(i) for i in range(9)]
    lines[3] = day_line(3, **{missing: ""})
    import_upload(db, athlete, "d.csv", csv(lines), LIMIT)
    key = {"steps": "steps", "rhr": "resting_hr", "sleep": "sleep_h"}[missing]
    day = stored(db, athlete)[FIRST + dt.timedelta(days=3)]
    assert day.extra[key] is None and day.extra["imputed"][key] is not None
    if key == "steps":
        assert isinstance(day.extra["imputed"]["steps"], int)
