"""The adjustment rules: two-week rule, FRBI cut, pain guard."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.rules import (
    DayEvidence,
    active_pain_sites,
    exercise_level,
    frbi_cut,
    replay_intensity,
    two_week_decision,
)

START = dt.date(2026, 10, 5)


def _block(exercise: list[int | None], sentiment: list[int | None]) -> list[DayEvidence]:
    return [
        DayEvidence(START + dt.timedelta(days=i), e, s)
        for i, (e, s) in enumerate(zip(exercise, sentiment, strict=True))
    ]


def test_negative_sentiment_with_hard_sessions_lowers_intensity_10_percent() -> None:
    change, rule = two_week_decision(_block([-1, 0, -1, 0, -1, 0], [-1, -1, 0, -1, -1, 0]))
    assert change == pytest.approx(-0.10)
    assert rule.code == "two_week_down" and "10% lower" in rule.sentence


def test_positive_sentiment_with_completed_sessions_raises_intensity_10_percent() -> None:
    change, rule = two_week_decision(_block([1, 1, 0, 1, 1], [1, 1, 1, 0, 1]))
    assert change == pytest.approx(0.10)
    assert rule.code == "two_week_up"


def test_mixed_evidence_holds() -> None:
    # The PE paper's own two-week example (levels as printed in its text).
    exercise = [1, 0, 0, -1, 1, 0, 0, -1, 1, 1]
    sentiment = [-1, 1, 0, 1, -1, -1, 1, 0, -1, -1]
    change, rule = two_week_decision(_block(exercise, sentiment))
    assert change == 0.0 and rule.code == "two_week_hold"


def test_too_few_reported_days_hold() -> None:
    change, rule = two_week_decision(_block([1, 1, 1], [1, 1, 1]))
    assert change == 0.0 and rule.code == "two_week_hold_little_data"


def test_replay_applies_the_rule_only_at_block_boundaries() -> None:
    evidence = {d.day: d for d in _block([1] * 14, [1] * 14)}
    inside = replay_intensity(START, START + dt.timedelta(days=13), evidence)
    after = replay_intensity(START, START + dt.timedelta(days=14), evidence)
    assert inside.factor == 1.0
    assert after.factor == pytest.approx(1.10) and after.previous_factor == 1.0


LEVEL = st.sampled_from([-1, 0, 1, None])


@given(st.lists(st.tuples(LEVEL, LEVEL), min_size=0, max_size=120))
def test_replayed_intensity_stays_within_bounds(
    levels: list[tuple[int | None, int | None]],
) -> None:
    evidence = {START + dt.timedelta(days=i): DayEvidence(START + dt.timedelta(days=i), e, s)
                for i, (e, s) in enumerate(levels)}
    state = replay_intensity(START, START + dt.timedelta(days=len(levels)), evidence)
    assert 0.7 <= state.factor <= 1.3


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        ({"rpe": 9}, -1),
        ({"rpe": 5, "done": 4}, 1),
        ({"rpe": 7, "done": 4}, 0),
        ({"rpe": 5, "done": 1, "too_hard": 1}, -1),
        ({"rpe": 5, "done": 1, "skipped": 3}, -1),
        ({"rpe": 5, "minutes_done": 20, "minutes_planned": 60}, -1),
        ({"rpe": 5, "minutes_done": 58, "minutes_planned": 60}, 1),
        ({"rpe": None}, None),
    ],
)
def test_exercise_levels(kwargs: dict[str, float], expected: int | None) -> None:
    assert exercise_level(**kwargs) == expected


def test_frbi_above_threshold_cuts_15_percent_for_four_days() -> None:
    day = dt.date(2026, 11, 2)
    series = {day: 1.27}
    for offset in range(4):
        volume, rule = frbi_cut(series, day + dt.timedelta(days=offset))
        assert volume == pytest.approx(0.85)
        assert rule is not None and "1.27" in rule.sentence
    volume, rule = frbi_cut(series, day + dt.timedelta(days=4))
    assert (volume, rule) == (1.0, None)


def test_frbi_well_above_threshold_cuts_20_percent() -> None:
    day = dt.date(2026, 11, 2)
    volume, _ = frbi_cut({day: 1.45}, day)
    assert volume == pytest.approx(0.80)


def test_frbi_at_threshold_does_not_cut() -> None:
    day = dt.date(2026, 11, 2)
    assert frbi_cut({day: 1.2, day - dt.timedelta(days=1): None}, day) == (1.0, None)


def test_pain_is_active_for_three_days() -> None:
    day = dt.date(2026, 11, 2)
    pain = {day: ["knee"], day + dt.timedelta(days=1): ["ankle"]}
    assert active_pain_sites(pain, day + dt.timedelta(days=2)) == ("ankle", "knee")
    assert active_pain_sites(pain, day + dt.timedelta(days=3)) == ("ankle",)


def test_one_frbi_episode_cuts_four_days_not_more() -> None:
    day = dt.date(2026, 11, 2)
    series = {day + dt.timedelta(days=i): 1.5 for i in range(7)}  # a week-long spike
    cuts = [frbi_cut(series, day + dt.timedelta(days=i))[0] for i in range(7)]
    assert cuts == [0.8, 0.8, 0.8, 0.8, 1.0, 1.0, 1.0]
