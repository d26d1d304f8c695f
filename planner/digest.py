"""A coach's morning digest: who needs attention, ranked, each flag naming its rule.

The flags are `planner.triage`'s (red / amber readiness, ACWR outside 0.8-1.3, monotony > 2,
load and wellness against the athlete's own last 28 days), computed on the team's stored
check-ins, plus what only the chat knows: pain with its site, yesterday's session missed or
overdone (`planner.compliance`), no check-in for `NO_CHECKIN_DAYS` days or more, and no
wearable file when the athlete usually syncs (files on `USUAL_SYNC_DAYS` of their last 28
days, none in the last two). Ranking: red before amber before green, then more flags, then
name. Info flags (a short history) are left out of the message: they never change a level.
Days the athlete said they are away (`/away`: exams, travel, illness) are not silence: they do
not count towards the check-in gap (so no flag and no nudge for them), no wearable file is
expected on them, and an athlete away today shows as "away until ..." without a flag.
A wearable's night (`planner.night`: sleep under 7 h, HRV below the athlete's smallest
worthwhile change, resting heart rate 5 bpm above their baseline) adds its flags, a watch as
amber and an alert (under 5 h of sleep) as red.

A digest comes in the morning, before the day's session: the load and wellness flags are
read on the last complete day (yesterday, a day without a session counting as rest), the
check-in gap up to today, the night's flags on the night that ended this morning (complete
by the time the digest comes).

Each flag keeps its English sentence (English replies and logs) and the inputs it says, so the
bot words the digest in the coach's language (`bot.digest_text`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.baseline import BASELINE_DAYS
from planner.loadtypes import Flag
from planner.readiness_signals import readiness_signals
from planner.rules import site_label
from planner.triage import NO_CHECKIN_DAYS, triage
from planner.wellness_scales import ItemScale, WellnessItem

HOOPER = tuple(WellnessItem(name, name, ItemScale(1.0, 7.0, False))
               for name in ("sleep_quality", "stress", "fatigue", "soreness"))
"""coachloop's own check-in items, on its own 1-7 scale (higher worse)."""
USUAL_SYNC_DAYS = 8
NO_SYNC_DAYS = 2
RANK = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True, slots=True)
class AthleteDay:
    """What the digest reads of one athlete (already read from storage)."""

    key: int
    name: str
    sessions: Sequence[tuple[dt.date, float]] = ()
    wellness: Sequence[tuple[dt.date, Mapping[str, float | None]]] = ()
    checkin_days: Sequence[dt.date] = ()
    #: Sites (``knee``, ``lower_back``) reported in the last 3 days, and the side said of each
    #: (none when both sides or no side were said).
    pain_sites: tuple[str, ...] = ()
    pain_sides: Mapping[str, str] = field(default_factory=dict, hash=False)
    file_days: Sequence[dt.date] = ()
    yesterday: str | None = None
    compliance: float | None = None
    #: Days of the athlete's blackouts (/away) from the last 28 days to today, and the last
    #: day of the one covering today, if any.
    away_days: frozenset[dt.date] = frozenset()
    away_until: dt.date | None = None
    #: The flags of the wearable's night that ended this morning (`planner.night`).
    night_flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestFlag:
    """One reason to look: the rule's code, its severity, the English sentence and its inputs
    (what the bot words in the coach's language)."""

    code: str
    severity: str
    message: str
    inputs: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class DigestRow:
    """One athlete in the digest."""

    key: int
    name: str
    level: str
    flags: tuple[DigestFlag, ...] = field(default=())
    acwr: float | None = None
    load_7d: float = 0.0
    compliance: float | None = None
    no_checkin_days: int | None = None  # days here (not away) since the last check-in
    last_checkin: dt.date | None = None

    @property
    def away(self) -> bool:
        """The athlete is away today (/away): no nudge, no silence."""
        return any(f.code == "away" for f in self.flags)


def _signals(athletes: Sequence[AthleteDay], day: dt.date) -> dict[str, pd.Series]:
    """The signal row of ``day`` per athlete key (every athlete's days run up to it)."""
    sessions = [(str(a.key), d, load) for a in athletes for d, load in a.sessions if d <= day]
    sessions += [(str(a.key), day, 0.0) for a in athletes]  # a day without a session: rest
    wellness = [{"athlete": str(a.key), "date": d, **{i.name: v.get(i.name) for i in HOOPER}}
                for a in athletes for d, v in a.wellness if d <= day]
    s_frame = pd.DataFrame(sessions, columns=["athlete", "date", "load"])
    s_frame["date"] = pd.to_datetime(s_frame["date"])
    w_frame = pd.DataFrame(wellness, columns=["athlete", "date", *(i.name for i in HOOPER)])
    w_frame["date"] = pd.to_datetime(w_frame["date"])
    for item in HOOPER:
        w_frame[item.name] = pd.to_numeric(w_frame[item.name], errors="coerce")
    signals = readiness_signals(s_frame, w_frame, HOOPER)
    last = signals[pd.to_datetime(signals["date"]).dt.date == day]
    return {str(row["athlete"]): row for _, row in last.iterrows()}


