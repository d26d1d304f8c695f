"""Availability: parsing with clear refusals, the week scheduler planning around it, days away
and two sessions a day in the daily plan."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from planner.aco import ObjectiveParams, plan_week
from planner.availability import (
    Availability,
    Blackout,
    DayLimit,
    narrow,
    parse_blackout,
    parse_day_limits,
)
from planner.daily import DayContext, plan_day
from planner.sim.athletes import sample_athletes
from planner.sim.dynamics import initial_state
from planner.sim.surrogate import nominal_athlete
from planner.week import WeekConstraints, violation

TODAY = dt.date(2026, 12, 4)  # a Friday
MONDAY = dt.date(2026, 12, 7)


def _params() -> ObjectiveParams:
    athlete = sample_athletes(1, "college", 3)[0]
    return ObjectiveParams(nominal_athlete(athlete), initial_state(athlete))


def test_day_limits_parse_several_days_kinds_and_two_sessions() -> None:
    limits = parse_day_limits("mon wed 45; tue off; thu 60 gym stretching; sat 2x40")
    assert limits[1] == limits[3] == DayLimit(45.0)
    assert limits[2].minutes == 0
    assert limits[4] == DayLimit(60.0, ("strength", "flexibility"))
    assert limits[6] == DayLimit(40.0, (), 2)


@pytest.mark.parametrize(("text", "said"), [
    ("mon 45; mon 30", "named twice"),
    ("funday 30", "not a weekday"),
    ("mon 2000", "more than a day has"),
    ("mon 130", "between 15 and 120"),
    ("sat 2x75", "at most 60 minutes each"),
    ("wed 30 yoga", "unknown kind of work"),
    ("mon", "say the minutes"),
    ("45", "start each part with a weekday"),
    ("tue off strength", "an off day takes no kinds"),
])
def test_bad_day_limits_are_refused_with_the_reason(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse_day_limits(text)


@pytest.mark.parametrize(("words", "said"), [
    (["2026-12-14..2026-12-10"], "runs backwards"),
    (["2026-12-32"], "not a date"),
    (["2026-11-01"], "already past"),
    (["2028-01-01"], "more than a year ahead"),
    (["2026-12-10..2027-06-01"], "at most 92 days"),
    ([], "say which days"),
])
def test_bad_blackouts_are_refused_with_the_reason(words: list[str], said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse_blackout(words, TODAY)


def test_blackouts_round_trip_refuse_overlaps_and_drop_past_ones() -> None:
    one = parse_blackout(["2026-12-10..2026-12-14", "exams"], TODAY)
    a = Availability().with_blackout(one, TODAY)
    with pytest.raises(ValueError, match="overlaps"):
        a.with_blackout(parse_blackout(["2026-12-14..2026-12-16"], TODAY), TODAY)
    later = a.with_blackout(parse_blackout(["2026-12-20", "travel"], TODAY), TODAY)
    assert Availability.from_dict(later.as_dict()) == later
    # a month on, the exams are past and are dropped when the next one is added
    month_on = dt.date(2027, 1, 5)
    pruned = later.with_blackout(parse_blackout(["2027-01-10"], month_on), month_on)
    assert [b.start for b in pruned.blackouts] == [dt.date(2027, 1, 10)]
    with pytest.raises(ValueError, match="no blackout starts"):
        pruned.without_blackout(dt.date(2027, 2, 1))


def test_aco_trains_only_on_days_left_and_inside_each_days_limits() -> None:
    availability = Availability(
        parse_day_limits("mon 25; tue off; thu 60 strength flexibility"),
        (Blackout(dt.date(2026, 12, 11), dt.date(2026, 12, 12), "travel"),),  # Fri, Sat
    )
    c = narrow(WeekConstraints(), availability, MONDAY)
    assert c is not None and c.available_days == (0, 2, 3, 6)
    week = plan_week(c, _params(), seed=1)
    assert week.violation == 0
    trained = {d.day for d in week.sessions}
    assert trained <= {0, 2, 3, 6} and len(trained) >= c.min_sessions
    for d in week.sessions:
        if d.day == 0:
            assert d.minutes <= 25
        if d.day == 3:
            assert d.modality in ("strength", "flexibility")


def test_a_week_wholly_away_has_no_constraints_left() -> None:
    away = Availability(blackouts=(Blackout(MONDAY, MONDAY + dt.timedelta(days=6)),))
    assert narrow(WeekConstraints(), away, MONDAY) is None
    assert narrow(WeekConstraints(), away, MONDAY + dt.timedelta(days=7)) is not None


def test_two_sessions_a_day_only_where_allowed_and_each_inside_its_limit() -> None:
    availability = Availability(parse_day_limits("sat sun 2x40"))
    c = narrow(WeekConstraints(max_sessions=6), availability)
    assert c is not None and c.double_days == (5, 6)
    week = plan_week(c, _params(), seed=2, iterations=60)
    assert week.violation == 0
    assert any(d.second is not None for d in week.days)  # this seed's week uses one
    for d in week.days:
        if d.second is not None:
            assert d.day in (5, 6)
            assert d.minutes <= 40 and d.second.minutes <= 40
    # the same day with a second session outside the allowed days is a violation
    monday = week.days[0]
    bad = (monday.__class__(0, "aerobic", 40, 0.6, 150,
                            second=monday.__class__(0, "strength", 40, 0.6, 150)),
           *week.days[1:])
    assert violation(bad, c) >= 1


def test_a_day_away_is_a_rest_day_with_the_reason_and_scheduled_rest_is_not_said() -> None:
    ctx = DayContext(today=dt.date(2026, 12, 10), training_days=(1, 3, 4, 6),
                     away_until=dt.date(2026, 12, 14), away_reason="exams")
    planned = plan_day(ctx)
    assert planned.session.is_rest
    codes = [r.code for r in planned.explanation.rules]
    assert codes[0] == "away" and "scheduled_rest" not in codes
    assert "exams" in planned.explanation.sentences[0]
    assert planned.inputs["away_until"] == "2026-12-14"


def test_the_second_session_splits_the_day_without_changing_any_dose() -> None:
    day = dt.date(2026, 12, 12)  # Saturday
    base = DayContext(today=day, training_days=(1, 3, 6), minutes_by_weekday={6: 80.0})
    split = DayContext(today=day, training_days=(1, 3, 6), minutes_by_weekday={6: 80.0},
                       second_by_weekday={6: ("aerobic", 35.0)})
    one, two = plan_day(base), plan_day(split)
    assert Counter(p.describe() for p in one.session.prescriptions) == Counter(
        p.describe() for p in two.session.prescriptions)
    at = two.inputs["second_session_at"]
    assert 0 < at < len(two.session.prescriptions)
    assert any(p.exercise_id not in ("warm_up", "cool_down")
               for p in two.session.prescriptions[:at])
    assert "second_session" in [r.code for r in two.explanation.rules]
    assert "second_session_at" not in one.inputs


@pytest.mark.parametrize(("text", "days"), [
    ("lun 30; mié libre; sáb 2x40", {1: 30.0, 3: 0.0, 6: 40.0}),
    ("Mo 30; Di frei; So 45", {1: 30.0, 2: 0.0, 7: 45.0}),
    ("пн 30; ср выходной", {1: 30.0, 3: 0.0}),
    ("周一 30; 周六 2x40; 周日 休息", {1: 30.0, 6: 40.0, 7: 0.0}),
])
def test_weekdays_and_days_off_in_the_bots_other_languages(text: str,
                                                           days: dict[int, float]) -> None:
    assert {d: v.minutes for d, v in parse_day_limits(text).items()} == days
