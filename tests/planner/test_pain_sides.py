"""Pain keeps its side: a left-knee pain eases the left side's work, not the right's."""

from __future__ import annotations

import datetime as dt

from planner.catalogue import load_catalogue
from planner.daily import CheckInView, DayContext, plan_day
from planner.rules import active_pain_sides, site_label
from planner.session import Session, guard_pain, prescribe

DAY = dt.date(2026, 11, 23)
CATALOGUE = load_catalogue()


def _session(*ids: str) -> Session:
    return Session(DAY, "test", tuple(prescribe(CATALOGUE.exercise(i)) for i in ids))


def _kept(session: Session) -> dict[str, str | None]:
    return {p.exercise_id: p.note for p in session.prescriptions}


def test_a_left_knee_pain_keeps_the_right_sides_one_sided_work() -> None:
    guarded, changes = guard_pain(_session("hip_flexor_stretch", "squat"), CATALOGUE,
                                  ["knee"], sides={"knee": "left"})
    kept = _kept(guarded)
    assert kept["hip_flexor_stretch"] == "right side only"
    assert "squat" not in kept  # both legs: regressed or removed as before
    assert ("hip_flexor_stretch", "hip_flexor_stretch") in changes


def test_pain_with_no_side_said_keeps_no_side() -> None:
    guarded, _ = guard_pain(_session("hip_flexor_stretch"), CATALOGUE, ["knee"])
    assert "hip_flexor_stretch" not in _kept(guarded)


def test_two_painful_sites_on_different_sides_keep_no_side() -> None:
    guarded, _ = guard_pain(_session("single_leg_bridge"), CATALOGUE, ["hamstring", "glute"],
                            sides={"hamstring": "left", "glute": "right"})
    assert "single_leg_bridge" not in _kept(guarded)
    same, _ = guard_pain(_session("single_leg_bridge"), CATALOGUE, ["hamstring", "glute"],
                         sides={"hamstring": "right", "glute": "right"})
    assert _kept(same)["single_leg_bridge"] == "left side only"


def test_a_site_reported_with_both_sides_or_none_has_no_side() -> None:
    reports = [(DAY, ("knee",), {"knee": "left"}), (DAY - dt.timedelta(days=1), ("knee",), {})]
    assert active_pain_sides(reports, DAY) == {}
    assert active_pain_sides(reports[:1], DAY) == {"knee": "left"}
    old = [(DAY - dt.timedelta(days=5), ("knee",), {"knee": "right"})]
    assert active_pain_sides(old + reports[:1], DAY) == {"knee": "left"}  # outside 3 days


def test_labels_say_the_side() -> None:
    assert site_label("knee", {"knee": "left"}) == "left knee"
    assert site_label("lower_back", {"knee": "left"}) == "lower back"


def test_the_daily_plan_and_why_keep_the_side() -> None:
    saturday = DAY + dt.timedelta(days=5)  # "speed-power" Saturday: easy run, hip-flexor stretch
    pain = (CheckInView(day=saturday - dt.timedelta(days=1), pain_sites=("knee",),
                        pain_sides={"knee": "left"}),)
    planned = plan_day(DayContext(today=saturday, template="speed-power", checkins=pain))
    kept = _kept(planned.session)
    assert kept.get("hip_flexor_stretch") == "right side only"
    assert "easy_run" not in kept
    why = " ".join(planned.explanation.sentences)
    assert "pain in your left knee" in why
    assert planned.inputs.get("pain_sites") == ["knee"]
