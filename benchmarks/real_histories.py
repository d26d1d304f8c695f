"""The plans real athletes would get, held against real-shaped histories.

    python -m benchmarks.real_histories [--athletes 12] [--seed 0]

A policy tuned in a simulator can still do odd things on real data. Each athlete's history is a
PMData-shaped team export (`tests/planner_load/team_exports.py`: a usual week, a 10-day break,
two weeks of overload at ~1.8x the usual load), stored through the bot's own storage in a
scratch SQLite database. At four cut days per athlete (a usual week, the day back from the
break, the middle of the overload, the week after it) the bot plans the next seven days with
everything real athletes get (the ACO week, the shipped PPO policy with its SHAP reasons, the
guards), day by day, and the athlete follows each plan: the planned minutes at their own usual
session RPE are reported as that day's check-in before the next day is planned (the closed
loop, as in the chat).

Printed per kind of week: the policy's proposed volume changes, the planned week's sRPE load
against the seven days before the cut, and the ACWR (coupled 7/28 rolling, `planner.acwr`) the
week of plans produces at its end, with how many fall outside 0.8-1.5 and, of those, how many
the athlete's own reported load drove (their ACWR at the cut already outside the band, or the
chronic load still low from the break).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from bot.services.planning import PlanningConfig, plan_and_store
from planner.acwr import acwr_rolling
from storage import checkins, people
from storage.db import Database
from storage.schema import Person
from tests.planner_load.team_exports import BREAK_DAYS, OVERLOAD_DAYS, START, team_export

BAND = (0.8, 1.5)
KINDS = ("usual week", "back from the break", "mid overload", "after the overload")


@dataclass(frozen=True)
class WeekResult:
    """One planned week of one athlete."""

    kind: str
    volume_changes: tuple[float, ...]
    change: float | None  # planned week's load / the 7 reported days before - 1
    acwr_end: float | None
    acwr_cut: float | None  # the athlete's own, on the reported history up to the cut
    acwr_usual: float | None  # the athlete's usual week in place of the plans


def _daily(frame: pd.DataFrame) -> dict[int, tuple[float, float]]:
    """Day index -> (minutes, load-weighted RPE) of one participant's sessions."""
    out: dict[int, tuple[float, float]] = {}
    for _, row in frame.iterrows():
        day = (dt.date.fromisoformat(str(row["end_date_time"])[:10]) - START).days
        minutes, rpe = float(row["duration_min"]), float(row["perceived_exertion"])
        old_m, old_r = out.get(day, (0.0, 0.0))
        total = old_m + minutes
        out[day] = (total, (old_r * old_m + rpe * minutes) / total)
    return out


def _wellness(frame: pd.DataFrame) -> dict[int, dict[str, int]]:
    """PMData's 1-5 (5 best) answers on coachloop's 1-7 (7 worst)."""
    out = {}
    for _, row in frame.iterrows():
        day = (dt.date.fromisoformat(str(row["effective_time_frame"])[:10]) - START).days
        out[day] = {k: round(1 + (5 - float(row[k])) * 1.5)
                    for k in ("fatigue", "soreness", "stress", "sleep_quality")}
    return out


def _report(db: Database, person_id: int, day: dt.date, minutes: float, rpe: float,
            wellness: dict[str, int] | None) -> None:
    def add(s) -> None:  # type: ignore[no-untyped-def]
        person = s.get(Person, person_id)
        checkins.add_checkin(s, person, checkins.NewCheckIn(
            day=day, rpe=round(rpe), minutes=round(minutes), source="seed",
            **(wellness or {})))
    db.run(add)


def _loads(days: dict[int, tuple[float, float]], until: int) -> list[float]:
    return [days[d][0] * days[d][1] if d in days else 0.0 for d in range(until)]


def run(athletes: int, seed: int, progress: bool = True,
        kinds: tuple[str, ...] = KINDS) -> list[WeekResult]:
    """Plan the ``kinds`` of week for every athlete; see the module docstring."""
    export = team_export(athletes=athletes, days=150, seed=seed)
    config = PlanningConfig()
    results: list[WeekResult] = []
    jobs = []
    for name, sessions in export.sessions.groupby("participant"):
        days = _daily(sessions)
        wellness = _wellness(export.wellness[export.wellness["participant"] == name])
        back = export.break_start[str(name)] + BREAK_DAYS
        over = export.overload_start[str(name)]
        cuts = {"usual week": 35, "back from the break": back,
                "mid overload": over + OVERLOAD_DAYS // 2,
                "after the overload": over + OVERLOAD_DAYS + 7}
        jobs += [(str(name), kind, cut, days, wellness) for kind, cut in cuts.items()
                 if kind in kinds]
    bar = tqdm(jobs, desc="planned weeks", unit="week", disable=not progress)
    for index, (name, kind, cut, days, wellness) in enumerate(bar):
        with tempfile.TemporaryDirectory() as folder:
            db = Database(f"sqlite:///{Path(folder) / 'h.sqlite3'}")
            db.upgrade()
            try:
                results.append(_week(db, index, name, kind, cut, days, wellness, config))
            finally:
                db.dispose()
    return results


