"""The numbers behind the readiness flags, per athlete-day (planner.readiness_signals)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from planner.loadseries import daily_series
from planner.readiness_signals import readiness_signals
from planner.wellness_scales import parse_wellness_items
from tests.planner_load.team_exports import team_export

D0 = dt.date(2024, 1, 1)
ITEMS = parse_wellness_items("fatigue=f,soreness=s", "1-5", higher_is_better=True)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def sessions(*rows: tuple[str, int, float]) -> pd.DataFrame:
    return pd.DataFrame([(a, day(d), load) for a, d, load in rows],
                        columns=["athlete", "date", "load"])


def wellness(*rows: tuple[str, int, float, float]) -> pd.DataFrame:
    return pd.DataFrame([(a, day(d), f, s) for a, d, f, s in rows],
                        columns=["athlete", "date", "fatigue", "soreness"])


def test_sessions_of_a_day_sum_and_days_without_one_are_rest_days() -> None:
    signals = readiness_signals(sessions(("ann", 0, 300), ("ann", 0, 120), ("ann", 3, 200)))
    assert signals["date"].dt.date.tolist() == [day(0), day(1), day(2), day(3)]
    assert signals["load"].tolist() == [420.0, 0.0, 0.0, 200.0]
    assert signals["history_days"].tolist() == [1, 2, 3, 4]


def test_days_run_from_the_first_to_the_last_record_of_either_file() -> None:
    signals = readiness_signals(
        sessions(("ann", 2, 300)), wellness(("ann", 0, 4, 4), ("ann", 5, 3, 3)), ITEMS)
    assert signals["date"].dt.date.tolist() == [day(n) for n in range(6)]
    # before the first session there is no load history; after the last, rest days
    assert signals["history_days"].tolist() == [0, 0, 1, 2, 3, 4]
    assert np.isnan(signals["load"].iloc[0]) and signals["load"].iloc[5] == 0.0


def test_a_day_without_wellness_is_unknown_and_counts_days_since_the_last_report() -> None:
    signals = readiness_signals(
        sessions(("ann", 0, 300), ("ann", 4, 300)), wellness(("ann", 1, 4, 4)), ITEMS)
    assert signals["wellness_gap"].tolist() == [1, 0, 1, 2, 3]
    assert np.isnan(signals["fatigue"].iloc[2])


def test_a_later_report_of_the_same_day_corrects_only_what_it_answers() -> None:
    signals = readiness_signals(
        sessions(("ann", 0, 300)),
        wellness(("ann", 0, 4, 2), ("ann", 0, 1, np.nan)), ITEMS)
    assert signals[["fatigue", "soreness"]].iloc[0].tolist() == [1.0, 2.0]


def test_the_total_needs_every_item_answered() -> None:
    signals = readiness_signals(
        sessions(("ann", 0, 300)), wellness(("ann", 0, 4, np.nan), ("ann", 1, 5, 5)), ITEMS)
    assert np.isnan(signals["total"].iloc[0])
    assert signals["total"].iloc[1] == pytest.approx(2.0)  # 5 of 1-5, best = 1 of 7, twice


def test_load_z_is_the_day_against_the_previous_28_days_rest_days_included() -> None:
    rows = [("ann", d, 300.0) for d in range(0, 28, 2)] + [("ann", 28, 900.0)]
    signals = readiness_signals(sessions(*rows))
    usual = np.array([300.0, 0.0] * 14)
    assert signals["load_mean"].iloc[28] == pytest.approx(usual.mean())
    assert signals["load_z"].iloc[28] == pytest.approx(
        (900 - usual.mean()) / usual.std(ddof=1))


def test_load_metrics_are_the_club_series_ones() -> None:
    export = team_export(athletes=3, days=90, seed=3)
    frame = pd.DataFrame({
        "athlete": export.sessions["participant"],
        "date": pd.to_datetime(export.sessions["end_date_time"].str[:10]),
        "load": export.sessions["perceived_exertion"] * export.sessions["duration_min"],
    })
    mine = readiness_signals(frame)
    club = daily_series(frame)
    assert mine["date"].tolist() == club["date"].tolist()
    for ours, theirs in (("load", "load"), ("acwr", "acwr_rolling"), ("monotony", "monotony"),
                         ("strain", "strain")):
        assert np.allclose(mine[ours], club[theirs], equal_nan=True)


def test_athletes_do_not_leak_into_each_other() -> None:
    alone = readiness_signals(sessions(*[("ann", d, 100.0 + d) for d in range(40)]))
    both = readiness_signals(sessions(*[("ann", d, 100.0 + d) for d in range(40)],
                                      *[("bob", d, 900.0) for d in range(5, 60)]))
    ann = both[both["athlete"] == "ann"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, ann)


def test_wellness_without_its_items_is_refused() -> None:
    with pytest.raises(ValueError, match="items"):
        readiness_signals(sessions(("ann", 0, 1.0)), wellness(("ann", 0, 4, 4)))


def test_a_negative_load_is_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        readiness_signals(sessions(("ann", 0, -1.0)))
