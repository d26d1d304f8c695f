"""Catalogue, templates, dose scaling and the pain guard."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.catalogue import load_catalogue, parse_catalogue
from planner.daily import CheckInView, DayContext, plan_day
from planner.session import guard_pain, scale_session, template_session

MONDAY = dt.date(2026, 11, 23)


def test_shipped_catalogue_resolves_every_reference() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.exercises) >= 30
    assert {"general", "aerobic-base", "upper-strength"} <= set(catalogue.templates)


def test_unknown_variant_is_refused_with_its_name() -> None:
    exercises = ("exercises:\n  - {id: a, name: A, modality: strength, unit: reps, "
                 "easier: ghost}\n")
    with pytest.raises(ValueError, match="ghost"):
        parse_catalogue(exercises, "templates: {}\n")


def test_template_gives_table3_style_session_on_training_days() -> None:
    session = template_session(load_catalogue(), "general", MONDAY)
    lines = [p.describe() for p in session.prescriptions]
    assert lines[0] == "Plank (flat support): 3 x 34 s, rest 35 s"
    assert any("km at 5:42/km" in line for line in lines)
    assert template_session(load_catalogue(), "general", MONDAY + dt.timedelta(days=1)).is_rest


def test_scaling_changes_reps_and_seconds_not_sets() -> None:
    session = template_session(load_catalogue(), "general", MONDAY)
    scaled = scale_session(session, 1.1, 0.85)
    plank = scaled.prescriptions[0]
    assert plank.sets == 3 and plank.seconds == round(34 * 1.1 * 0.85)
    assert scaled.intensity_factor == pytest.approx(1.1)
    assert scaled.volume_factor == pytest.approx(0.85)
    with pytest.raises(ValueError):
        scale_session(session, 0, 1)


def test_pain_regresses_or_removes_every_exercise_loading_the_site() -> None:
    catalogue = load_catalogue()
    session = template_session(catalogue, "general", MONDAY)
    guarded, changes = guard_pain(session, catalogue, ["shoulder"])
    for p in guarded.prescriptions:
        assert "shoulder" not in catalogue.exercise(p.exercise_id).loads
    assert ("push_up", "wall_push_up") in changes or ("push_up", None) in changes


def test_pain_blocks_a_two_week_increase() -> None:
    start = MONDAY - dt.timedelta(days=14)
    good = [CheckInView(start + dt.timedelta(days=i), rpe=5, minutes=40, sentiment_level=1)
            for i in range(14)]
    up = plan_day(DayContext(today=MONDAY, start_day=start, checkins=good))
    assert up.session.intensity_factor == pytest.approx(1.1)
    hurt = [*good, CheckInView(MONDAY, rpe=5, minutes=40, sentiment_level=1,
                               pain_sites=("knee",))]
    held = plan_day(DayContext(today=MONDAY, start_day=start, checkins=hurt))
    assert held.session.intensity_factor == pytest.approx(1.0)
    assert held.explanation.rules[0].code == "pain_guard"
    assert held.explanation.rules[0].inputs["increase_blocked"] is True


def test_same_history_gives_the_same_decision() -> None:
    ctx = DayContext(today=MONDAY, checkins=[CheckInView(MONDAY, rpe=9, minutes=80,
                                                         sentiment_level=-1)],
                     frbi_by_day={MONDAY: 1.31})
    assert plan_day(ctx) == plan_day(ctx)
    assert plan_day(ctx).session.volume_factor == pytest.approx(0.8)


def test_every_template_the_grouping_model_can_name_exists() -> None:
    from models.items import TEMPLATES

    assert set(TEMPLATES) <= set(load_catalogue().templates)
