"""Typed week plans shared by the schedulers (ACO, GA, LP, fixed plan) and the planner.

A week is seven `DaySession`s (rest days have ``minutes == 0``). The constraints are the
ones of the two source papers: 4-6 sessions of 35-60 minutes a week (PE-teaching paper,
K-means/BP/NLP section "personalised exercise programme"), heart rate inside the athlete's
safe and effective interval and rest between hard days (athletics ACO paper, Chen et al. 2025,
Eq. 6 heart-rate constraint).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from planner.sim.athletes import MODALITIES
from planner.sim.dynamics import encode_action

HARD_INTENSITY = 0.75  # HR-reserve fraction from which a session counts as "hard"


@dataclass(frozen=True, slots=True)
class WeekConstraints:
    """What a week plan must respect for one athlete.

    ``hr_rest``/``hr_max`` give the heart-rate reserve; ``hr_low``/``hr_high`` the safe,
    effective interval (default 50-85 % of reserve by the Karvonen formula, i.e. ACSM's
    moderate-to-vigorous range). ``available_days``: 0 = Monday ... 6 = Sunday.
    """

    hr_rest: float = 68.0
    hr_max: float = 195.0
    hr_low: float | None = None
    hr_high: float | None = None
    min_sessions: int = 4
    max_sessions: int = 6
    min_minutes: float = 35.0
    max_minutes: float = 60.0
    available_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    #: The athlete's availability (`planner.availability`), per weekday 0..6: the longest a
    #: session may be that day (None = ``max_minutes``), the kinds of work allowed (empty = any
    #: of `MODALITIES`), and the days that may hold a second session.
    day_minutes: tuple[float | None, ...] = (None,) * 7
    day_modalities: tuple[tuple[str, ...], ...] = ((),) * 7
    double_days: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not 0 < self.hr_rest < self.hr_max:
            raise ValueError("need 0 < resting HR < max HR")
        if not 1 <= self.min_sessions <= self.max_sessions <= 7:
            raise ValueError("need 1 <= min_sessions <= max_sessions <= 7")
        if len(set(self.available_days)) < self.min_sessions or any(
            d not in range(7) for d in self.available_days
        ):
            raise ValueError(
                f"need at least {self.min_sessions} distinct available days in 0..6"
            )
        if not 0 < self.min_minutes <= self.max_minutes:
            raise ValueError("need 0 < min_minutes <= max_minutes")
        if len(self.day_minutes) != 7 or len(self.day_modalities) != 7:
            raise ValueError("day_minutes and day_modalities need one entry per weekday")
        if any(m is not None and m <= 0 for m in self.day_minutes):
            raise ValueError("a day's minutes must be positive (leave the day out instead)")
        if any(k not in MODALITIES for kinds in self.day_modalities for k in kinds):
            raise ValueError(f"kinds of work must be among {', '.join(MODALITIES)}")
        if any(d not in self.available_days for d in self.double_days):
            raise ValueError("a day with two sessions must be an available day")

    def minutes_bounds(self, day: int) -> tuple[float, float]:
        """Shortest and longest session on weekday ``day``: the week's bounds, capped by what
        the athlete has that day (a 20-minute day gets a 20-minute session, not none)."""
        cap = self.day_minutes[day % 7]
        if cap is None:
            return self.min_minutes, self.max_minutes
        high = min(self.max_minutes, cap)
        return min(self.min_minutes, high), high

    def modality_allowed(self, day: int, modality: str) -> bool:
        """Whether ``modality`` may be trained on weekday ``day``."""
        kinds = self.day_modalities[day % 7]
        return not kinds or modality in kinds

    @property
    def hr_interval(self) -> tuple[float, float]:
        """Safe, effective heart-rate interval (bpm)."""
        reserve = self.hr_max - self.hr_rest
        lo = self.hr_low if self.hr_low is not None else self.hr_rest + 0.5 * reserve
        hi = self.hr_high if self.hr_high is not None else self.hr_rest + 0.85 * reserve
        if not lo < hi:
            raise ValueError("hr_low must be below hr_high")
        return lo, hi

    def hrr_fraction(self, hr: float) -> float:
        """Karvonen: fraction of heart-rate reserve of a target heart rate."""
        return (hr - self.hr_rest) / (self.hr_max - self.hr_rest)

    def target_hr(self, fraction: float) -> float:
        """Karvonen: target heart rate at a fraction of heart-rate reserve."""
        return self.hr_rest + fraction * (self.hr_max - self.hr_rest)


@dataclass(frozen=True, slots=True)
class DaySession:
    """One day: ``modality`` in `MODALITIES` or "rest"; ``intensity`` = HR-reserve fraction.

    ``second`` is a second session the same day (same ``day``), where the athlete allows two.
    """

    day: int
    modality: str
    minutes: float
    intensity: float
    hr_target: float
    second: DaySession | None = None

    @property
    def is_rest(self) -> bool:
        """True on a rest day."""
        return self.minutes <= 0.0

    @property
    def is_hard(self) -> bool:
        """A training day at or above `HARD_INTENSITY` of HR reserve (either session)."""
        if self.is_rest:
            return False
        return self.intensity >= HARD_INTENSITY or (
            self.second is not None and self.second.is_hard)

    @property
    def total_minutes(self) -> float:
        """Both sessions of the day."""
        return self.minutes + (self.second.minutes if self.second is not None else 0.0)

    def action(self) -> np.ndarray:
        """The simulator action for this day (mostly this modality, a little recovery).

        The simulator steps once a day, so two sessions become one day of their summed minutes
        (capped at the simulator's 120), at their minute-weighted intensity, with both kinds of
        work in the mix in proportion to their minutes.
        """
        if self.is_rest:
            return encode_action(0.0, 0.0, 0.5, np.eye(5)[4])
        mix = np.full(5, 0.02)
        parts = [self] + ([self.second] if self.second is not None else [])
        total = sum(p.minutes for p in parts)
        for p in parts:
            mix[MODALITIES.index(p.modality)] += p.minutes / total
        intensity = sum(p.intensity * p.minutes for p in parts) / total
        return encode_action(intensity, total, 0.5, mix)


@dataclass(frozen=True, slots=True)
class WeekPlan:
    """Seven days of sessions plus how the scheduler scored them."""

    days: tuple[DaySession, ...]
    objective: float
    violation: float
    method: str
    trace: tuple[float, ...] = field(default_factory=tuple)

    @property
    def sessions(self) -> tuple[DaySession, ...]:
        """The training (non-rest) days."""
        return tuple(d for d in self.days if not d.is_rest)

    def actions(self) -> list[np.ndarray]:
        """Per-day simulator actions, Monday first."""
        return [d.action() for d in self.days]


def violation(days: tuple[DaySession, ...], c: WeekConstraints) -> float:
    """Sum of constraint violations (0 = feasible), each in natural units scaled to ~1."""
    v = 0.0
    train = [d for d in days if not d.is_rest]
    n = len(train)
    v += max(0, c.min_sessions - n) + max(0, n - c.max_sessions)
    lo, hi = c.hr_interval
    for d in train:
        parts = [d] + ([d.second] if d.second is not None else [])
        low, high = c.minutes_bounds(d.day)
        for p in parts:
            v += max(0.0, low - p.minutes) / 10.0 + max(0.0, p.minutes - high) / 10.0
            v += max(0.0, lo - p.hr_target) / 10.0 + max(0.0, p.hr_target - hi) / 10.0
            v += 0.0 if c.modality_allowed(d.day, p.modality) else 1.0
        v += 0.0 if d.day in c.available_days else 1.0
        v += 1.0 if d.second is not None and d.day not in c.double_days else 0.0
    for a, b in itertools.pairwise(days):
        v += 1.0 if a.is_hard and not b.is_rest else 0.0  # a rest day follows every hard day
    return v


def project_action(
    action: np.ndarray,
    c: WeekConstraints,
    day: int,
    week_sessions: int,
    yesterday_hard: bool,
) -> tuple[np.ndarray, bool]:
    """Project one day's simulator action onto the week constraints; return (action, trained).

    Rest if asked for (< 20 min), after a hard day, when ``max_sessions`` are done this week, or
    on an unavailable day; a session if the week can otherwise no longer reach
    ``min_sessions``; minutes clipped to the session bounds and intensity to the HR interval.
    ``day`` counts from the start of the block (day % 7 = weekday, 0 = Monday).
    """
    from planner.sim.dynamics import decode_action

    act = decode_action(action)
    weekday = day % 7
    left = sum(1 for d in range(weekday, 7) if d in c.available_days)
    must = c.min_sessions - week_sessions >= left and left > 0
    can = (
        weekday in c.available_days and not yesterday_hard and week_sessions < c.max_sessions
    )
    train = can and (act.minutes >= 20.0 or must)
    if not train:
        return encode_action(0.0, 0.0, 0.5, np.eye(5)[4]), False
    lo, hi = (c.hrr_fraction(x) for x in c.hr_interval)
    frac = float(np.clip(act.intensity, lo, hi))
    minutes = float(np.clip(act.minutes, *c.minutes_bounds(weekday)))
    mix = np.array([m if c.modality_allowed(weekday, k) else 0.0
                    for k, m in zip(MODALITIES, act.mix, strict=True)])
    if mix.sum() <= 0:  # nothing the policy wanted is allowed today: the day's allowed kinds
        mix = np.array([1.0 if c.modality_allowed(weekday, k) else 0.0 for k in MODALITIES])
    return encode_action(frac, minutes, act.work_rest, mix), True
