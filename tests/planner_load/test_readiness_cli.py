"""`coachloop readiness`: the JSON contract on a team export, the table, and every refusal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.readiness import register
from tests.planner_load.team_exports import WELLNESS_COLS, team_export

SESSION_ARGS = ("--athlete-col", "participant", "--date-col", "end_date_time",
                "--rpe-col", "perceived_exertion", "--minutes-col", "duration_min")


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def group() -> None:
        """A group, as coachloop is, so the command keeps its name."""

    register(app, typer.Typer())
    return app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(make_app(), ["readiness", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def export_files(tmp_path: Path) -> tuple[Path, Path]:
    export = team_export(athletes=3, days=100, seed=5)
    sessions, wellness = tmp_path / "srpe.csv", tmp_path / "wellness.csv"
    export.sessions.to_csv(sessions, index=False)
    export.wellness.to_csv(wellness, index=False)
    return sessions, wellness


def wellness_args(wellness: Path, *extra: str) -> tuple[str, ...]:
    return ("--wellness-csv", str(wellness), "--wellness-date-col", "effective_time_frame",
            "--wellness-cols", WELLNESS_COLS, "--wellness-scale", "1-5", "--higher-is-better",
            *extra)


def test_json_has_every_athlete_day_from_first_to_last_record(
    export_files: tuple[Path, Path],
) -> None:
    sessions, wellness = export_files
    code, out, err = invoke("--csv", str(sessions), *SESSION_ARGS, *wellness_args(wellness),
                            "--json")
    assert code == 0, err
    records = json.loads(out)
    assert {r["athlete"] for r in records} == {"p01", "p02", "p03"}
    for athlete in ("p01", "p02", "p03"):
        dates = [dt.date.fromisoformat(r["date"]) for r in records if r["athlete"] == athlete]
        assert dates == [dates[0] + dt.timedelta(days=k) for k in range(100)]
    assert all(set(r) == {"athlete", "date", "level", "flags"} for r in records)
    assert {r["level"] for r in records} <= {"green", "amber", "red"}
    assert {r["level"] for r in records} == {"green", "amber", "red"}
    first = records[0]["flags"]
    assert any(f["code"] == "acwr_not_enough_history" for f in first)
    assert all(set(f) == {"code", "severity", "value", "threshold", "message"}
               for r in records for f in r["flags"])
    assert "items fatigue=fatigue (1-5, higher is better)" in err


def test_days_without_a_report_say_so_and_rest_days_are_present(tmp_path: Path) -> None:
    sessions = tmp_path / "s.csv"
    sessions.write_text("who,when,rpe,min\nann,2024-01-01,5,60\nann,2024-01-01T18:00Z,3,30\n"
                        "ann,2024-01-04,5,60\n")
    wellness = tmp_path / "w.csv"
    wellness.write_text("who,when,tired\nann,2024-01-02,3\n")
    code, out, err = invoke("--csv", str(sessions), "--athlete-col", "who", "--date-col",
                            "when", "--rpe-col", "rpe", "--minutes-col", "min", "--wellness-csv",
                            str(wellness), "--wellness-cols", "fatigue=tired:1-7", "--json")
    assert code == 0, err
    records = json.loads(out)
    assert [r["date"] for r in records] == ["2024-01-01", "2024-01-02", "2024-01-03",
                                            "2024-01-04"]
    missing = [[f["value"] for f in r["flags"] if f["code"] == "wellness_missing"]
               for r in records]
    assert missing == [[1.0], [], [1.0], [2.0]]


def test_the_table_has_a_row_per_day_and_a_summary(export_files: tuple[Path, Path]) -> None:
    sessions, wellness = export_files
    code, out, _ = invoke("--csv", str(sessions), *SESSION_ARGS, *wellness_args(wellness))
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["athlete", "date", "level", "flags"]
    assert lines[1].split()[:3] == ["p01", "2019-11-01", "green"]
    summary = lines.index("") + 1
    assert summary == 302  # header, 300 days, blank line
    assert lines[summary].startswith("summary: 3 athletes, 300 athlete-days: green ")
    assert lines[summary + 1].lstrip().startswith("p01: 100 days (2019-11-01 to 2020-02-08)")


def test_an_unrated_session_is_left_out_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a,d,r,m\nann,2024-01-01,5,60\nann,2024-01-02,,60\nann,2024-01-03,4, \n")
    code, out, err = invoke("--csv", str(path), "--athlete-col", "a", "--date-col", "d",
                            "--rpe-col", "r", "--minutes-col", "m", "--json")
    assert code == 0
    assert len(json.loads(out)) == 1
    assert "3 session rows read, 1 used, 2 without RPE or minutes left out" in err


def test_cr100_ratings_and_day_first_dates_give_the_same_days(tmp_path: Path) -> None:
    iso, other = tmp_path / "iso.csv", tmp_path / "other.csv"
    iso.write_text("a,d,r,m\n" + "".join(f"ann,2024-03-{k + 1:02d},{k % 8},45\n"
                                         for k in range(30)))
    other.write_text("a,d,r,m\n" + "".join(f"ann,{k + 1:02d}/03/2024,{(k % 8) * 10},45\n"
                                           for k in range(30)))
    cols = ("--athlete-col", "a", "--date-col", "d", "--rpe-col", "r", "--minutes-col", "m")
    _, plain, _ = invoke("--csv", str(iso), *cols, "--json")
    code, mapped, err = invoke("--csv", str(other), *cols, "--rpe-scale", "0-100",
                               "--date-format", "%d/%m/%Y", "--json")
    assert code == 0, err
    assert json.loads(mapped) == json.loads(plain)


def sessions_file(tmp_path: Path, body: str, header: str = "a,d,r,m\n") -> Path:
    path = tmp_path / "s.csv"
    path.write_text(header + body)
    return path


COLS = ("--athlete-col", "a", "--date-col", "d", "--rpe-col", "r", "--minutes-col", "m")


@pytest.mark.parametrize(
    ("header", "body", "extra", "message"),
    [
        ("a,d,r\n", "ann,2024-01-01,5\n", (), "column(s) 'm' not in s.csv; its columns are "
         "'a', 'd', 'r'"),
        ("a;d;r;m\n", "ann;2024-01-01;5;60\n", (), "separated by ';'"),
        ("a,d,r,m\n", "ann,2024-01-01,5,60\nann,yesterday,5,60\n", (),
         "line 3: 'yesterday'"),
        ("a,d,r,m\n", "ann,2024-02-30,5,60\n", (), "YYYY-MM-DD"),
        ("a,d,r,m\n", "ann,2024-01-01,11,60\n", (), "from 0 to 10"),
        ("a,d,r,m\n", "ann,2024-01-01,seven,60\n", (), "line 2: 'seven'"),
        ("a,d,r,m\n", "ann,2024-01-01,5,-5\n", (), "0 to 1440"),
        ("a,d,r,m\n", "ann,2024-01-01,5,1441\n", (), "0 to 1440"),
        ("a,d,r,m\n", ",2024-01-01,5,60\n", (), "every row names its athlete"),
        ("a,d,r,m\n", "", (), "has a header but no rows"),
        ("", "", (), "is empty: it needs a header line"),
        ("a,d,r,m\n", "ann,2024-01-01,5,60\n", ("--rpe-scale", "1-20"), "0-10, 0-100"),
        ("a,d,r,m\n", "ann,2024-01-01,5,60\nann,2224-01-01,5,60\n", (), "mistyped year"),
        ("a,d,r,m\n", "ann,2024-01-01,5,60\n", ("--wellness-cols", "fatigue=f"), "go together"),
        ("a,d,r,m\n", "ann,2024-01-01,5,60\n", ("--wellness-scale", "1-5"),
         "which is not given"),
    ],
)
def test_bad_session_input_is_refused_with_the_right_form_and_no_output(
    tmp_path: Path, header: str, body: str, extra: tuple[str, ...], message: str
) -> None:
    code, out, err = invoke("--csv", str(sessions_file(tmp_path, body, header)), *COLS, *extra)
    assert code == 2
    assert out == ""
    assert message in err


@pytest.mark.parametrize(
    ("body", "cols", "scale", "message"),
    [
        ("ann,2024-01-01,6\n", "fatigue=f", "1-5", "line 2: '6'"),
        ("ann,2024-01-01,3\n", "fatigue=f", "5-1", "runs backwards"),
        ("ann,2024-01-01,3\n", "tiredness=f", "1-5", "the items are fatigue, soreness"),
        ("ann,2024-01-01,3\n", "fatigue", "1-5", "item=COLUMN[:LOW-HIGH]"),
        ("ann,2024-01-01,3\n", "fatigue=tired", "1-5", "column(s) 'tired' not in w.csv"),
        ("ann,01.01.2024,3\n", "fatigue=f", "1-5", "w.csv: 'd' is not a date"),
        ("ann,2024-01-01,3\n", "fatigue=f", None, "say the scale of 'fatigue'"),
    ],
)
def test_bad_wellness_input_is_refused_with_the_right_form_and_no_output(
    tmp_path: Path, body: str, cols: str, scale: str | None, message: str
) -> None:
    sessions = sessions_file(tmp_path, "ann,2024-01-01,5,60\n")
    wellness = tmp_path / "w.csv"
    wellness.write_text("a,d,f\n" + body)
    extra = ("--wellness-scale", scale) if scale else ()
    code, out, err = invoke("--csv", str(sessions), *COLS, "--wellness-csv", str(wellness),
                            "--wellness-cols", cols, *extra)
    assert code == 2
    assert out == ""
    assert message in err


def test_a_wellness_file_with_its_own_date_column_names_the_option_for_it(
    tmp_path: Path,
) -> None:
    sessions = sessions_file(tmp_path, "ann,2024-01-01,5,60\n")
    wellness = tmp_path / "w.csv"
    wellness.write_text("a,when,f\nann,2024-01-01,3\n")
    args = ("--csv", str(sessions), *COLS, "--wellness-csv", str(wellness), "--wellness-cols",
            "fatigue=f", "--wellness-scale", "1-5")
    code, out, err = invoke(*args)
    assert (code, out) == (2, "")
    assert "name this file's date column with --wellness-date-col" in err
    code, _, err = invoke(*args, "--wellness-date-col", "when")
    assert code == 0, err


def test_the_command_is_registered_in_coachloop() -> None:
    from bot.cli import app  # the full CLI: only this test needs its imports

    result = CliRunner().invoke(app, ["readiness", "--help"])
    assert result.exit_code == 0
    assert "--wellness-cols" in result.stdout
