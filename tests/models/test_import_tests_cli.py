"""`coachloop import-tests`: CSV + column mapping -> stored fitness tests, same ranges as /test."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from bot.commands.fitness import item_ranges, register
from models.items import LAP_ITEMS, TEST_RANGES
from storage import fitness_tests, people
from storage.db import Database

MALE_LAPS = [52.0, *([55.0] * 9), *([63.0] * 5)]  # even pace, then the last five laps fade


@pytest.fixture()
def app() -> typer.Typer:
    root = typer.Typer()
    register(root, typer.Typer())
    root.command("noop")(lambda: None)  # two commands: typer keeps the sub-command name
    return root


@pytest.fixture()
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'coach.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    database = Database(url)
    database.upgrade()
    with database.session() as s:
        lee = people.get_or_create_person(s, 31, "Lee")
        people.give_consent(s, lee, {"health_data": True})
        people.get_or_create_person(s, 32, "Kim")  # no consent: nothing may be stored
    database.dispose()
    return url


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _laps(times: list[float]) -> dict[str, object]:
    return {lap: t for lap, t in zip(LAP_ITEMS, times, strict=True)}


def test_import_maps_columns_checks_ranges_and_counts_skips(
    app: typer.Typer, db_url: str, tmp_path: Path
) -> None:
    rows: list[dict[str, object]] = [
        {"who": "Lee", "when": "2026-11-02", "PullUps": 9, "Jump": 231, **_laps(MALE_LAPS)},
        {"who": "lee", "when": "2026-11-16", "PullUps": 11, "Jump": "", **_laps(MALE_LAPS)},
        {"who": "Lee", "when": "2026-11-20", "PullUps": 99},  # pull-ups range is 0-60
        {"who": "Lee", "when": "2026-11-21", "PullUps": "many"},
        {"who": "Lee", "when": "2026-11-22", "lap_01_s": 5},  # a 5 s 200 m lap
        {"who": "Lee", "when": "yesterday", "PullUps": 8},
        {"who": "Lee", "when": "2026-11-23"},  # nothing measured
        {"who": "", "when": "2026-11-02", "PullUps": 8},
        {"who": "Nobody", "when": "2026-11-02", "PullUps": 8},
        {"who": "Kim", "when": "2026-11-02", "PullUps": 8},
    ]
    path = _write(tmp_path / "tests.csv", rows)
    result = CliRunner().invoke(
        app,
        ["import-tests", "--csv", str(path), "--athlete-col", "who", "--date-col", "when",
         "--map", "pull_ups=PullUps,standing_long_jump_cm=Jump", "--json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"] == [
        {"person_id": 1, "name": "Lee", "days": 2, "values": 33}  # "lee" is Lee too
    ]
    assert (
        "10 rows read, 2 imported, 8 skipped (athlete missing: 1, no such athlete: 1, "
        "athlete has not consented to health data: 1, date missing or not an ISO date: 1, "
        "a value is not a number: 1, a value is outside the /test range: 2, "
        "no test value in the row: 1)"
    ) in result.stderr
    database = Database(db_url)
    with database.session() as s:
        lee = people.find_person(s, "Lee")
        kim = people.find_person(s, "Kim")
        assert lee is not None and kim is not None
        days = fitness_tests.results_by_day(s, lee.id)
        assert fitness_tests.results_by_day(s, kim.id) == {}
    database.dispose()
    assert sorted(days) == [dt.date(2026, 11, 2), dt.date(2026, 11, 16)]
    assert days[dt.date(2026, 11, 2)]["standing_long_jump_cm"] == 231.0
    assert "standing_long_jump_cm" not in days[dt.date(2026, 11, 16)]  # empty cell: not taken
    assert [days[dt.date(2026, 11, 16)][lap] for lap in LAP_ITEMS] == MALE_LAPS


def test_imported_fading_laps_name_aerobic_volume(
    app: typer.Typer, db_url: str, tmp_path: Path, cohort: pd.DataFrame
) -> None:
    """Stored lap splits reach the explanation: a late fade -> "aerobic volume"."""
    from models.baselines import lightgbm
    from models.explain import background_sample, explain_row
    from models.features import PRESCRIPTION_BATTERY, design_matrix

    men = cohort.loc[cohort["sex"] == "male", list(PRESCRIPTION_BATTERY)].median()
    faded = [float(men[lap]) + (6.0 if i >= 10 else 0.0) for i, lap in enumerate(LAP_ITEMS)]
    statics = {k: float(men[k]) for k in ("pull_ups", "sit_ups", "shuttle_30x2_s")}
    path = _write(tmp_path / "laps.csv", [{"who": "Lee", **statics, **_laps(faded)}])
    result = CliRunner().invoke(
        app, ["import-tests", "--csv", str(path), "--athlete-col", "who", "--date", "2026-11-02"]
    )
    assert result.exit_code == 0, result.output
    database = Database(db_url)
    with database.session() as s:
        lee = people.find_person(s, "Lee")
        assert lee is not None
        stored = fitness_tests.latest_results(s, lee.id)
    database.dispose()
    X, _ = design_matrix(cohort, PRESCRIPTION_BATTERY)
    model = lightgbm().fit(X, cohort["bmi_class"])  # the prescription paper's task
    background, background_sex = background_sample(X, list(cohort["sex"]), per_sex=30)
    row = pd.DataFrame([{c: stored[c] for c in X.columns}])
    explained = explain_row(model, background, row, sex="M", background_sex=background_sex)
    assert [(d.feature, d.emphasis) for d in explained.deficiencies][:1] == [
        ("late_laps", "aerobic volume")
    ]


def test_the_range_table_is_the_chat_one_plus_lap_splits() -> None:
    ranges = item_ranges()
    assert {k: v[:2] for k, v in ranges.items() if k in TEST_RANGES} == {
        k: (float(lo), float(hi)) for k, (lo, hi, _, _) in TEST_RANGES.items()
    }
    assert ranges["lap_15_s"] == (24.0, 300.0, "s")


def test_unknown_item_or_missing_column_is_a_clear_error(
    app: typer.Typer, db_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path / "t.csv", [{"who": "Lee", "PullUps": 3}])
    bad_item = CliRunner().invoke(
        app, ["import-tests", "--csv", str(path), "--athlete-col", "who", "--map", "chins=PullUps"]
    )
    assert bad_item.exit_code == 2 and "unknown test item 'chins'" in bad_item.stderr
    no_column = CliRunner().invoke(
        app, ["import-tests", "--csv", str(path), "--athlete-col", "name"]
    )
    assert no_column.exit_code == 2 and "['name'] not in t.csv" in no_column.stderr
    nothing = CliRunner().invoke(app, ["import-tests", "--csv", str(path), "--athlete-col", "who"])
    assert nothing.exit_code == 2 and "--map ITEM=COLUMN" in nothing.stderr
