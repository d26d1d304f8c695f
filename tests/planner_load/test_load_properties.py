"""Invariants of the load metrics (hypothesis) and agreement of the scalar and vectorised paths."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.acwr import acwr_ewma, acwr_rolling
from planner.loadseries import daily_series
from planner.loadtypes import SessionLoad
from planner.monotony import monotony
from planner.readiness import load_metrics, metrics_history

D0 = dt.date(2024, 3, 1)
METRICS = ("load", "acwr_rolling", "acwr_ewma", "monotony", "strain", "ctl", "atl", "tsb")

rpe = st.integers(min_value=0, max_value=10)
minutes = st.integers(min_value=1, max_value=240)
session_row = st.tuples(st.integers(min_value=0, max_value=70), rpe, minutes)
histories = st.lists(session_row, min_size=1, max_size=60)
loads_strategy = st.lists(
    st.one_of(st.just(0.0), st.floats(min_value=0.1, max_value=2400, allow_nan=False)),
    min_size=0, max_size=60,
)


def to_sessions(rows: list[tuple[int, int, int]]) -> list[SessionLoad]:
    return [SessionLoad(D0 + dt.timedelta(days=d), r, m) for d, r, m in rows]


def scalar_table(sessions: list[SessionLoad]) -> list[tuple[float | None, ...]]:
    first = min(s.day for s in sessions)
    last = max(s.day for s in sessions)
    return [
        tuple(getattr(m, name) for name in METRICS)
        for m in metrics_history(sessions, [], first, last)
    ]


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@given(st.integers(min_value=7, max_value=60))
def test_all_zero_weeks_have_no_monotony_and_no_acwr(days: int) -> None:
    zeros = [0.0] * days
    assert monotony(zeros) is None
    assert acwr_rolling(zeros) is None
    assert acwr_ewma(zeros) is None


@given(loads_strategy, st.floats(min_value=0.01, max_value=100))
def test_ratios_do_not_depend_on_the_load_unit(loads: list[float], scale: float) -> None:
    scaled = [x * scale for x in loads]
    for metric in (acwr_rolling, acwr_ewma, monotony):
        a, b = metric(loads), metric(scaled)
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert a == pytest.approx(b, rel=1e-6)


@given(loads_strategy)
def test_rolling_acwr_is_defined_exactly_when_the_month_has_load(loads: list[float]) -> None:
    value = acwr_rolling(loads)
    defined = len(loads) >= 28 and any(x > 0 for x in loads[-28:])
    assert (value is not None) == defined


@given(histories)
@settings(max_examples=60, deadline=None)
def test_vectorised_path_equals_scalar_path(rows: list[tuple[int, int, int]]) -> None:
    sessions = to_sessions(rows)
    frame = pd.DataFrame(
        {
            "athlete": ["a"] * len(rows),
            "date": [s.day for s in sessions],
            "rpe": [s.rpe for s in sessions],
            "minutes": [s.minutes for s in sessions],
        }
    )
    vector = daily_series(frame)
    scalar = scalar_table(sessions)
    assert len(vector) == len(scalar)
    for row, expected in zip(vector.itertuples(index=False), scalar, strict=True):
        for name, value in zip(METRICS, expected, strict=True):
            assert same(value, getattr(row, name)), (name, value, getattr(row, name))


@given(histories, histories)
@settings(max_examples=25, deadline=None)
def test_vectorised_athletes_do_not_leak_into_each_other(
    rows_a: list[tuple[int, int, int]], rows_b: list[tuple[int, int, int]]
) -> None:
    frame = pd.DataFrame(
        [("a", D0 + dt.timedelta(days=d), r, m) for d, r, m in rows_a]
        + [("b", D0 + dt.timedelta(days=d + 3), r, m) for d, r, m in rows_b],
        columns=["athlete", "date", "rpe", "minutes"],
    )
    both = daily_series(frame)
    alone = daily_series(frame[frame.athlete == "a"])
    only_a = both[both.athlete == "a"].reset_index(drop=True)
    pd.testing.assert_frame_equal(only_a, alone.reset_index(drop=True))


@given(histories, st.data())
@settings(max_examples=40, deadline=None)
def test_duplicated_days_are_summed(rows: list[tuple[int, int, int]], data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    d, r, m = rows[index]
    split = data.draw(st.integers(min_value=0, max_value=m))
    parts = [(d, r, split), (d, r, m - split)] if 0 < split < m else [(d, r, m)]
    changed = rows[:index] + parts + rows[index + 1 :]
    for got, expected in zip(
        scalar_table(to_sessions(changed)), scalar_table(to_sessions(rows)), strict=True
    ):
        assert all(same(a, b) for a, b in zip(got, expected, strict=True))


@given(histories)
@settings(max_examples=40, deadline=None)
def test_reported_rest_days_equal_gaps(rows: list[tuple[int, int, int]]) -> None:
    sessions = to_sessions(rows)
    first = min(s.day for s in sessions)
    last = max(s.day for s in sessions)
    reported = {s.day for s in sessions}
    rests = [
        SessionLoad(first + dt.timedelta(days=i), 0, 30)
        for i in range((last - first).days + 1)
        if first + dt.timedelta(days=i) not in reported
    ]
    assert scalar_table(sessions + rests) == scalar_table(sessions)


@given(rpe, minutes, st.integers(min_value=0, max_value=60))
@settings(max_examples=40, deadline=None)
def test_one_session_history(r: int, m: int, later: int) -> None:
    sessions = [SessionLoad(D0, r, m)]
    today = D0 + dt.timedelta(days=later)
    metrics = load_metrics(sessions, [], today)
    load = r * m
    assert metrics.days_of_history == later + 1
    assert metrics.load == (load if later == 0 else 0)
    assert metrics.ctl == pytest.approx(load / 42 * (41 / 42) ** later)
    assert metrics.monotony is None or later >= 6
    if later < 27 or load == 0:
        assert metrics.acwr_rolling is None and metrics.acwr_ewma is None
    elif later == 27:
        assert metrics.acwr_rolling == 0.0
    else:
        assert metrics.acwr_rolling is None  # the only load left the 28-day window
        assert metrics.acwr_ewma is not None


@given(histories, st.integers(min_value=0, max_value=75))
@settings(max_examples=30, deadline=None)
def test_history_equals_day_by_day_metrics(rows: list[tuple[int, int, int]], offset: int) -> None:
    sessions = to_sessions(rows)
    today = D0 + dt.timedelta(days=offset)
    start = D0 - dt.timedelta(days=2)
    history = metrics_history(sessions, [], start, today)
    assert history[-1] == load_metrics(sessions, [], today)
    assert history[0].load == 0 and history[0].days_of_history == 0


def test_sessions_after_today_are_ignored() -> None:
    sessions = [SessionLoad(D0, 5, 60), SessionLoad(D0 + dt.timedelta(days=3), 9, 120)]
    assert load_metrics(sessions, [], D0 + dt.timedelta(days=2)).ctl == pytest.approx(
        load_metrics(sessions[:1], [], D0 + dt.timedelta(days=2)).ctl
    )


def test_vectorised_path_on_a_large_random_club_matches_scalar() -> None:
    rng = np.random.default_rng(5)
    rows = []
    for athlete in range(4):
        for d in range(120):
            if rng.random() < 0.6:
                rows.append((f"p{athlete}", D0 + dt.timedelta(days=d), rng.uniform(0, 10),
                             rng.uniform(5, 150)))
    frame = pd.DataFrame(rows, columns=["athlete", "date", "rpe", "minutes"])
    vector = daily_series(frame)
    for athlete, group in frame.groupby("athlete"):
        sessions = [SessionLoad(r.date, r.rpe, r.minutes) for r in group.itertuples()]
        scalar = scalar_table(sessions)
        mine = vector[vector.athlete == athlete]
        for row, expected in zip(mine.itertuples(index=False), scalar, strict=True):
            for name, value in zip(METRICS, expected, strict=True):
                assert same(value, getattr(row, name))
