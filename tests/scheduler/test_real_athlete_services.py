"""The planner's real-athlete entry points with the SHIPPED policy and a stored history.

`models.registry.policy_dir` picks the policy, `bot.services.policy.propose_for` asks it
about today from stored check-ins, `bot.services.schedule.aco_schedule` plans the week with
ACO. Each is exercised here on an athlete created through `storage`, as the bot would.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.services.policy import MAX_CHANGE, propose_for
from bot.services.schedule import aco_schedule
from models.ppo import load_policy
from models.registry import SHIPPED_DIR, policy_dir
from planner.sim.athletes import MODALITIES
from planner.sim.observation import FEATURES
from planner.week import HARD_INTENSITY
from planner.week_prefs import WeekPreferences
from storage import checkins, people
from storage.db import Database
from storage.schema import CheckIn, Person

DAY = dt.date(2026, 11, 23)  # a Monday
HR_REST, HR_MAX = 55.0, 192.0
# Three weeks of a runner's check-ins: (days before DAY, RPE 0-10, minutes); other days rest.
SESSIONS = [(21, 6, 45), (20, 4, 30), (18, 7, 60), (16, 5, 40), (14, 6, 50), (13, 3, 30),
            (11, 8, 55), (9, 5, 45), (7, 6, 50), (6, 4, 30), (4, 7, 60), (2, 6, 45), (1, 5, 40)]


def _athlete(db: Database, sessions: list[tuple[int, int, int]] = SESSIONS) -> int:
    """A consenting athlete with a body profile and stored check-ins before ``DAY``."""
    with db.session() as s:
        person = people.get_or_create_person(s, 77, "Rae")
        people.give_consent(s, person, {"health_data": True},
                            at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
        people.update_profile(person, sex="F", birth_year=2004, height_cm=166.0, mass_kg=58.0,
                              hr_rest=HR_REST, hr_max=HR_MAX)
        for back, rpe, minutes in sessions:
            checkins.add_checkin(s, person, checkins.NewCheckIn(
                day=DAY - dt.timedelta(days=back), rpe=rpe, minutes=minutes,
                sleep_quality=3, fatigue=3 + (rpe > 6), soreness=3, stress=2,
                sentiment_score=0.2, source="terminal",
            ))
        return person.id


def _history(db: Database, person_id: int) -> tuple[Person, list[CheckIn]]:
    with db.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        rows = list(checkins.list_checkins(s, person_id))
        s.expunge_all()
    return person, rows


def test_real_athletes_get_the_shipped_constrained_policy_unless_they_retrained(
    tmp_path: Path,
) -> None:
    shipped = SHIPPED_DIR / "ppo-scheduler" / "constrained"
    assert policy_dir(None) == shipped
    assert policy_dir(tmp_path) == shipped  # a model dir without a retrained policy
    manifest = json.loads((shipped / "manifest.json").read_text())
    assert "constrained=True" in manifest["data"] and "even-seeds" in manifest["data"]
    load_policy(policy_dir(None))  # raises if the shipped zip does not load
    retrained = tmp_path / "ppo-scheduler"
    retrained.mkdir()
    (retrained / "policy.zip").write_bytes(b"")
    assert policy_dir(tmp_path) == retrained


def test_propose_for_a_stored_history_is_bounded_explained_and_repeatable(
    sqlite_db: Database,
) -> None:
    person, rows = _history(sqlite_db, _athlete(sqlite_db))
    first = propose_for(person, DAY, rows, [], policy_dir(None))
    again = propose_for(person, DAY, rows, [], policy_dir(None))
    assert first is not None and first == again
    assert first.modality is None or first.modality in MODALITIES
    for change, reasons in ((first.volume_change, first.attributions),
                            (first.intensity_change, first.intensity_attributions)):
        assert 0 < abs(change) <= MAX_CHANGE
        assert 1 <= len(reasons) <= 3
        contributions = [a.contribution for a in reasons]
        assert all(a.feature in FEATURES for a in reasons)
        assert all(c * change > 0 for c in contributions)  # the reasons for its sign
        assert contributions == sorted(contributions, key=abs, reverse=True)


def test_propose_for_ignores_todays_own_checkin_and_needs_a_week_of_history(
    sqlite_db: Database,
) -> None:
    person, rows = _history(sqlite_db, _athlete(sqlite_db))
    before = propose_for(person, DAY, rows, [], policy_dir(None))
    with sqlite_db.session() as s:
        stored = s.get(Person, person.id)
        assert stored is not None
        checkins.add_checkin(s, stored, checkins.NewCheckIn(day=DAY, rpe=9, minutes=90))
    _, with_today = _history(sqlite_db, person.id)
    assert len(with_today) == len(rows) + 1
    assert propose_for(person, DAY, with_today, [], policy_dir(None)) == before
    short = [r for r in rows if (DAY - r.day).days <= 6]
    assert propose_for(person, DAY, short, [], policy_dir(None)) is None


def _check_week(result: dict[str, object], prefs: WeekPreferences | None) -> None:
    sessions = result["sessions"]
    assert isinstance(sessions, list)
    days = result["training_days"]
    assert days == sorted(s["weekday"] for s in sessions)
    assert result["violation"] == 0
    low, high = HR_REST + 0.5 * (HR_MAX - HR_REST), HR_REST + 0.85 * (HR_MAX - HR_REST)
    hard = set()
    for s in sessions:
        assert low - 0.5 <= s["hr_target"] <= high + 0.5  # rounded to whole beats
        if (s["hr_target"] - 0.5 - HR_REST) / (HR_MAX - HR_REST) >= HARD_INTENSITY:
            hard.add(s["weekday"])  # hard even before rounding to whole beats
    assert not any(d + 1 in days for d in hard)  # rest after a hard day
    if prefs is None:
        assert 4 <= len(days) <= 6
        assert all(35.0 <= s["minutes"] <= 60.0 for s in sessions)
    else:
        assert set(days) <= set(prefs.days) and len(days) == prefs.sessions
        assert all(s["minutes"] == prefs.minutes for s in sessions)


@pytest.mark.parametrize(
    "prefs", [None, WeekPreferences(4, 45.0, (1, 3, 5, 6))], ids=["paper-week", "own-week"]
)
def test_aco_schedule_plans_4_to_6_days_inside_the_constraints_deterministically(
    sqlite_db: Database, prefs: WeekPreferences | None
) -> None:
    person_id = _athlete(sqlite_db)
    with sqlite_db.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        if prefs is not None:
            people.update_profile(person, week_prefs=prefs.as_dict())
        week = aco_schedule(s, person, DAY)
        again = aco_schedule(s, person, DAY)
    assert week == again
    assert week["method"] == "aco" and week["week_of"] == DAY.isoformat()
    _check_week(week, prefs)


def test_reward_weights_from_the_settings_reach_the_week_scheduler(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REWARD_WEIGHTS (Eq. 9) is the configuration the real athletes' ACO optimises."""
    from bot.config import Settings
    from bot.wiring import planning_config

    monkeypatch.setenv("REWARD_WEIGHTS", "[0.2, 0.7, 0.1]")
    config = planning_config(Settings())
    assert config.reward_weights == (0.2, 0.7, 0.1)
    person_id = _athlete(sqlite_db)
    with sqlite_db.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        default = aco_schedule(s, person, DAY)
        tired_averse = aco_schedule(s, person, DAY, weights=config.reward_weights)
    assert default["reward_weights"] == [0.6, 0.3, 0.1]
    assert tired_averse["reward_weights"] == [0.2, 0.7, 0.1]
    assert tired_averse["objective"] != default["objective"]
    _check_week(tired_averse, None)
    monkeypatch.setenv("REWARD_WEIGHTS", "[0, 0, 0]")
    with pytest.raises(ValueError, match="not all zero"):
        Settings()


