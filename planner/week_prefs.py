"""An athlete's own week: how many sessions, how long, on which days.

The PE-teaching paper prescribes 4-6 sessions of 35-60 minutes a week; a real athlete has a
timetable. These preferences narrow the ACO scheduler's constraints (`planner.week`): the
number of sessions and their length become exact, and only the named days can hold one.
Parsed from what the athlete types (``/schedule 4 45 mon wed fri sat``), so every value is
checked with a message that says how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # planner.week pulls in the simulator package; load it only when scheduling
    from planner.week import WeekConstraints

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SESSIONS_RANGE = (1, 7)
MINUTES_RANGE = (15, 120)
_MINUTES = re.compile(r"^(\d{1,3})\s*(?:min|mins|minutes|m|')?$")


@dataclass(frozen=True, slots=True)
class WeekPreferences:
    """``sessions`` per week, ``minutes`` per session, ``days`` as ISO weekdays (1 = Monday)."""

    sessions: int
    minutes: float
    days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)

    def __post_init__(self) -> None:
        low, high = SESSIONS_RANGE
        if not low <= self.sessions <= high:
            raise ValueError(f"sessions per week must be between {low} and {high}")
        low, high = MINUTES_RANGE
        if not low <= self.minutes <= high:
            raise ValueError(f"minutes per session must be between {low} and {high}")
        if any(d not in range(1, 8) for d in self.days) or len(set(self.days)) != len(self.days):
            raise ValueError("days must be distinct weekdays")
        if len(self.days) < self.sessions:
            raise ValueError(f"{self.sessions} sessions need at least {self.sessions} days; "
                             f"you named {len(self.days)}")

    def as_dict(self) -> dict[str, Any]:
        """JSON form (stored with the person)."""
        return {"sessions": self.sessions, "minutes": self.minutes, "days": list(self.days)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> WeekPreferences | None:
        """Back from JSON; None (the default week) for nothing stored."""
        if not data:
            return None
        return cls(int(data["sessions"]), float(data["minutes"]),
                   tuple(int(d) for d in data["days"]))

    def describe(self) -> str:
        """E.g. "4 sessions of 45 min on Mon, Wed, Fri, Sat"."""
        names = ", ".join(DAY_NAMES[d - 1].title() for d in sorted(self.days))
        return f"{self.sessions} sessions of {self.minutes:g} min on {names}"


def parse_week_prefs(words: list[str]) -> WeekPreferences:
    """``["4", "45", "mon", "wed", "fri", "sat"]`` -> preferences (days default to all)."""
    numbers: list[str] = []
    days: list[int] = []
    for word in words:
        low = word.lower().strip(",;")
        if not low:
            continue
        if low[:3] in DAY_NAMES and low.isalpha():
            day = DAY_NAMES.index(low[:3]) + 1
            if day not in days:
                days.append(day)
        elif _MINUTES.match(low):
            numbers.append(_MINUTES.match(low).group(1))  # type: ignore[union-attr]
        else:
            raise ValueError(f"I don't understand '{word[:20]}': say e.g. 4 45 mon wed fri sat")
    if len(numbers) != 2:
        raise ValueError("say how many sessions and how many minutes, e.g. 4 45 mon wed fri sat")
    return WeekPreferences(int(numbers[0]), float(numbers[1]),
                           tuple(sorted(days)) if days else (1, 2, 3, 4, 5, 6, 7))


def constraints_for(
    prefs: WeekPreferences | None, *, hr_rest: float, hr_max: float
) -> WeekConstraints:
    """The scheduler's constraints: the paper's default week, narrowed by the preferences."""
    from planner.week import WeekConstraints

    if prefs is None:
        return WeekConstraints(hr_rest=hr_rest, hr_max=hr_max)
    return WeekConstraints(
        hr_rest=hr_rest, hr_max=hr_max,
        min_sessions=prefs.sessions, max_sessions=prefs.sessions,
        min_minutes=prefs.minutes, max_minutes=prefs.minutes,
        available_days=tuple(d - 1 for d in prefs.days),
    )
