"""An athlete's own week narrows the scheduler's constraints; bad input says how to fix it."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.catalogue import load_catalogue
from planner.session import fit_to_minutes, template_session
from planner.week_prefs import WeekPreferences, constraints_for, parse_week_prefs


def test_parse_sessions_minutes_and_days() -> None:
    prefs = parse_week_prefs(["4", "45min", "Mon,", "wed", "friday", "sat"])
    assert prefs == WeekPreferences(4, 45.0, (1, 3, 5, 6))
    assert prefs.describe() == "4 sessions of 45 min on Mon, Wed, Fri, Sat"
    assert parse_week_prefs(["3", "30"]).days == (1, 2, 3, 4, 5, 6, 7)
    assert WeekPreferences.from_dict(prefs.as_dict()) == prefs


@pytest.mark.parametrize(("words", "message"), [
    (["4"], "how many sessions and how many minutes"),
    (["9", "45"], "between 1 and 7"),
    (["4", "200"], "between 15 and 120"),
    (["4", "45", "mon", "tue"], "need at least 4 days"),
    (["4", "45", "someday"], "don't understand 'someday'"),
])
def test_bad_preferences_say_what_is_wrong(words: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_week_prefs(words)


def test_constraints_follow_the_preferences() -> None:
    default = constraints_for(None, hr_rest=60, hr_max=190)
    assert (default.min_sessions, default.max_sessions) == (4, 6)
    mine = constraints_for(WeekPreferences(3, 50, (1, 3, 5)), hr_rest=60, hr_max=190)
    assert (mine.min_sessions, mine.max_sessions, mine.min_minutes, mine.max_minutes) == (
        3, 3, 50, 50)
    assert mine.available_days == (0, 2, 4)


def test_a_session_is_framed_and_sized_towards_its_slot() -> None:
    catalogue = load_catalogue()
    monday = dt.date(2026, 11, 23)
    session = template_session(catalogue, "general", monday)
    for slot in (35.0, 45.0, 60.0):
        fitted = fit_to_minutes(session, slot, catalogue)
        ids = [p.exercise_id for p in fitted.prescriptions]
        assert ids[0] == "warm_up" and ids[-1] == "cool_down"
        assert slot - 12 <= fitted.estimated_minutes() <= slot + 1, slot
        main = fitted.prescriptions[1:-1]
        assert all(a.reps == b.reps and a.pace_s_per_km == b.pace_s_per_km
                   for a, b in zip(session.prescriptions, main, strict=True))
    short = fit_to_minutes(session, 20.0, catalogue)  # no frame below 30 min
    assert short.prescriptions[0].exercise_id != "warm_up"
    rest = template_session(catalogue, "general", monday + dt.timedelta(days=1))
    assert fit_to_minutes(rest, 60, catalogue) == rest


def test_the_days_minutes_and_heart_rate_from_the_schedule_reach_the_reply() -> None:
    from bot.render import session_text
    from planner.daily import DayContext, plan_day

    monday = dt.date(2026, 11, 23)
    planned = plan_day(DayContext(today=monday, minutes_by_weekday={1: 50.0},
                                  hr_by_weekday={1: 152.0}))
    rule = next(r for r in planned.explanation.rules if r.code == "scheduled_minutes")
    assert rule.inputs["target_hr"] == 152.0 and rule.inputs["slot_minutes"] == 50.0
    assert "about 152 bpm" in rule.sentence and "Monday" in rule.sentence
    assert "Heart rate in the aerobic parts: about 152 bpm." in session_text(planned)
    assert 38 <= planned.session.estimated_minutes() <= 51
    rest = plan_day(DayContext(today=monday + dt.timedelta(days=1),
                               minutes_by_weekday={1: 50.0}, hr_by_weekday={2: 150.0}))
    assert rest.inputs["target_hr"] is None and "bpm" not in session_text(rest)
    from planner.daily import CheckInView

    hurt = plan_day(DayContext(today=monday, minutes_by_weekday={1: 50.0},
                               hr_by_weekday={1: 152.0},
                               checkins=(CheckInView(monday, pain_sites=("knee",)),)))
    assert hurt.inputs["target_hr"] is None and "bpm" not in session_text(hurt)


def test_an_athletes_habit_narrows_the_default_week_only_from_enough_sessions() -> None:
    from planner.week_prefs import habitual

    default = constraints_for(None, hr_rest=60, hr_max=190)
    few = [0.0] * 23 + [75.0] * 5
    assert habitual(default, few) == default
    five_long = ([75.0] * 5 + [0.0, 0.0]) * 4  # five sessions of 75 min a week
    mine = habitual(default, five_long)
    assert mine.min_sessions == 5 and mine.max_sessions == 6
    assert mine.min_minutes == 60.0 and mine.max_minutes == 90.0
    short = ([20.0] * 4 + [0.0] * 3) * 4  # short sessions keep the paper's 35-60
    assert (habitual(default, short).min_minutes, habitual(default, short).max_minutes) == (
        35.0, 60.0)
    daily_double = [130.0] * 28  # never beyond 120 min, never beyond 6 sessions
    capped = habitual(default, daily_double)
    assert capped.max_minutes == 120.0 and capped.min_sessions == 6