def test_a_change_of_weights_takes_effect_at_the_next_re_plan_and_why_names_them(
    sqlite_db: Database,
) -> None:
    """The period's plan is kept for the same weights; other weights make a new week now."""
    from bot.services.planning import PlanningConfig, plan_and_store
    from bot.services.prescription import current_plan

    person_id = _athlete(sqlite_db)
    weeks, sentences = [], []
    for weights in ((0.6, 0.3, 0.1), (0.6, 0.3, 0.1), (0.2, 0.7, 0.1)):
        config = PlanningConfig(use_policy=False, reward_weights=weights)
        with sqlite_db.session() as s:
            person = s.get(Person, person_id)
            assert person is not None
            planned = plan_and_store(s, person, DAY, config)
            plan = current_plan(s, person_id)
            assert plan is not None
            weeks.append((plan.id, plan.meta["schedule"]["reward_weights"]))
            sentences.append(" ".join(planned.explanation.sentences))
    assert weeks[0] == weeks[1]  # same weights: the stored week is kept
    assert weeks[2][0] != weeks[0][0] and weeks[2][1] == [0.2, 0.7, 0.1]
    assert "injury risk 0.1" in sentences[0] and "fatigue 0.3" in sentences[0]
    assert "fatigue 0.7" in sentences[2]
