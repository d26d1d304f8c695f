"""One morning's coach digest for a team of simulated athletes, on a scratch database.

Run from the repo root: ``python -m benchmarks.digest_demo [--athletes 20] [--png FILE]``.
It seeds a fresh SQLite file (a coach, one team, N athletes with five weeks of check-ins, the
last week planned by coachloop's own daily plan and reported against it, a few wearable
users), then prints the digest exactly as `bot.digest_text.build_digest` words it for the
coach, and how long building it took. The athletes are simulated (seeded random numbers):
most train as planned; some get a load spike, worse wellness than their own baseline, pain, a
silence, a skipped or overdone session, or stop syncing their watch. It shows the digest, it
measures nothing about athletes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from bot.digest_text import build_digest
from bot.services.planning import PlanningConfig, plan_and_store
from planner.availability import Availability, Blackout
from storage import checkins, groups, people
from storage.activities import NewActivity, add_file_activities
from storage.db import Database
from storage.schema import Person

NAMES = ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea",
         "Max", "Nia", "Oto", "Pia", "Raj", "Sol", "Tea", "Uma", "Vic", "Wes", "Xia", "Yan")
SCENARIOS = {1: "spike", 3: "worse_wellness", 5: "pain", 7: "silent", 9: "skipped",
             11: "overdone", 13: "stopped_syncing", 15: "monotony", 17: "away"}
MORNING = dt.datetime(2026, 12, 3, 7, 30, tzinfo=dt.UTC)
QUICK = PlanningConfig(use_scheduler=False, use_policy=False)


def _wellness(rng: np.random.Generator, worse: bool) -> dict[str, int]:
    base = 5 if worse else 3
    return {k: int(np.clip(round(rng.normal(base, 0.6)), 1, 7))
            for k in ("sleep_quality", "stress", "fatigue", "soreness")}


def _athlete(s: Session, coach_team: int, i: int, rng: np.random.Generator) -> None:
    person = people.get_or_create_person(s, 1000 + i, NAMES[i % len(NAMES)] + (
        "" if i < len(NAMES) else str(i)))
    people.give_consent(s, person, {"version": 1}, at=MORNING - dt.timedelta(days=60))
    group = s.get(groups.Group, coach_team)
    assert group is not None
    groups.join(s, person, group)
    scenario = SCENARIOS.get(i)
    today = MORNING.date()
    if scenario == "away":  # exams since three days ago: /away, so no silence
        away = Availability(blackouts=(Blackout(today - dt.timedelta(days=3),
                                                today + dt.timedelta(days=2), "exams"),))
        people.update_profile(person, availability=away.as_dict())
    rpe0 = rng.uniform(4, 6)
    wearable = scenario == "stopped_syncing" or i % 6 == 0
    last_week = [today - dt.timedelta(days=back) for back in range(7, 0, -1)]
    plans = {day: plan_and_store(s, person, day, QUICK).session for day in last_week}
    minutes0 = float(np.median([p.estimated_minutes() for p in plans.values()
                                if not p.is_rest] or [45.0]))
    by_weekday = {day.isoweekday(): plan for day, plan in plans.items()}
    for back in range(35, 7, -1):  # four weeks before the planned one, on its training days
        day = today - dt.timedelta(days=back)
        if scenario != "monotony" and by_weekday[day.isoweekday()].is_rest:
            continue
        rpe = rpe0 if scenario == "monotony" else rpe0 + rng.normal(0, 0.8)
        _report(s, person, day, float(np.clip(rpe, 1, 10)), minutes0 * rng.uniform(0.85, 1.1),
                _wellness(rng, False))
        if wearable:
            _file(s, person, day, minutes0)
    for day in last_week:  # the last week, reported against its plan
        back = (today - day).days
        minutes = plans[day].estimated_minutes()
        if plans[day].is_rest and scenario != "monotony":
            continue
        if scenario == "silent" and back <= 4:
            continue
        if scenario == "away" and back <= 3:
            continue
        if scenario == "skipped" and back == 1:
            continue
        ratio = 1.6 if scenario == "overdone" and back == 1 else rng.uniform(0.85, 1.1)
        rpe = rpe0 + rng.normal(0, 0.6)
        if scenario == "spike" and back <= 4:
            ratio, rpe = 2.2, rpe0 + 2.5
        done = (minutes or minutes0) * ratio
        pain = ("left_knee",) if scenario == "pain" and back == 1 else ()
        _report(s, person, day, float(np.clip(rpe, 1, 10)), done,
                _wellness(rng, scenario == "worse_wellness" and back <= 2), pain)
        if wearable and not (scenario == "stopped_syncing" and back <= 3):
            _file(s, person, day, done)


def _report(s: Session, person: Person, day: dt.date, rpe: float, minutes: float,
            wellness: dict[str, int], pain: tuple[str, ...] = ()) -> None:
    checkins.add_checkin(s, person, checkins.NewCheckIn(
        day=day, rpe=round(rpe), minutes=round(minutes), pain_sites=pain, source="seed",
        sleep_quality=wellness["sleep_quality"], stress=wellness["stress"],
        fatigue=wellness["fatigue"], soreness=wellness["soreness"]))


def _file(s: Session, person: Person, day: dt.date, minutes: float) -> None:
    start = dt.datetime.combine(day, dt.time(17), tzinfo=dt.UTC)
    add_file_activities(s, person.id, f"demo-{person.id}-{day.isoformat()}", [NewActivity(
        file_type="fit", sport="running", start_time=start, day=day,
        duration_s=minutes * 60, moving_s=minutes * 60)])


def main() -> None:
    """Seed, build the digest, print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=20)
    parser.add_argument("--png", type=Path, default=None)
    args = parser.parse_args()
    if not 1 <= args.athletes <= 200:
        parser.error("--athletes is 1-200")
    rng = np.random.default_rng(17)
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'digest.sqlite3'}")
        database.upgrade()
        try:
            def seed(s: Session) -> int:
                coach = people.get_or_create_person(s, 1, "Coach Ben")
                people.give_consent(s, coach, {"version": 1}, at=MORNING)
                team = groups.create_group(s, coach, "team", "Rowing U18")
                for i in range(args.athletes):
                    _athlete(s, team.id, i, rng)
                return coach.id

            coach_id = database.run(seed)
            with database.session() as s:
                coach = s.get(Person, coach_id)
                assert coach is not None
                start = time.perf_counter()
                digest = build_digest(s, coach, MORNING, "UTC")
                took = time.perf_counter() - start
        finally:
            database.dispose()
    if digest is None:
        raise SystemExit("no digest: the team has no athletes")
    print(digest.text)
    print(f"\n(PNG table {len(digest.png)} bytes, {len(digest.rows)} athlete buttons; built in "
          f"{took:.2f} s)")
    if args.png is not None:
        args.png.write_bytes(digest.png)


if __name__ == "__main__":
    main()
