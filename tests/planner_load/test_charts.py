"""Charts render to PNG bytes without a display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest

from planner import charts
from planner.loadseries import daily_series
from planner.loadtypes import LoadMetrics, SessionLoad, WellnessDay
from planner.readiness import metrics_history

PNG = b"\x89PNG\r\n\x1a\n"
D0 = dt.date(2024, 1, 1)


def history() -> list[LoadMetrics]:
    sessions = [SessionLoad(D0 + dt.timedelta(days=i), 3 + i % 5, 50) for i in range(45)]
    wellness = [WellnessDay(D0 + dt.timedelta(days=i), 2 + i % 3, 2, 3, 2) for i in range(45)]
    return metrics_history(sessions, wellness, D0, D0 + dt.timedelta(days=44))


@pytest.mark.parametrize(
    "draw",
    [charts.pmc_chart, charts.acwr_chart, charts.weekly_load_chart, charts.wellness_chart,
     charts.report_chart],
)
def test_each_chart_is_a_png(draw: Callable[[list[LoadMetrics]], bytes]) -> None:
    assert draw(history()).startswith(PNG)


def test_charts_accept_a_daily_series_frame() -> None:
    frame = daily_series(pd.DataFrame({
        "athlete": ["a"] * 30, "date": [D0 + dt.timedelta(days=i) for i in range(30)],
        "rpe": [5] * 30, "minutes": [40] * 30,
    }))
    assert charts.pmc_chart(frame).startswith(PNG)
    assert charts.report_chart(frame, "a").startswith(PNG)


def test_team_chart_keeps_athletes_without_acwr() -> None:
    items = history()
    assert charts.team_chart([("Ann", items[-1]), ("Bob", items[3])]).startswith(PNG)


def test_empty_history_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no days"):
        charts.pmc_chart([])