def _week(db: Database, index: int, name: str, kind: str, cut: int,
          days: dict[int, tuple[float, float]], wellness: dict[int, dict[str, int]],
          config: PlanningConfig) -> WeekResult:
    def make(s) -> int:  # type: ignore[no-untyped-def]
        person = people.get_or_create_person(s, 10_000 + index, name)
        people.give_consent(s, person, {"version": 1},
                            at=dt.datetime.combine(START, dt.time(6), tzinfo=dt.UTC))
        people.update_profile(person, sex="F" if index % 2 else "M", birth_year=1990)
        return int(person.id)

    person_id = db.run(make)
    for d in range(cut):
        if d in days:
            _report(db, person_id, START + dt.timedelta(days=d), *days[d], wellness.get(d))
    history = _loads(days, cut)
    usual = statistics.median([days[d][1] for d in range(max(0, cut - 28), cut) if d in days]
                              or [5.0])
    planned: list[float] = []
    changes: list[float] = []
    for k in range(7):
        day = START + dt.timedelta(days=cut + k)

        def plan(s, day: dt.date = day):  # type: ignore[no-untyped-def]
            person = s.get(Person, person_id)
            return plan_and_store(s, person, day, config)

        decided = db.run(plan)
        minutes = decided.session.estimated_minutes()
        change = decided.inputs.get("policy_volume_change")
        if change is not None:
            changes.append(float(change))
        planned.append(minutes * usual)
        if minutes > 0:  # the athlete follows the plan and reports it
            _report(db, person_id, day, minutes, usual, None)
    before = sum(history[-7:])
    weeks = [sum(history[max(0, cut - 7 * (w + 1)):cut - 7 * w]) for w in range(8)]
    usual_week = statistics.median(weeks)
    return WeekResult(kind, tuple(changes),
                      sum(planned) / before - 1 if before > 0 else None,
                      acwr_rolling(history + planned), acwr_rolling(history),
                      acwr_rolling(history + [usual_week / 7] * 7))


def _side(acwr: float | None) -> int:
    """-1 below the band, +1 above, 0 inside (or unknown)."""
    if acwr is None:
        return 0
    return -1 if acwr < BAND[0] else (1 if acwr > BAND[1] else 0)


def _spread(values: list[float], fmt: str) -> str:
    if not values:
        return "n/a"
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return f"{p50:{fmt}} [{p5:{fmt}}, {p95:{fmt}}]"


def table(results: list[WeekResult]) -> str:
    """The Markdown table of docs/scheduler.md."""
    lines = ["| week | n | PPO volume change, median [p5, p95] | planned load vs the week "
             "before | ACWR at the week's end | outside 0.8-1.5 | of those, driven by the "
             "athlete's own load |", "|---|---|---|---|---|---|---|"]
    groups: dict[str, list[WeekResult]] = defaultdict(list)
    for r in results:
        groups[r.kind].append(r)
    for kind in (*KINDS, "all"):
        rows = results if kind == "all" else groups[kind]
        outside = [r for r in rows if _side(r.acwr_end) != 0]
        own = [r for r in outside if _side(r.acwr_usual) == _side(r.acwr_end)]
        lines.append(
            f"| {kind} | {len(rows)} | "
            f"{_spread([c for r in rows for c in r.volume_changes], '+.1%')} | "
            f"{_spread([r.change for r in rows if r.change is not None], '+.0%')} | "
            f"{_spread([r.acwr_end for r in rows if r.acwr_end is not None], '.2f')} | "
            f"{len(outside)} | {len(own)} |")
    return "\n".join(lines)


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not 1 <= args.athletes <= 100:
        parser.error("--athletes is 1-100")
    started = time.perf_counter()
    results = run(args.athletes, args.seed)
    print(table(results))
    print(f"\n{len(results)} planned weeks of {args.athletes} PMData-shaped athletes "
          f"(seed {args.seed}) in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
