"""The week scheduler's modality of a day decides which of the template's exercises stay."""

from __future__ import annotations

import datetime as dt

from planner.catalogue import load_catalogue
from planner.daily import DayContext, plan_day
from planner.modality import apply_modality
from planner.session import template_session

MONDAY = dt.date(2026, 11, 23)  # "general": plank, knee push-ups, arm hang, push-ups, easy run
CATALOGUE = load_catalogue()


def _monday() -> tuple[str, ...]:
    session = template_session(CATALOGUE, "general", MONDAY)
    return tuple(p.exercise_id for p in session.prescriptions)


def _ids(ctx: DayContext) -> list[str]:
    return [p.exercise_id for p in plan_day(ctx).session.prescriptions]


def test_an_aerobic_day_keeps_the_run_and_leaves_out_the_strength_work() -> None:
    session = template_session(CATALOGUE, "general", MONDAY)
    shaped, change = apply_modality(session, "aerobic", CATALOGUE)
    assert [p.exercise_id for p in shaped.prescriptions] == ["easy_run"]
    assert set(change.removed) == {"plank", "knee_push_up", "arm_hang", "push_up"}
    assert change.added == ()


def test_a_strength_day_keeps_the_strength_work_and_leaves_out_the_run() -> None:
    session = template_session(CATALOGUE, "general", MONDAY)
    shaped, change = apply_modality(session, "strength", CATALOGUE)
    assert [p.exercise_id for p in shaped.prescriptions] == [
        "plank",
        "knee_push_up",
        "arm_hang",
        "push_up",
    ]
    assert change.removed == ("easy_run",)


def test_a_speed_day_without_speed_work_gets_some_and_never_on_a_painful_site() -> None:
    session = template_session(CATALOGUE, "general", MONDAY)
    _, change = apply_modality(session, "speed", CATALOGUE)
    added = [CATALOGUE.exercise(i) for i in change.added]
    assert added and all(e.modality == "speed" for e in added)
    assert len(added) <= 2
    _, sore_change = apply_modality(session, "speed", CATALOGUE, pain_sites=["knee"])
    knee = CATALOGUE.structures(["knee"])
    assert all(not knee.intersection(CATALOGUE.exercise(i).loads) for i in sore_change.added)
    assert sore_change.added != change.added  # the knee-loading speed work is not offered


def test_added_work_comes_from_the_athletes_own_template_first() -> None:
    week = CATALOGUE.template("speed-power").week
    own = [i for day in sorted(week) for i in week[day].exercises]
    session = template_session(CATALOGUE, "general", MONDAY)
    _, change = apply_modality(session, "speed", CATALOGUE, template_ids=own)
    first_own_speed = next(i for i in own if CATALOGUE.exercise(i).modality == "speed")
    assert change.added[0] == first_own_speed


def test_light_work_stays_on_every_day() -> None:
    saturday = template_session(CATALOGUE, "general", MONDAY + dt.timedelta(days=5))
    assert "mobility_flow" in [p.exercise_id for p in saturday.prescriptions]
    for modality in ("aerobic", "strength", "speed", "flexibility", "recovery"):
        shaped, _ = apply_modality(saturday, modality, CATALOGUE)
        assert "mobility_flow" in [p.exercise_id for p in shaped.prescriptions]


def test_a_rest_day_and_an_unknown_modality_change_nothing() -> None:
    rest = template_session(CATALOGUE, "general", MONDAY + dt.timedelta(days=1))
    assert rest.is_rest
    assert apply_modality(rest, "strength", CATALOGUE)[0] == rest
    session = template_session(CATALOGUE, "general", MONDAY)
    shaped, change = apply_modality(session, "rest", CATALOGUE)
    assert shaped == session and not change.changed


def test_the_daily_plan_applies_the_days_modality_and_says_so_in_why() -> None:
    plain = _ids(DayContext(today=MONDAY))
    assert plain == list(_monday())
    aerobic = plan_day(
        DayContext(today=MONDAY, modality_by_weekday={1: "aerobic"}, minutes_by_weekday={1: 45.0})
    )
    ids = [p.exercise_id for p in aerobic.session.prescriptions]
    assert "easy_run" in ids and "push_up" not in ids and "plank" not in ids
    assert "scheduled_modality" in aerobic.session.reason_codes
    assert any("makes Monday an aerobic day" in s for s in aerobic.explanation.sentences)
    # sized after shaping: the run fills the day's minutes instead of five exercises
    assert abs(aerobic.session.estimated_minutes() - 45.0) < 10.0


def test_another_weekdays_modality_does_not_touch_today() -> None:
    assert _ids(DayContext(today=MONDAY, modality_by_weekday={3: "aerobic"})) == list(_monday())
