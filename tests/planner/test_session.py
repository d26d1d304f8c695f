"""Catalogue, templates, dose scaling and the pain guard."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu import PAIN_SITES, extract
from planner.catalogue import Catalogue, load_catalogue, parse_catalogue
from planner.daily import CheckInView, DayContext, plan_day
from planner.session import (
    UNSPECIFIED_PAIN_SITE,
    Session,
    guard_pain,
    prescribe,
    scale_session,
    template_session,
)

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
    assert held.explanation.rules[0].inputs["raise_held_back"] is True


def test_same_history_gives_the_same_decision() -> None:
    ctx = DayContext(today=MONDAY, checkins=[CheckInView(MONDAY, rpe=9, minutes=80,
                                                         sentiment_level=-1)],
                     frbi_by_day={MONDAY: 1.31})
    assert plan_day(ctx) == plan_day(ctx)
    assert plan_day(ctx).session.volume_factor == pytest.approx(0.8)


def test_every_template_the_grouping_model_can_name_exists() -> None:
    from models.items import TEMPLATES

    assert set(TEMPLATES) <= set(load_catalogue().templates)


#: Sites nlu can emit that no catalogue exercise loads, each with the reason. Keep this list
#: short and honest: a site here is protected only by "no increase" (planner.daily).
NOT_LOADED_BY_ANY_EXERCISE = {
    "head": "a headache loads no muscle, joint or tendon the catalogue lists",
}


def _every_exercise(catalogue: Catalogue) -> Session:
    return Session(
        day=MONDAY,
        title="every exercise",
        prescriptions=tuple(prescribe(e) for e in catalogue.exercises.values()),
    )


@pytest.mark.parametrize("site", PAIN_SITES)
def test_every_site_nlu_can_emit_regresses_or_removes_what_loads_it(site: str) -> None:
    catalogue = load_catalogue()
    guarded, changes = guard_pain(_every_exercise(catalogue), catalogue, [site])
    if site in NOT_LOADED_BY_ANY_EXERCISE:
        assert changes == [], f"{site} is loaded now: drop it from NOT_LOADED_BY_ANY_EXERCISE"
        return
    assert changes, f"pain at {site!r} protects no exercise: list it in loads or site_structures"
    forbidden = catalogue.structures([site])
    for p in guarded.prescriptions:
        assert not forbidden.intersection(catalogue.exercise(p.exercise_id).loads), p


def test_exceptions_are_sites_nlu_really_emits() -> None:
    assert set(NOT_LOADED_BY_ANY_EXERCISE) <= set(PAIN_SITES)


@pytest.mark.parametrize(
    ("text", "site", "protected"),
    [
        ("my back hurts", "back", {"plank", "crunch", "squat", "pull_up"}),
        ("quad strain", "quad", {"squat", "lunge", "easy_run", "bike_easy"}),
        ("glute pain", "glute", {"glute_bridge", "squat", "lunge"}),
        ("it band pain", "it_band", {"easy_run", "bike_easy", "squat"}),
        ("hip flexor tweaked", "hip_flexor", {"sit_up", "hip_flexor_stretch", "sprints"}),
        ("pulled my pec", "chest", {"push_up", "knee_push_up"}),
        ("stubbed my toe, it hurts", "toe", {"easy_run", "calf_raise", "sprints"}),
    ],
)
def test_pain_said_in_words_reaches_the_exercises_that_load_it(
    text: str, site: str, protected: set[str]
) -> None:
    catalogue = load_catalogue()
    assert site in extract(text).pain_sites
    _, changes = guard_pain(_every_exercise(catalogue), catalogue, extract(text).pain_sites)
    assert protected <= {old for old, _ in changes}


def test_unspecified_pain_changes_no_exercise_but_blocks_any_increase() -> None:
    catalogue = load_catalogue()
    session = template_session(catalogue, "general", MONDAY)
    assert guard_pain(session, catalogue, [UNSPECIFIED_PAIN_SITE]) == (session, [])
    assert guard_pain(session, catalogue, ["tongue"]) == (session, [])  # unknown: no crash
    start = MONDAY - dt.timedelta(days=14)
    good = [CheckInView(start + dt.timedelta(days=i), rpe=5, minutes=40, sentiment_level=1)
            for i in range(14)]
    hurt = [*good, CheckInView(MONDAY, rpe=5, minutes=40, pain_sites=(UNSPECIFIED_PAIN_SITE,))]
    held = plan_day(DayContext(today=MONDAY, start_day=start, checkins=hurt))
    assert held.session.intensity_factor == pytest.approx(1.0)
    rule = held.explanation.rules[0]
    assert rule.code == "pain_guard" and rule.inputs["raise_held_back"] is True
    assert rule.sentence.startswith("You reported pain, so nothing gets harder.")
    assert "would have raised intensity 10%" in rule.sentence


def test_site_structure_naming_an_unloaded_structure_is_refused() -> None:
    exercises = (
        "exercises:\n  - {id: a, name: A, modality: strength, unit: reps, loads: [knee]}\n"
        "site_structures:\n  quad: [knee, kneee]\n"
    )
    with pytest.raises(ValueError, match="kneee"):
        parse_catalogue(exercises, "templates: {}\n")
