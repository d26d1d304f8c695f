"""When an athlete can train: per weekday minutes, kinds of work and sessions; days away.

`/schedule` (`planner.week_prefs`) says how many sessions a week and how long; this says what a
real timetable allows around it: "Tuesday only 30 minutes", "Thursday strength or flexibility
only" (gym day), "Saturday two sessions", and blackout ranges (exams, travel, illness) on which
nothing is planned. The week scheduler (`planner.week`, `planner.aco`) reads it as constraints;
the daily planner makes a day away a rest day and says why.

Everything here is parsed from what the athlete types, so every value is checked against the
form with a message that shows the right one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from planner.input_error import InputError
from planner.sim.athletes import MODALITIES
from planner.week import WeekConstraints
from planner.week_prefs import DAY_NAMES, MINUTES_RANGE, weekday

#: Two sessions on one day: each at most this long (their sum stays within a day the
#: simulator models, 120 min).
DOUBLE_SESSION_MAX = 60.0
#: Blackouts further ahead than this are refused (a typo in the year, not a plan).
MAX_AHEAD_DAYS = 366
MAX_BLACKOUT_DAYS = 92
MAX_BLACKOUTS = 20
REASON_CHARS = 40

DAY_FORM = "e.g. /availability mon 45; tue off; thu 60 strength flexibility; sat 2x40"
AWAY_FORM = "e.g. /away 2026-12-10..2026-12-14 exams (or /away 2026-12-10 travel)"

_DOSE = re.compile(r"^(?:(\d)\s*x\s*)?(\d{1,4})\s*(?:min|mins|minutes|m|')?$")
_KIND_ALIASES = {
    "endurance": "aerobic", "cardio": "aerobic", "run": "aerobic", "running": "aerobic",
    "gym": "strength", "weights": "strength", "sprint": "speed", "sprints": "speed",
    "mobility": "flexibility", "stretching": "flexibility", "easy": "recovery",
}
#: The kinds of work in the other languages the bot speaks: the word each language's replies
#: show (its form and its refusals), then other words its athletes use. Accepted from anyone,
#: in any case.
LOCAL_KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {"aerobic": ("aeróbico", "aerobico", "resistencia", "cardio"),
           "strength": ("fuerza", "gimnasio", "pesas"),
           "speed": ("velocidad", "sprint"),
           "flexibility": ("flexibilidad", "movilidad", "estiramientos"),
           "recovery": ("recuperación", "recuperacion", "suave")},
    "de": {"aerobic": ("Ausdauer", "aerob", "laufen"),
           "strength": ("Kraft", "Krafttraining"),
           "speed": ("Schnelligkeit", "Sprints"),
           "flexibility": ("Beweglichkeit", "Mobilität", "Dehnen"),
           "recovery": ("Erholung", "Regeneration", "locker")},
    "ru": {"aerobic": ("аэробная", "выносливость", "кардио", "бег"),
           "strength": ("сила", "силовая", "зал"),
           "speed": ("скорость", "спринт"),
           "flexibility": ("гибкость", "растяжка", "мобильность"),
           "recovery": ("восстановление", "лёгкая", "легкая")},
    "zh": {"aerobic": ("有氧", "耐力", "跑步"),
           "strength": ("力量", "健身房"),
           "speed": ("速度", "冲刺"),
           "flexibility": ("柔韧", "柔韧性", "拉伸"),
           "recovery": ("恢复", "放松")},
}
_LOCAL_KIND_ALIASES = {alias.lower(): kind for words in LOCAL_KINDS.values()
                       for kind, aliases in words.items() for alias in aliases}


@dataclass(frozen=True, slots=True)
class DayLimit:
    """One weekday: ``minutes`` per session (0 = no training), ``kinds`` allowed (empty = any),
    ``sessions`` (1, or 2 for two a day)."""

    minutes: float
    kinds: tuple[str, ...] = ()
    sessions: int = 1

    def __post_init__(self) -> None:
        if self.minutes == 0:
            return
        low, high = MINUTES_RANGE
        if not low <= self.minutes <= high:
            raise InputError("day_minutes_range",
                             f"minutes on a training day must be between {low} and {high}",
                             low=low, high=high)
        if self.sessions not in (1, 2):
            raise InputError("sessions_per_day", "a day holds one or two sessions")
        if self.sessions == 2 and self.minutes > DOUBLE_SESSION_MAX:
            raise InputError("double_too_long", "two sessions a day: at most "
                             f"{DOUBLE_SESSION_MAX:g} minutes each", most=DOUBLE_SESSION_MAX)
        unknown = [k for k in self.kinds if k not in MODALITIES]
        if unknown:
            raise _unknown_kind(unknown[0])

    def describe(self) -> str:
        """E.g. "2 x 40 min, strength or flexibility" or "off"."""
        if self.minutes == 0:
            return "off"
        dose = (f"2 x {self.minutes:g} min" if self.sessions == 2
                else f"up to {self.minutes:g} min")
        return dose + (f", {' or '.join(self.kinds)}" if self.kinds else "")


@dataclass(frozen=True, slots=True)
class Blackout:
    """Days ``start``..``end`` (inclusive) with no training, and why (the athlete's words)."""

    start: dt.date
    end: dt.date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError("range_backwards", f"the range runs backwards ({self.start} after "
                             f"{self.end}): put the first day first",
                             start=self.start, end=self.end)
        if (self.end - self.start).days + 1 > MAX_BLACKOUT_DAYS:
            raise InputError("blackout_too_long",
                             f"a blackout may last at most {MAX_BLACKOUT_DAYS} days",
                             most=MAX_BLACKOUT_DAYS)

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` is inside the range."""
        return self.start <= day <= self.end

    def describe(self) -> str:
        """E.g. "2026-12-10..2026-12-14 (exams)"."""
        span = (self.start.isoformat() if self.start == self.end
                else f"{self.start.isoformat()}..{self.end.isoformat()}")
        return span + (f" ({self.reason})" if self.reason else "")


@dataclass(frozen=True, slots=True)
class Availability:
    """Weekday limits (ISO weekday 1..7 -> `DayLimit`; a missing day has no limit) and
    blackout ranges."""

    days: dict[int, DayLimit] = field(default_factory=dict)
    blackouts: tuple[Blackout, ...] = ()

    @property
    def is_empty(self) -> bool:
        """No limits at all (the same as nothing stored)."""
        return not self.days and not self.blackouts

    def away(self, day: dt.date) -> Blackout | None:
        """The blackout covering ``day``, if any."""
        return next((b for b in self.blackouts if b.covers(day)), None)

    def as_dict(self) -> dict[str, Any]:
        """JSON form (stored with the person, encrypted: "illness" is health data)."""
        return {
            "days": {str(d): {"minutes": v.minutes, "kinds": list(v.kinds),
                              "sessions": v.sessions} for d, v in sorted(self.days.items())},
            "blackouts": [{"start": b.start.isoformat(), "end": b.end.isoformat(),
                           "reason": b.reason}
                          for b in self.blackouts],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Availability:
        """Back from JSON (nothing stored: no limits)."""
        if not data:
            return cls()
        days = {int(d): DayLimit(float(v["minutes"]), tuple(v.get("kinds", ())),
                                 int(v.get("sessions", 1)))
                for d, v in (data.get("days") or {}).items()}
        blackouts = tuple(
            Blackout(dt.date.fromisoformat(b["start"]), dt.date.fromisoformat(b["end"]),
                     str(b.get("reason") or ""))
            for b in data.get("blackouts") or ())
        return cls(days, blackouts)

    def describe_days(self) -> list[str]:
        """One line per limited weekday, Monday first."""
        return [f"{DAY_NAMES[d - 1].title()}: {v.describe()}"
                for d, v in sorted(self.days.items())]

    def with_days(self, days: dict[int, DayLimit]) -> Availability:
        """These weekdays replaced (others kept)."""
        return replace(self, days={**self.days, **days})

    def with_blackout(self, blackout: Blackout, today: dt.date) -> Availability:
        """Add a blackout; past ones are dropped, overlapping ones must not be added twice."""
        kept = tuple(b for b in self.blackouts if b.end >= today)
        if any(b.start <= blackout.end and blackout.start <= b.end for b in kept):
            raise InputError("blackout_overlap", "that overlaps a blackout you already have: "
                             "/away lists them, /away clear START removes one")
        if len(kept) >= MAX_BLACKOUTS:
            raise InputError("too_many_blackouts", f"at most {MAX_BLACKOUTS} blackouts: /away "
                             "clear START removes one", most=MAX_BLACKOUTS)
        return replace(self, blackouts=tuple(sorted((*kept, blackout), key=lambda b: b.start)))

    def without_blackout(self, start: dt.date) -> Availability:
        """The blackout starting on ``start`` removed (ValueError when there is none)."""
        kept = tuple(b for b in self.blackouts if b.start != start)
        if len(kept) == len(self.blackouts):
            raise InputError("no_blackout", f"no blackout starts on {start.isoformat()}: /away "
                             "lists them", day=start)
        return replace(self, blackouts=kept)

    def fingerprint(self, start: dt.date, end: dt.date) -> str:
        """What of this availability a plan for ``start``..``end`` depends on (no reasons):
        a change in it makes a new plan."""
        days = ",".join(f"{d}={v.minutes:g}/{'+'.join(v.kinds)}/{v.sessions}"
                        for d, v in sorted(self.days.items()))
        away = ",".join(f"{b.start:%m%d}-{b.end:%m%d}" for b in self.blackouts
                        if b.start <= end and start <= b.end)
        return f"{days};{away}" if days or away else ""


#: "No training that day" in the other languages the bot speaks: the word its replies show.
LOCAL_OFF = {"es": "libre", "de": "frei", "ru": "выходной", "zh": "休息"}
#: "No training that day", in the bot's languages.
_OFF = frozenset({"off", "rest", "none", "0", "descanso", "ruhetag", "отдых",
                  *LOCAL_OFF.values()})


def _weekday(word: str) -> int:
    day = weekday(word)
    if day is None:
        raise InputError("not_weekday", f"'{word[:20]}' is not a weekday: use mon, tue, wed, "
                         "thu, fri, sat, sun", word=word[:20])
    return day


def _unknown_kind(word: str) -> InputError:
    return InputError("unknown_kind", f"unknown kind of work '{word[:20]}': use "
                      f"{', '.join(MODALITIES)}", word=word[:20])


def _kind(word: str) -> str:
    low = word.lower().strip(",")
    kind = _KIND_ALIASES.get(low) or _LOCAL_KIND_ALIASES.get(low, low)
    if kind not in MODALITIES:
        raise _unknown_kind(word)
    return kind


def parse_day_limits(text: str) -> dict[int, DayLimit]:
    """``"mon 45; tue off; thu 60 strength flexibility; sat 2x40"`` -> weekday limits.

    Several weekdays may share one limit (``"mon wed 45"``); a day named twice is an error,
    so a typo cannot silently overwrite an earlier part.
    """
    out: dict[int, DayLimit] = {}
    parts = [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]
    if not parts:
        raise InputError("no_days", f"say which days, {DAY_FORM}")
    for part in parts:
        words = [w for w in re.split(r"[\s,]+", part) if w]
        days: list[int] = []
        while words and not _DOSE.match(words[0].lower()) and words[0].lower() not in _OFF:
            days.append(_weekday(words.pop(0)))
        if not days:
            raise InputError("weekday_first", f"start each part with a weekday, {DAY_FORM}")
        if not words:
            raise InputError("no_minutes", f"say the minutes for {DAY_NAMES[days[0] - 1]} "
                             f"('off' for none), {DAY_FORM}", day=days[0])
        dose = words.pop(0).lower()
        if dose in _OFF:
            if words:
                raise InputError("off_with_kinds", "an off day takes no kinds of work "
                                 f"('{words[0][:20]}'), {DAY_FORM}", word=words[0][:20])
            limit = DayLimit(0.0)
        else:
            match = _DOSE.match(dose)
            if match is None:  # cannot happen: the loop above stopped on a dose
                raise InputError("no_dose", f"say the minutes, {DAY_FORM}")
            sessions = int(match.group(1) or 1)
            minutes = float(match.group(2))
            if minutes > 24 * 60:
                raise InputError("more_than_a_day", f"{minutes:g} minutes is more than a day "
                                 f"has, {DAY_FORM}", minutes=minutes)
            limit = DayLimit(minutes, tuple(dict.fromkeys(_kind(w) for w in words)), sessions)
        for day in days:
            if day in out:
                raise InputError("named_twice", f"{DAY_NAMES[day - 1]} is named twice: say each "
                                 "day once", day=day)
            out[day] = limit
    return out


def _date(word: str, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(word)
    except ValueError:
        raise InputError("not_date", f"'{word[:20]}' is not a date: write YYYY-MM-DD, "
                         f"{AWAY_FORM}", word=word[:20]) from None
    if (day - today).days > MAX_AHEAD_DAYS:
        raise InputError("too_far_ahead", f"{day.isoformat()} is more than a year ahead: check "
                         "the year", day=day)
    return day


def parse_blackout(words: list[str], today: dt.date) -> Blackout:
    """``["2026-12-10..2026-12-14", "exams"]`` -> a blackout (its end not in the past)."""
    if not words:
        raise InputError("no_days", f"say which days, {AWAY_FORM}")
    span = words[0]
    first, sep, last = span.partition("..")
    start = _date(first, today)
    end = _date(last, today) if sep else start
    blackout = Blackout(start, end, " ".join(words[1:])[:REASON_CHARS].strip())
    if blackout.end < today:
        raise InputError("already_past", f"{end.isoformat()} is already past: blackouts are "
                         "for coming days", day=end)
    return blackout


def narrow(c: WeekConstraints, availability: Availability,
           week_start: dt.date | None = None) -> WeekConstraints | None:
    """The week's constraints narrowed by the availability; None when no day is left.

    Weekdays marked off and, for the week starting on Monday ``week_start``, the days away
    leave the available days; the week's sessions are capped by the days left (an athlete away
    three days of seven trains on the other four, not on the same days as before plus the
    lost sessions squeezed in). Per weekday the session length and kinds of work are capped.
    """
    limits = [availability.days.get(d + 1) for d in range(7)]
    available = [d for d in c.available_days
                 if (limits[d] is None or limits[d].minutes != 0)  # type: ignore[union-attr]
                 and (week_start is None
                      or availability.away(week_start + dt.timedelta(days=d)) is None)]
    if not available:
        return None
    most = min(c.max_sessions, len(available))
    doubles = [d for d in available if (limit := limits[d]) is not None and limit.sessions == 2]
    return replace(
        c,
        available_days=tuple(available),
        min_sessions=min(c.min_sessions, most),
        max_sessions=most,
        day_minutes=tuple(v.minutes if v is not None and v.minutes else None for v in limits),
        day_modalities=tuple(v.kinds if v is not None else () for v in limits),
        double_days=tuple(doubles),
    )
