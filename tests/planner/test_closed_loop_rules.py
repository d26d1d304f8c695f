"""Emphasis from fitness tests, scheduled training days, coach overrides, policy proposals."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.catalogue import load_catalogue
from planner.daily import CheckInView, CoachOverride, DayContext, PolicyProposal, plan_day
from planner.explanation import ShapFactor
from planner.prescription import Emphasis, apply_emphasis, emphasis_map
from planner.session import template_session

MONDAY = dt.date(2026, 11, 23)
WEAK_PULL_UPS = Emphasis("pull_ups", "upper-body strength", -0.42)


def test_every_emphasis_maps_to_catalogue_exercises() -> None:
    from models.items import EMPHASIS

    catalogue = load_catalogue()
    for emphasis in {*EMPHASIS.values(), "general conditioning"}:
        ids = emphasis_map()[emphasis]
        assert ids and all(i in catalogue.exercises for i in ids), emphasis


def test_weak_pull_ups_add_upper_body_work_and_say_why() -> None:
    planned = plan_day(DayContext(today=MONDAY, emphases=(WEAK_PULL_UPS,)))
    hang = next(p for p in planned.session.prescriptions if p.exercise_id == "arm_hang")
    assert hang.sets == 4
    rule = planned.explanation.rules[0]
    assert rule.code == "test_emphasis"
    assert "pull-ups" in rule.sentence and "upper-body strength" in rule.sentence


def test_missing_emphasis_exercise_is_added_and_rest_days_stay_rest() -> None:
    catalogue = load_catalogue()
    session = template_session(catalogue, "general", MONDAY)
    flexed, changes = apply_emphasis(
        session, [Emphasis("run_50m_s", "speed", -0.3)], catalogue
    )
    assert flexed.prescriptions[-1].exercise_id == "strides" and changes
    rest = template_session(catalogue, "general", MONDAY + dt.timedelta(days=1))
    assert apply_emphasis(rest, [WEAK_PULL_UPS], catalogue) == (rest, [])


def test_scheduled_training_days_carry_the_template_sessions_in_order() -> None:
    catalogue = load_catalogue()
    days = (2, 4, 6, 7)  # Tue, Thu, Sat, Sun
    tuesday = template_session(catalogue, "general", MONDAY + dt.timedelta(days=1), days)
    monday = template_session(catalogue, "general", MONDAY, days)
    assert monday.is_rest
    assert tuesday.title == template_session(catalogue, "general", MONDAY).title


def test_coach_override_wins_over_every_rule() -> None:
    ctx = DayContext(
        today=MONDAY,
        frbi_by_day={MONDAY: 1.4},
        override=CoachOverride(1.2, 1.0, note="race prep", coach_name="Coach Kim"),
    )
    planned = plan_day(ctx)
    assert planned.session.intensity_factor == pytest.approx(1.2)
    assert planned.session.volume_factor == pytest.approx(1.0)
    assert planned.explanation.rules[0].code == "coach_override"
    assert "Coach Kim" in planned.explanation.sentences[0]


def test_policy_proposal_changes_volume_only_when_no_guard_fires() -> None:
    proposal = PolicyProposal(0.04, "aerobic", (ShapFactor("acute_load", 0.2, -0.3),))
    free = plan_day(DayContext(today=MONDAY, proposal=proposal))
    assert free.session.volume_factor == pytest.approx(1.04)
    assert any("training load this week" in s for s in free.explanation.sentences)
    cut = plan_day(DayContext(today=MONDAY, proposal=proposal, frbi_by_day={MONDAY: 1.25}))
    assert cut.session.volume_factor == pytest.approx(0.85)
    hurt = plan_day(DayContext(today=MONDAY, proposal=proposal,
                               checkins=[CheckInView(MONDAY, pain_sites=("knee",))]))
    assert hurt.session.volume_factor == pytest.approx(1.0)


def test_a_coach_rest_override_makes_a_rest_day() -> None:
    planned = plan_day(DayContext(today=MONDAY, override=CoachOverride(0.0, 0.0, "sick")))
    assert planned.session.is_rest
    assert "rest day" in planned.explanation.sentences[0]


def test_a_scheduled_rest_day_says_when_the_training_days_are() -> None:
    planned = plan_day(DayContext(today=MONDAY, training_days=(2, 4, 6, 7)))
    assert planned.session.is_rest
    assert planned.explanation.sentences[0] == (
        "Monday is a planned rest day: this week you train on Tue, Thu, Sat, Sun."
    )


def test_pain_that_blocks_the_two_week_raise_says_so_and_no_raise_is_claimed() -> None:
    """Two good weeks would raise intensity 10%; knee pain today holds it, and /why agrees."""
    start = MONDAY - dt.timedelta(days=14)
    good = tuple(CheckInView(day=start + dt.timedelta(days=i), rpe=5, minutes=45,
                             sentiment_level=1) for i in range(14))
    ctx = DayContext(today=MONDAY, start_day=start, checkins=good)
    assert plan_day(ctx).session.intensity_factor == pytest.approx(1.1)
    hurt = (*good, CheckInView(day=MONDAY, rpe=5, minutes=45, sentiment_level=1,
                               pain_sites=("knee",)))
    planned = plan_day(DayContext(today=MONDAY, start_day=start, checkins=hurt))
    assert planned.session.intensity_factor == pytest.approx(1.0)
    codes = [r.code for r in planned.explanation.rules]
    assert "pain_guard" in codes and "two_week_up" not in codes
    text = " ".join(planned.explanation.sentences)
    assert "goes up" not in text and "waits until the pain is gone" in text


def test_policy_intensity_and_modality_are_applied_and_explained_unless_in_pain() -> None:
    proposal = PolicyProposal(
        0.0, "strength", (), intensity_change=-0.03,
        intensity_attributions=(ShapFactor("days_since_rest", 1.2, -0.02),))
    base = plan_day(DayContext(today=MONDAY))
    planned = plan_day(DayContext(today=MONDAY, proposal=proposal))
    assert planned.session.intensity_factor == pytest.approx(0.97)
    codes = [r.code for r in planned.explanation.rules]
    assert codes[:2] == ["policy_intensity", "policy_modality"]
    text = " ".join(planned.explanation.sentences)
    assert "3% easier" in text and "days in a row without rest" in text
    catalogue = load_catalogue()
    before = [p.sets for p in base.session.prescriptions]
    after = [p.sets for p in planned.session.prescriptions]
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 1 and after[changed[0]] == before[changed[0]] + 1
    assert catalogue.exercise(planned.session.prescriptions[changed[0]].exercise_id
                              ).modality == "strength"
    harder = PolicyProposal(0.0, "strength", (), intensity_change=0.04)
    hurt = plan_day(DayContext(today=MONDAY, proposal=harder,
                               checkins=[CheckInView(MONDAY, pain_sites=("knee",))]))
    assert hurt.session.intensity_factor == pytest.approx(1.0)
    assert not {"policy_intensity", "policy_modality"} & {r.code for r in hurt.explanation.rules}


def test_an_exercise_marked_too_hard_is_easier_next_time() -> None:
    from planner.daily import ExerciseLogView

    base = plan_day(DayContext(today=MONDAY))
    first = base.session.prescriptions[0]
    catalogue = load_catalogue()
    easier = catalogue.exercise(first.exercise_id).easier
    assert easier is not None, "the first exercise of the Monday template has a regression"
    logs = (ExerciseLogView(MONDAY - dt.timedelta(days=7), first.exercise_id, "too_hard"),)
    eased = plan_day(DayContext(today=MONDAY, exercise_logs=logs))
    assert eased.session.prescriptions[0].exercise_id == easier
    assert eased.session.prescriptions[0].sets == first.sets
    assert any("too hard" in s for s in eased.explanation.sentences)
    by_rpe = (ExerciseLogView(MONDAY - dt.timedelta(days=2), first.exercise_id, "done", rpe=9),)
    assert plan_day(DayContext(today=MONDAY, exercise_logs=by_rpe)
                    ).session.prescriptions[0].exercise_id == easier
    stale = (ExerciseLogView(MONDAY - dt.timedelta(days=8), first.exercise_id, "too_hard"),)
    assert plan_day(DayContext(today=MONDAY, exercise_logs=stale)
                    ).session.prescriptions[0].exercise_id == first.exercise_id
