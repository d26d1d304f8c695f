"""An athlete's own week: how many sessions, how long, on which days.

The PE-teaching paper prescribes 4-6 sessions of 35-60 minutes a week; a real athlete has a
timetable. These preferences narrow the ACO scheduler's constraints (`planner.week`): the
number of sessions and their length become exact, and only the named days can hold one.
Parsed from what the athlete types (``/schedule 4 45 mon wed fri sat``), so every value is
checked with a message that says how to fix it.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from planner.input_error import InputError

if TYPE_CHECKING:  # planner.week pulls in the simulator package; load it only when scheduling
    from planner.week import WeekConstraints

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SESSIONS_RANGE = (1, 7)
MINUTES_RANGE = (15, 120)
EXAMPLE = "4 45 mon wed fri sat"
"""A valid ``/schedule``: what the refusals show."""
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
            raise InputError("week_sessions_range",
                             f"sessions per week must be between {low} and {high}",
                             low=low, high=high)
        low, high = MINUTES_RANGE
        if not low <= self.minutes <= high:
            raise InputError("week_minutes_range",
                             f"minutes per session must be between {low} and {high}",
                             low=low, high=high)
        if any(d not in range(1, 8) for d in self.days) or len(set(self.days)) != len(self.days):
            raise InputError("distinct_days", "days must be distinct weekdays")
        if len(self.days) < self.sessions:
            raise InputError("too_few_days", f"{self.sessions} sessions need at least "
                             f"{self.sessions} days; you named {len(self.days)}",
                             sessions=self.sessions, named=len(self.days))

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


#: Weekday names and their usual abbreviations in the other languages the bot speaks (es, de,
#: ru, zh), Monday first; English goes by `DAY_NAMES` prefixes.
LOCAL_DAYS: tuple[tuple[str, ...], ...] = (
    ("lun", "lunes", "mo", "montag", "пн", "понедельник", "周一", "星期一", "礼拜一"),
    ("mar", "martes", "di", "dienstag", "вт", "вторник", "周二", "星期二", "礼拜二"),
    ("mié", "mie", "miércoles", "miercoles", "mi", "mittwoch", "ср", "среда", "周三", "星期三",
     "礼拜三"),
    ("jue", "jueves", "do", "donnerstag", "чт", "четверг", "周四", "星期四", "礼拜四"),
    ("vie", "viernes", "fr", "freitag", "пт", "пятница", "周五", "星期五", "礼拜五"),
    ("sáb", "sab", "sábado", "sabado", "sa", "samstag", "сб", "суббота", "周六", "星期六",
     "礼拜六"),
    ("dom", "domingo", "so", "sonntag", "вс", "воскресенье", "周日", "周天", "星期日", "星期天",
     "礼拜天"),
)


def weekday(word: str) -> int | None:
    """The ISO weekday a typed word names ("wed", "Wednesday", "mié", "Mi.", "ср", "周三"),
    or None: one reading for /schedule and /availability, so a day one accepts the other does."""
    low = word.lower().rstrip(".")
    for i, names in enumerate(LOCAL_DAYS):
        if low in names:
            return i + 1
    if len(low) >= 3 and low.isascii() and low.isalpha():
        for i, name in enumerate(DAY_NAMES):
            if low.startswith(name) or (name == "thu" and low.startswith("thur")):
                return i + 1
    return None


def parse_week_prefs(words: list[str]) -> WeekPreferences:
    """``["4", "45", "mon", "wed", "fri", "sat"]`` -> preferences (days default to all)."""
    numbers: list[str] = []
    days: list[int] = []
    for word in words:
        low = word.lower().strip(",;")
        if not low:
            continue
        day = weekday(low)
        if day is not None:
            if day not in days:
                days.append(day)
        elif _MINUTES.match(low):
            numbers.append(_MINUTES.match(low).group(1))  # type: ignore[union-attr]
        else:
            raise InputError("not_understood",
                             f"I don't understand '{word[:20]}': say e.g. {EXAMPLE}",
                             word=word[:20])
    if len(numbers) != 2:
        raise InputError("two_numbers",
                         f"say how many sessions and how many minutes, e.g. {EXAMPLE}")
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


HABIT_MIN_SESSIONS = 6
"""Sessions in the last 28 days before an athlete's own habit narrows the default week."""
HABIT_MAX_MINUTES = 120.0


def habitual(c: WeekConstraints, day_minutes: Sequence[float],
             days: int = 28) -> WeekConstraints:
    """The paper's default week narrowed towards what the athlete has been doing.

    ``day_minutes`` are the minutes trained on each of the last ``days`` days (0 = rest). The
    PE paper's 4-6 sessions of 35-60 minutes suit a class; an athlete who has trained five
    times a week for 75 minutes would see their chronic load fall by a third on it (ACWR well
    below 0.8 within two weeks: detraining, then a spike when they go back to their habit).
    So, from `HABIT_MIN_SESSIONS` sessions on, the week asks for at least their usual number of
    sessions (within the paper's 4-6) and sessions of 0.8-1.2 x their median length (never
    shorter than the paper's 35 minutes nor longer than `HABIT_MAX_MINUTES`). Used only when the
    athlete has not set their own week (`/schedule`), which always wins.
    """
    done = [float(m) for m in day_minutes[-days:] if m > 0]
    if len(done) < HABIT_MIN_SESSIONS:
        return c
    per_week = len(done) * 7 / days
    median = statistics.median(done)
    sessions = int(min(max(round(per_week), c.min_sessions), c.max_sessions))
    low = min(max(0.8 * median, c.min_minutes), HABIT_MAX_MINUTES)
    high = min(max(1.2 * median, c.max_minutes), HABIT_MAX_MINUTES)
    return replace(c, min_sessions=sessions, min_minutes=low, max_minutes=max(high, low))
