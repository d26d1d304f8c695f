"""The daily decision's order is data: `PLAN_STEPS` names it, and these tests read it."""

from __future__ import annotations

import datetime as dt

from planner.daily import (
    PLAN_STEPS,
    CheckInView,
    CoachOverride,
    DayContext,
    PolicyProposal,
    plan_day,
)

MONDAY = dt.date(2026, 11, 23)


def _order() -> list[str]:
    return [step.name for step in PLAN_STEPS]


def test_every_step_has_a_unique_name_and_a_reason() -> None:
    names = _order()
    assert len(names) == len(set(names))
    assert all(step.why for step in PLAN_STEPS)


def test_pain_is_known_before_any_step_that_could_add_work() -> None:
    order = _order()
    for adds_work in ("scheduled_modality", "test_emphasis", "scheduled_minutes",
                      "two_week_rule", "frbi_or_policy"):
        assert order.index("find_pain") < order.index(adds_work)
    assert order.index("two_week_rule") < order.index("pain_guard") < order.index(
        "frbi_or_policy")


def test_the_days_modality_shapes_the_session_before_it_is_sized_and_emphasised() -> None:
    order = _order()
    assert order.index("scheduled_modality") < order.index("test_emphasis")
    assert order.index("scheduled_modality") < order.index("scheduled_minutes")


def test_the_coach_override_is_the_last_decision_before_scaling() -> None:
    order = _order()
    # After scaling only the split into two sessions runs, and it changes no dose
    # (tests/planner/test_availability.py).
    assert order[-3:] == ["coach_override", "scale", "second_session"]


def test_a_day_away_is_decided_before_anything_else() -> None:
    assert _order()[0] == "away"


def _proposal(change: float) -> PolicyProposal:
    return PolicyProposal(volume_change=change, intensity_change=change)


def test_a_policy_raise_is_refused_on_a_day_with_pain() -> None:
    """The order has teeth: pain found first means the PPO raise never lands."""
    pain = (CheckInView(day=MONDAY - dt.timedelta(days=1), pain_sites=("knee",)),)
    sore = plan_day(DayContext(today=MONDAY, checkins=pain, proposal=_proposal(0.05)))
    fresh = plan_day(DayContext(today=MONDAY, proposal=_proposal(0.05)))
    assert sore.inputs["volume_factor"] <= 1.0 and sore.inputs["intensity_factor"] <= 1.0
    assert fresh.inputs["volume_factor"] > 1.0
    assert sore.session.reason_codes[0] == "pain_guard"
    assert "policy_volume" in fresh.session.reason_codes


def test_the_coach_override_wins_over_the_policy_and_comes_first_in_the_reasons() -> None:
    override = CoachOverride(intensity_factor=0.8, volume_factor=0.5, note="exams",
                             coach_name="Coach Kim")
    planned = plan_day(DayContext(today=MONDAY, proposal=_proposal(0.05), override=override))
    assert (planned.inputs["intensity_factor"], planned.inputs["volume_factor"]) == (0.8, 0.5)
    assert planned.session.reason_codes[0] == "coach_override"
    assert "Coach Kim" in planned.explanation.sentences[0]
