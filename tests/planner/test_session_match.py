"""Matching one session recorded several times (upload, intervals.icu, Strava)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.session_match import Recording, find_match, is_richer, same_session

T0 = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)


def rec(minutes_late: float = 0.0, duration_min: float = 60.0, **kw: object) -> Recording:
    return Recording(T0 + dt.timedelta(minutes=minutes_late), duration_min * 60, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("late", "duration", "same"),
    [
        (0, 60, True),  # the same file seen twice
        (4.9, 60, True),  # a service that rounds the start, a watch started late
        (5.1, 60, False),  # past the 5 min start tolerance
        (0, 54.5, True),  # 9 % shorter (auto-pause): within 10 %
        (0, 53, False),  # 11.7 % shorter: another session
        (-3, 63, True),
    ],
)
def test_start_and_duration_tolerances(late: float, duration: float, same: bool) -> None:
    assert same_session(rec(), rec(late, duration)) is same


def test_short_sessions_get_the_three_minute_floor() -> None:
    # 15 min jog: 10 % is 90 s, but a stop pressed 2.5 min late is the same jog
    assert same_session(rec(duration_min=15), rec(duration_min=17.5))
    assert not same_session(rec(duration_min=15), rec(duration_min=18.5))


def test_two_sessions_on_one_morning_are_told_apart() -> None:
    warm_up, race = rec(0, 20, key="warm-up"), rec(30, 40, key="race")
    assert find_match(rec(31, 41), [warm_up, race]) == race
    assert find_match(rec(1, 20), [warm_up, race]) == warm_up
    assert find_match(rec(120, 40), [warm_up, race]) is None


def test_the_closest_start_wins_among_candidates() -> None:
    a, b = rec(-4, 60, key="a"), rec(1, 60, key="b")
    assert find_match(rec(), [a, b]) == b


def test_streams_beat_a_summary_and_power_beats_heart_rate_alone() -> None:
    summary = rec(heart_rate=True)
    fit_hr = rec(streams=True, heart_rate=True)
    fit_hr_power = rec(streams=True, heart_rate=True, power=True)
    assert is_richer(fit_hr, summary) and not is_richer(summary, fit_hr)
    assert is_richer(fit_hr_power, fit_hr) and not is_richer(fit_hr, fit_hr_power)
    assert not is_richer(fit_hr, rec(streams=True, heart_rate=True))  # a tie keeps the stored


def test_naive_times_are_refused() -> None:
    naive = Recording(dt.datetime(2026, 11, 20, 7, 0), 3600)
    with pytest.raises(ValueError, match="timezone-aware"):
        same_session(naive, rec())


def test_more_sampled_channels_break_a_tie_between_two_recordings_with_streams() -> None:
    hr_only = rec(streams=True, heart_rate=True, channels=1)
    hr_cadence_speed = rec(streams=True, heart_rate=True, channels=3)
    assert is_richer(hr_cadence_speed, hr_only) and not is_richer(hr_only, hr_cadence_speed)
    # channels count only with samples: a summary never gains by what it claims
    assert not is_richer(rec(heart_rate=True, channels=4), rec(heart_rate=True))
    # and never outweigh power
    assert is_richer(rec(streams=True, heart_rate=True, power=True, channels=2), hr_cadence_speed)
