"""The approval decision: which new plans wait for the coach, and why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.approval import ApprovalPolicy, PlanSummary, review

BASE = PlanSummary("Strength circuit", rest=False, dose=1.0, exercises=("Squat", "Plank"))


def _plan(dose: float = 1.0, exercises: tuple[str, ...] = ("Squat", "Plank"),
          codes: tuple[str, ...] = (), title: str = "Strength circuit") -> PlanSummary:
    return PlanSummary(title, rest=not exercises, dose=dose, exercises=exercises,
                       reason_codes=codes)


def test_auto_never_holds_a_plan() -> None:
    decision = review(ApprovalPolicy("auto"), BASE, _plan(dose=0.5))
    assert not decision.hold and decision.reasons == ("load -50% (beyond ±10%)",)


def test_a_load_change_within_the_threshold_passes_and_beyond_it_waits() -> None:
    policy = ApprovalPolicy("changes", 0.10)
    assert not review(policy, BASE, _plan(dose=0.92)).hold
    held = review(policy, BASE, _plan(dose=0.85))
    assert held.hold and held.reasons == ("load -15% (beyond ±10%)",)
    assert review(ApprovalPolicy("changes", 0.20), BASE, _plan(dose=0.85)).hold is False


def test_a_swapped_exercise_and_a_rest_day_wait_in_review_changes() -> None:
    policy = ApprovalPolicy("changes")
    swapped = review(policy, BASE, _plan(exercises=("Box squat", "Plank")))
    assert swapped.hold and swapped.reasons == ("exercises swapped: Squat -> Box squat",)
    rest = review(policy, BASE, _plan(exercises=(), title="Rest day"))
    assert rest.hold and rest.reasons == ("a rest day instead of training",)


def test_review_all_holds_every_new_or_changed_plan_but_not_the_same_one() -> None:
    policy = ApprovalPolicy("all")
    assert review(policy, None, _plan()).hold
    assert review(policy, BASE, _plan(dose=1.02)).hold
    assert not review(policy, BASE, _plan()).hold


def test_pain_guard_and_the_coachs_override_never_wait() -> None:
    pain = review(ApprovalPolicy("all"), BASE, _plan(dose=0.8, codes=("pain_guard",)))
    assert not pain.hold and pain.pain_guard
    coach = review(ApprovalPolicy("all"), BASE, _plan(dose=0.7, codes=("coach_override",)))
    assert not coach.hold and not coach.pain_guard


def test_a_first_plan_is_compared_with_the_template_at_full_dose() -> None:
    policy = ApprovalPolicy("changes")
    assert not review(policy, None, _plan()).hold
    eased = review(policy, None, _plan(codes=("too_hard_regress",)))
    assert eased.hold and "swapped" in eased.reasons[0]
    assert review(policy, None, _plan(dose=1.2)).hold


@pytest.mark.parametrize(("mode", "threshold"), [("sometimes", 0.1), ("changes", 0.0),
                                                 ("changes", 0.6)])
def test_a_bad_setting_is_refused(mode: str, threshold: float) -> None:
    with pytest.raises(ValueError, match=r"mode|threshold"):
        ApprovalPolicy(mode, threshold)


@given(st.floats(0.05, 2.0), st.floats(0.01, 0.5))
def test_review_changes_holds_exactly_when_the_dose_moves_beyond_the_threshold(
        dose: float, threshold: float) -> None:
    decision = review(ApprovalPolicy("changes", threshold), BASE, _plan(dose=dose))
    assert decision.hold == (abs(dose - 1.0) > threshold + 1e-9 and abs(dose - 1.0) >= 0.005)