def _last_checkin(a: AthleteDay, today: dt.date) -> dt.date | None:
    return max((d for d in a.checkin_days if d <= today), default=None)


def _chat_flags(a: AthleteDay, today: dt.date) -> tuple[list[DigestFlag], int | None]:
    flags: list[DigestFlag] = []
    if a.pain_sites:
        ordered = sorted(a.pain_sites, key=lambda s: site_label(s, a.pain_sides))
        sites = ", ".join(site_label(s, a.pain_sides) for s in ordered)
        flags.append(DigestFlag("pain", "amber", f"pain: {sites} (reported in the last 3 days)",
                                {"sites": ordered, "sides": dict(a.pain_sides)}))
    if a.yesterday in ("skipped", "overdone"):
        flags.append(DigestFlag(f"session_{a.yesterday}", "amber",
                                f"yesterday's session {a.yesterday} (planned vs done)"))
    last = _last_checkin(a, today)
    # days away are not silence: the gap counts only the days the athlete was here
    gap = None if last is None else sum(
        1 for n in range(1, (today - last).days + 1)
        if today - dt.timedelta(days=n - 1) not in a.away_days)
    if a.away_until is not None:
        flags.append(DigestFlag("away", "info", f"away until {a.away_until:%a %d %b}",
                                {"until": a.away_until}))
    elif gap is None or gap >= NO_CHECKIN_DAYS:
        flags.append(DigestFlag("no_checkin", "amber", "no check-in yet" if last is None else
                                f"no check-in for {gap} days (last {last:%a %d %b})",
                                {"days": gap, "last": last}))
    window = [d for d in a.file_days if today - dt.timedelta(days=BASELINE_DAYS) <= d < today]
    recent = [d for d in window if (today - d).days <= NO_SYNC_DAYS]
    here = [n for n in range(1, NO_SYNC_DAYS + 1)
            if today - dt.timedelta(days=n) not in a.away_days]
    if len(set(window)) >= USUAL_SYNC_DAYS and not recent and here and a.away_until is None:
        flags.append(DigestFlag("no_wearable", "amber",
                                f"no wearable file for {NO_SYNC_DAYS}+ days (usually syncs: "
                                f"{len(set(window))} of the last {BASELINE_DAYS} days)",
                                {"days": NO_SYNC_DAYS, "synced": len(set(window)),
                                 "window": BASELINE_DAYS}))
    return flags, gap


def digest_rows(athletes: Sequence[AthleteDay], today: dt.date) -> list[DigestRow]:
    """Every athlete's row, those who need attention first."""
    if not athletes:
        return []
    signals = _signals(athletes, today - dt.timedelta(days=1))
    days = {d.athlete: d for d in triage(pd.DataFrame(list(signals.values())), HOOPER)} if (
        signals) else {}
    rows = []
    for a in athletes:
        day = days.get(str(a.key))
        # read on yesterday's row: its "today" (an item's answer) is yesterday's report
        found = [DigestFlag(f.code, f.severity, f.message.replace("(today ", "(yesterday "),
                            {**f.inputs, "yesterday": True})
                 for f in (day.flags if day else ()) if f.severity != "info"]
        extra, gap = _chat_flags(a, today)
        night = [DigestFlag(f.code, "red" if f.level == "alert" else "amber",
                            f.message[0].lower() + f.message[1:].rstrip("."),
                            {f.code: f.value})
                 for f in a.night_flags]
        flags = tuple(found + night + extra)
        level = "red" if any(f.severity == "red" for f in flags) else (
            "amber" if any(f.severity != "info" for f in flags) else "green")
        sig = signals.get(str(a.key))
        acwr = float(sig["acwr"]) if sig is not None and pd.notna(sig["acwr"]) else None
        week = sum(load for d, load in a.sessions
                   if today - dt.timedelta(days=7) <= d < today)
        rows.append(DigestRow(a.key, a.name, level, flags, acwr, week, a.compliance, gap,
                              _last_checkin(a, today)))
    rows.sort(key=lambda r: (RANK[r.level], -len(r.flags), r.name))
    return rows
