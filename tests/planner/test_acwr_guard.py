"""The ACWR guard: back from a break the day is shortened so the 7/28-day load ratio does not
spike past 1.5; a steady athlete, a short history and an FRBI day are left alone."""

from __future__ import annotations

import datetime as dt

from planner.daily import (
    ACWR_VOLUME_FLOOR,
    PLAN_STEPS,
    CheckInView,
    DayContext,
    plan_day,
)

TODAY = dt.date(2026, 12, 7)  # a Monday: the general template trains


def _history(days: int, gap: range = range(0)) -> tuple[CheckInView, ...]:
    """Daily RPE 5 x 50 min for ``days`` days before today, none on the ``gap`` days back."""
    return tuple(CheckInView(day=TODAY - dt.timedelta(days=k), rpe=5, minutes=50)
                 for k in range(1, days + 1) if k not in gap)


def _codes(ctx: DayContext) -> list[str]:
    return [r.code for r in plan_day(ctx).explanation.rules]


def test_the_guard_runs_after_the_load_rules_and_before_the_coach() -> None:
    order = [s.name for s in PLAN_STEPS]
    assert order.index("frbi_or_policy") < order.index("acwr_guard") < order.index(
        "coach_override")


def test_back_from_a_break_the_day_is_shortened_never_more_than_halved() -> None:
    # training, two weeks off, then six days of the usual load again: the acute week is full
    # while the 28 days still hold the break, so a seventh full day spikes the ratio
    ctx = DayContext(today=TODAY, checkins=_history(35, gap=range(7, 21)),
                     training_days=(1, 3, 5))
    planned = plan_day(ctx)
    [rule] = [r for r in planned.explanation.rules if r.code == "acwr_guard"]
    assert rule.inputs["acwr_if_full"] > 1.5
    factor = rule.inputs["volume_factor"]
    assert ACWR_VOLUME_FLOOR <= factor < 1.0
    assert planned.session.volume_factor < 1.0
    assert any("building back gradually" in s for s in planned.explanation.sentences)


def test_a_steady_athlete_and_a_short_history_are_left_alone() -> None:
    assert "acwr_guard" not in _codes(DayContext(today=TODAY, checkins=_history(35),
                                                 training_days=(1, 3, 5)))
    # only two weeks known: the ratio means nothing yet, whatever it reads
    assert "acwr_guard" not in _codes(DayContext(today=TODAY, checkins=_history(14, range(3, 12)),
                                                 training_days=(1, 3, 5)))


def test_on_a_day_frbi_cut_the_guard_adds_no_second_cut() -> None:
    ctx = DayContext(today=TODAY, checkins=_history(35, gap=range(7, 21)),
                     training_days=(1, 3, 5), frbi_by_day={TODAY - dt.timedelta(days=1): 1.6})
    codes = _codes(ctx)
    assert "frbi_cut" in codes and "acwr_guard" not in codes


def test_the_first_day_back_is_ramped_for_the_week_ahead() -> None:
    """Ten days off until yesterday: today's ratio reads low (nothing done this week), but the
    week planned in full (50 min every day) would end far above 1.5, so today is shortened
    already; the same history with a light week ahead is left alone."""
    history = _history(35, gap=range(1, 11))
    every_day = {weekday: 50.0 for weekday in range(1, 8)}
    planned = plan_day(DayContext(today=TODAY, checkins=history, minutes_by_weekday=every_day))
    [rule] = [r for r in planned.explanation.rules if r.code == "acwr_guard"]
    assert rule.inputs["acwr_today_if_full"] < 1.0 < 1.5 < rule.inputs["acwr_week_end_if_full"]
    assert ACWR_VOLUME_FLOOR <= rule.inputs["volume_factor"] < 1.0
    assert any("this week's plan would take" in s for s in planned.explanation.sentences)
    light = {1: 30.0, 4: 30.0}
    assert "acwr_guard" not in _codes(DayContext(today=TODAY, checkins=history,
                                                 minutes_by_weekday=light))
