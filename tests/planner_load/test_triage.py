"""Readiness flags and the green/amber/red rule (planner.triage), on athlete histories."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from planner.readiness_signals import readiness_signals
from planner.triage import DayReadiness, TriageFlag, level_of, triage
from planner.wellness_scales import parse_wellness_items
from tests.planner_load.team_exports import OVERLOAD_DAYS, START, WELLNESS_COLS, team_export

D0 = dt.date(2024, 1, 1)
WEEK = (300.0, 0.0, 400.0, 0.0, 500.0, 300.0, 0.0)
"""A usual week: monotony 1.09, ACWR exactly 1 when repeated."""
ITEMS = parse_wellness_items("fatigue=f,soreness=s", "1-5", higher_is_better=True)


def loads(weeks: int, last_week_factor: float | None = None) -> list[float]:
    out = list(WEEK) * weeks
    if last_week_factor is not None:
        out += [load * last_week_factor for load in WEEK]
    return out


def readiness(daily: list[float], answers: dict[int, tuple[float, float]] | None = None,
              ) -> list[DayReadiness]:
    """Days of one athlete from daily loads and {day: (fatigue, soreness)} on 1-5."""
    sessions = pd.DataFrame({"athlete": "ann", "load": daily,
                             "date": [D0 + dt.timedelta(days=d) for d in range(len(daily))]})
    wellness = None
    if answers is not None:
        wellness = pd.DataFrame(
            [("ann", D0 + dt.timedelta(days=d), f, s) for d, (f, s) in answers.items()],
            columns=["athlete", "date", "fatigue", "soreness"])
    return triage(readiness_signals(sessions, wellness, ITEMS if answers is not None else ()),
                  ITEMS if answers is not None else ())


def usual_answers(days: int) -> dict[int, tuple[float, float]]:
    return {d: (4.0, 4.0) for d in range(days)}


def codes(day: DayReadiness) -> dict[str, TriageFlag]:
    return {flag.code: flag for flag in day.flags}


def test_a_steady_athlete_is_green_and_says_when_acwr_has_no_history_yet() -> None:
    days = readiness(loads(8), usual_answers(56))
    assert {d.level for d in days} == {"green"}
    first = codes(days[0])["acwr_not_enough_history"]
    assert (first.severity, first.value, first.threshold) == ("info", 1.0, 28.0)
    assert codes(days[26])["acwr_not_enough_history"].value == 27.0
    assert all(d.flags == () for d in days[28:])


@pytest.mark.parametrize(
    ("factor", "code", "severity", "acwr", "side"),
    [(2.0, "acwr_spike", "red", 1.6, "high side"), (1.5, "acwr_high", "amber", 4 / 3, "high side"),
     (0.5, "acwr_low", "amber", 0.5 / 0.875, "low side"), (1.4, None, None, 1.4 / 1.1, None)],
)
def test_acwr_out_of_the_band_names_its_side(
    factor: float, code: str | None, severity: str | None, acwr: float, side: str | None
) -> None:
    last = readiness(loads(5, factor))[-1]
    found = {c: f for c, f in codes(last).items() if c.startswith("acwr")}
    if code is None:
        assert found == {}
        return
    assert list(found) == [code]
    assert found[code].severity == severity
    assert found[code].value == pytest.approx(acwr)
    assert side in found[code].message


def test_monotony_above_two_is_amber_with_its_value() -> None:
    days = readiness([400.0, 420.0] * 5)
    flag = codes(days[6])["monotony_high"]
    week = np.array([400.0, 420.0] * 3 + [400.0])
    assert (flag.severity, flag.threshold) == ("amber", 2.0)
    assert flag.value == pytest.approx(week.mean() / week.std())
    assert days[6].level == "amber"
    assert "monotony_high" not in codes(days[5])  # no week yet


def test_a_heavy_day_and_a_strain_peak_are_spikes_against_the_athletes_own_month() -> None:
    daily = loads(5, 2.0)
    days = readiness(daily)
    heavy = codes(days[35 + 4])  # the 1000 AU day of the doubled week
    month = np.array(daily[39 - 28 : 39])  # the 28 days before it
    expected_z = (1000.0 - month.mean()) / month.std(ddof=1)
    assert heavy["load_spike"].value == pytest.approx(expected_z)
    assert "1000 AU" in heavy["load_spike"].message
    assert "strain_spike" in codes(days[-1])
    assert not any("spike" in c for d in days[:35] for c in codes(d))


def test_a_missing_report_is_unknown_not_fine_and_does_not_change_the_level() -> None:
    answers = usual_answers(40)
    del answers[30], answers[31]
    days = readiness(loads(6), answers)
    assert [codes(days[d])["wellness_missing"].value for d in (30, 31)] == [1.0, 2.0]
    assert days[31].level == "green"
    assert "wellness_missing" not in codes(days[32])


def test_a_bad_morning_is_red_on_the_total_and_amber_on_each_item() -> None:
    answers = usual_answers(30) | {30: (2.0, 2.0)}
    day = readiness(loads(5), answers)[30]
    found = codes(day)
    # 4 -> 2 on 1-5 is 3 of our points per item; the usual SD is 0, floored at one step (1.5)
    assert found["wellness_z_total"].value == pytest.approx(6.0 / 1.5)
    assert found["wellness_z_total"].severity == "red"
    assert found["wellness_z_fatigue"].value == pytest.approx(2.0)
    assert found["wellness_z_fatigue"].severity == "amber"
    assert "usual 4.0 on 1-5, higher is better" in found["wellness_z_fatigue"].message
    assert day.level == "red"
    assert day.flags[0].severity == "red"  # red first


def test_one_answer_one_step_worse_is_one_sd_on_the_total_and_amber() -> None:
    day = readiness(loads(5), usual_answers(30) | {30: (3.0, 4.0)})[30]
    found = codes(day)
    assert found["wellness_z_total"].value == pytest.approx(1.0)
    assert "fatigue +1.0" in found["wellness_z_total"].message
    assert "wellness_z_fatigue" not in found  # one item alone needs 2 SD
    assert day.level == "amber"


def test_the_worst_answer_flags_before_any_baseline_exists() -> None:
    day = readiness(loads(1), {0: (4.0, 4.0), 1: (1.0, 4.0)})[1]
    found = codes(day)
    assert found["wellness_poor_fatigue"].value == 1.0
    assert found["wellness_poor_fatigue"].threshold == pytest.approx(1 + 4 / 6)
    assert found["wellness_not_enough_history"].value == 1.0
    assert day.level == "amber"


def test_rising_load_on_a_worse_morning_is_red_but_falling_load_is_not() -> None:
    worse = usual_answers(41) | {41: (3.0, 4.0)}
    rising = readiness(loads(5, 1.5), worse)[41]
    assert {"acwr_high", "wellness_z_total", "load_and_wellness"} <= set(codes(rising))
    assert rising.level == "red"
    falling = readiness(loads(5, 0.5), worse)[41]
    assert "acwr_low" in codes(falling) and "load_and_wellness" not in codes(falling)
    assert falling.level == "amber"


def test_the_level_is_the_worst_severity_and_info_never_counts() -> None:
    info = TriageFlag("wellness_missing", "info", 3.0, 2.0, "")
    amber = TriageFlag("acwr_low", "amber", 0.7, 0.8, "")
    red = TriageFlag("acwr_spike", "red", 1.7, 1.5, "")
    assert level_of([info]) == "green"
    assert level_of([info, amber]) == "amber"
    assert level_of([amber, red, info]) == "red"


def test_a_flag_of_unknown_severity_is_refused() -> None:
    with pytest.raises(ValueError, match="severity"):
        TriageFlag("x", "yellow", None, None, "")


def test_a_day_serialises_to_the_four_keys_of_the_contract() -> None:
    day = readiness(loads(1))[0]
    record = day.as_dict()
    assert set(record) == {"athlete", "date", "level", "flags"}
    assert record["flags"][0] == {
        "code": "acwr_not_enough_history", "severity": "info", "value": 1.0,
        "threshold": 28.0, "message": "ACWR: not enough history (1 of 28 days of load)"}


def test_on_a_team_export_the_overload_weeks_are_red_far_more_than_usual_days() -> None:
    export = team_export(athletes=8, days=150, seed=0)
    sessions = pd.DataFrame({
        "athlete": export.sessions["participant"],
        "date": pd.to_datetime(export.sessions["end_date_time"].str[:10]),
        "load": export.sessions["perceived_exertion"] * export.sessions["duration_min"]})
    items = parse_wellness_items(WELLNESS_COLS, "1-5", higher_is_better=True)
    wellness = export.wellness.assign(
        athlete=export.wellness["participant"],
        date=pd.to_datetime(export.wellness["effective_time_frame"].str[:10]))
    days = triage(readiness_signals(sessions, wellness, items), items)
    overload, usual = [], []
    for d in days:
        n = (d.day - START).days
        start, pause = export.overload_start[d.athlete], export.break_start[d.athlete]
        if start + 7 <= n < start + OVERLOAD_DAYS:
            overload.append(d.level)
        elif n >= 28 and not (start <= n < start + 42 or pause <= n < pause + 38):
            usual.append(d.level)
    red_overload = overload.count("red") / len(overload)
    red_usual = usual.count("red") / len(usual)
    assert red_overload >= 0.4
    assert red_overload >= 5 * red_usual
    assert usual.count("green") / len(usual) >= 0.5


def test_an_athlete_with_only_wellness_reports_has_no_load_history_yet() -> None:
    sessions = pd.DataFrame({"athlete": pd.Series([], dtype=str), "date": pd.to_datetime([]),
                             "load": pd.Series([], dtype=float)})
    wellness = pd.DataFrame({"athlete": ["bob"] * 3, "date": [D0 + dt.timedelta(days=d)
                                                             for d in range(3)],
                             "fatigue": [4.0, 4.0, 1.0], "soreness": [4.0, 4.0, 4.0]})
    days = triage(readiness_signals(sessions, wellness, ITEMS), ITEMS)
    assert [d.day for d in days] == [D0 + dt.timedelta(days=d) for d in range(3)]
    history = codes(days[0])["acwr_not_enough_history"]
    assert (history.value, history.message) == (
        0.0, "ACWR: not enough history (no session logged yet)")
    assert [d.level for d in days] == ["green", "green", "amber"]  # the worst answer on day 2
