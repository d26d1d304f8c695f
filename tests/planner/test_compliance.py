"""Planned vs done: each planned session's outcome and the week's compliance."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.compliance import PlannedVsDone, classify, compliance

TODAY = dt.date(2026, 12, 3)
YESTERDAY = TODAY - dt.timedelta(days=1)


def _day(minutes: float | None, **kw: object) -> PlannedVsDone:
    return PlannedVsDone(day=YESTERDAY, planned_minutes=50.0, rest=False,
                         done_minutes=minutes, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("done", "outcome"), [(0, "skipped"), (20, "partial"), (39, "partial"),
                                               (40, "done"), (59, "done"), (60, "overdone"),
                                               (90, "overdone")])
def test_minutes_against_the_plan_with_the_stated_tolerances(done: float, outcome: str) -> None:
    assert classify(_day(done), TODAY) == outcome


def test_the_same_minutes_much_harder_than_usual_is_overdone() -> None:
    usual = _day(50, done_load=50 * 5, usual_rpe=5.0)
    harder = _day(50, done_load=50 * 7, usual_rpe=5.0)
    assert classify(usual, TODAY) == "done" and classify(harder, TODAY) == "overdone"


def test_no_report_is_skipped_once_the_day_is_over_and_today_waits() -> None:
    assert classify(_day(None), TODAY) == "skipped"
    today = PlannedVsDone(day=TODAY, planned_minutes=50.0, rest=False)
    assert classify(today, TODAY) is None


def test_exercise_marks_without_minutes() -> None:
    assert classify(_day(None, exercises_done=4, exercises_skipped=1), TODAY) == "done"
    assert classify(_day(None, exercises_done=2, exercises_skipped=3), TODAY) == "partial"
    assert classify(_day(None, exercises_skipped=3), TODAY) == "skipped"


def test_a_rest_day_kept_is_not_judged_and_training_on_it_is_overdone() -> None:
    rest = PlannedVsDone(day=YESTERDAY, planned_minutes=0.0, rest=True)
    assert classify(rest, TODAY) is None
    trained = PlannedVsDone(day=YESTERDAY, planned_minutes=0.0, rest=True, done_minutes=40)
    assert classify(trained, TODAY) == "overdone"


def test_compliance_is_the_mean_credit_of_the_judged_sessions() -> None:
    assert compliance(["done", "partial", "skipped", "overdone", None]) == pytest.approx(0.5)
    assert compliance([None, None]) is None


@given(st.floats(0.0, 300.0))
def test_every_reported_session_gets_exactly_one_outcome(done: float) -> None:
    assert classify(_day(done), TODAY) in ("done", "partial", "skipped", "overdone")
