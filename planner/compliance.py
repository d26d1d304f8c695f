"""Planned vs done: how each planned session ended, and a week's compliance.

A session ends as ``done``, ``partial``, ``skipped`` or ``overdone`` from what the athlete
reported (the check-in's minutes and RPE, a wearable file's duration, /done per exercise),
against the plan's minutes (tolerances in docs/load.md):

* minutes done / planned: below `PARTIAL_BELOW` (80 %) partial, from `OVERDONE_FROM` (120 %)
  overdone, else done; 0 minutes is skipped;
* load: a session RPE x minutes from `OVERDONE_LOAD` (130 %) of the planned load is overdone
  even within the minutes (the same time, much harder). The planned load is the plan's
  minutes x the athlete's own usual session RPE (median of their last 28 days), because a
  plan states minutes and dose, not an RPE;
* without minutes, /done's exercise marks: all skipped is skipped, at least 80 % done is done,
  else partial;
* a training day that passed without any report counts as skipped; training on a planned
  rest day is overdone; today without a report is not judged before it ends (None).

A week's compliance is the mean credit of its planned sessions: done 1, partial and overdone
0.5 (both off the plan), skipped 0; TrainingPeaks colours its compliance the same way, by the
ratio of done to planned duration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

OUTCOMES = ("done", "partial", "skipped", "overdone")
PARTIAL_BELOW = 0.8
OVERDONE_FROM = 1.2
OVERDONE_LOAD = 1.3
DONE_SHARE = 0.8
CREDIT = {"done": 1.0, "partial": 0.5, "overdone": 0.5, "skipped": 0.0}


@dataclass(frozen=True, slots=True)
class PlannedVsDone:
    """One day: what was planned and what was reported (None = not reported)."""

    day: dt.date
    planned_minutes: float | None
    rest: bool
    done_minutes: float | None = None
    done_load: float | None = None
    usual_rpe: float | None = None
    exercises_done: int = 0
    exercises_skipped: int = 0

    @property
    def planned_load(self) -> float | None:
        """Planned minutes x the athlete's usual session RPE (AU), when both are known."""
        if self.planned_minutes is None or self.usual_rpe is None:
            return None
        return self.planned_minutes * self.usual_rpe


def classify(day: PlannedVsDone, today: dt.date) -> str | None:
    """The outcome of one planned day, or None (a rest day kept, or today not over yet)."""
    reported = day.done_minutes is not None or day.exercises_done or day.exercises_skipped
    if day.rest:
        return "overdone" if (day.done_minutes or 0) > 0 else None
    if not reported:
        return None if day.day >= today else "skipped"
    if day.done_minutes is not None and day.planned_minutes:
        if day.done_minutes <= 0:
            return "skipped"
        ratio = day.done_minutes / day.planned_minutes
        planned_load = day.planned_load
        if ratio >= OVERDONE_FROM or (
                planned_load and day.done_load is not None
                and day.done_load >= OVERDONE_LOAD * planned_load):
            return "overdone"
        return "partial" if ratio < PARTIAL_BELOW else "done"
    marked = day.exercises_done + day.exercises_skipped
    if marked:
        if day.exercises_done == 0:
            return "skipped"
        return "done" if day.exercises_done / marked >= DONE_SHARE else "partial"
    return "done"  # minutes reported against a plan without minutes


def compliance(outcomes: Sequence[str | None]) -> float | None:
    """The mean credit of the judged sessions (None when there is none)."""
    judged = [CREDIT[o] for o in outcomes if o is not None]
    return sum(judged) / len(judged) if judged else None
