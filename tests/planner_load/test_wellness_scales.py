"""Other questionnaire scales and directions mapped onto Hooper's 1-7 (planner.wellness_scales)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.baseline import trailing_baseline
from planner.wellness_scales import ItemScale, parse_scale, parse_wellness_items


def test_one_to_five_higher_better_maps_best_to_one_and_worst_to_seven() -> None:
    scale = parse_scale("1-5", higher_is_better=True)
    assert scale.to_ours(np.array([5.0, 3.0, 1.0])).tolist() == [1.0, 4.0, 7.0]


@pytest.mark.parametrize(
    ("text", "better", "answers", "ours"),
    [("1-7", False, [1, 7], [1, 7]), ("0-100", False, [0, 50, 100], [1, 4, 7]),
     ("1-10", True, [10, 1], [1, 7]), ("0-10", True, [10, 0], [1, 7])],
)
def test_each_form_spans_our_whole_scale(
    text: str, better: bool, answers: list[float], ours: list[float]
) -> None:
    mapped = parse_scale(text, better).to_ours(np.array(answers, dtype=float))
    assert mapped.tolist() == pytest.approx(ours)


@pytest.mark.parametrize(
    ("text", "step"), [("1-5", 1.5), ("1-7", 1.0), ("1-10", 6 / 9), ("0-100", 0.6)]
)
def test_smallest_change_is_one_answer_step_or_a_tenth_of_a_fine_scale(
    text: str, step: float
) -> None:
    assert parse_scale(text).smallest_change == pytest.approx(step)


@given(st.floats(min_value=1, max_value=5), st.booleans())
def test_from_ours_undoes_to_ours(answer: float, better: bool) -> None:
    scale = ItemScale(1, 5, better)
    assert scale.from_ours(float(scale.to_ours(np.array([answer]))[0])) == pytest.approx(answer)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=16, max_size=40), st.booleans())
def test_mapping_leaves_every_z_score_unchanged_up_to_its_direction(
    answers: list[int], better: bool
) -> None:
    scale = ItemScale(1, 5, better)
    raw = np.array(answers, dtype=float)
    on_raw = trailing_baseline(raw, floor=1.0).z
    on_ours = trailing_baseline(scale.to_ours(raw), floor=scale.smallest_change).z
    sign = -1.0 if better else 1.0
    assert np.allclose(on_ours, sign * on_raw, equal_nan=True)


def test_items_take_the_default_scale_unless_they_say_their_own() -> None:
    items = parse_wellness_items(
        "fatigue=Fatigue,sleep_quality=Sleep:1-10:higher-is-better, mood = Mood ", "1-5"
    )
    assert [(i.name, i.column) for i in items] == [
        ("fatigue", "Fatigue"), ("sleep_quality", "Sleep"), ("mood", "Mood")]
    assert items[0].scale == ItemScale(1, 5, False)
    assert items[1].scale == ItemScale(1, 10, True)


def test_a_per_item_direction_overrides_higher_is_better() -> None:
    items = parse_wellness_items("fatigue=f:higher-is-worse,mood=m", "1-5", higher_is_better=True)
    assert [i.scale.higher_is_better for i in items] == [False, True]


@pytest.mark.parametrize(
    ("spec", "default", "message"),
    [
        ("tiredness=t", "1-5", "fatigue, soreness, stress, sleep_quality, mood"),
        ("fatigue", "1-5", "item=COLUMN"),
        ("fatigue=", "1-5", "names no column"),
        ("fatigue=a,fatigue=b", "1-5", "given twice"),
        ("fatigue=a:1-5:1-7", None, "given twice"),
        ("fatigue=a:better", "1-5", "higher-is-better or higher-is-worse"),
        ("fatigue=a,,mood=b", "1-5", "empty entry"),
        ("", "1-5", "empty"),
        ("fatigue=a", None, "--wellness-scale 1-5"),
        ("fatigue=a", "5-1", "backwards"),
        ("fatigue=a", "1..5", "LOW-HIGH"),
        ("fatigue=a:3-3", None, "backwards or is empty"),
    ],
)
def test_malformed_item_lists_are_refused_with_the_right_form(
    spec: str, default: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        parse_wellness_items(spec, default)
    assert message in str(caught.value)
