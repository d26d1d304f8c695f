"""A coach's daily digest from storage: one message, a PNG table, a button per athlete, and
the gentle nudges for athletes who did not check in.

A read (no plan is made); `planner.digest` ranks it (`team_day`) and `bot.digest_text`
words it in the coach's language: the wording reads the interface's renderers, which sit above
this layer, so `send_digest` is handed it. Only the coach's own athletes
(`access.require_group_staff`), and only to the coach in private: nothing of it goes to a
group chat. `send_digest` writes the messages to the outbox in the transaction that claimed
the day, so several bot processes send it once and a crash sends it after the restart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session as DbSession

from bot import i18n
from bot.i18n import ngettext
from bot.replies import Button, Reply, to_body
from bot.services import access
from bot.services.compliance import outcomes
from bot.services.history import day_night_flags, stored_nights
from bot.services.planning import local_today
from planner.availability import Availability
from planner.baseline import BASELINE_DAYS
from planner.compliance import compliance
from planner.digest import AthleteDay, DigestRow, digest_rows
from planner.rules import active_pain_sides
from storage import approvals, groups, outbox
from storage import checkins as checkin_repo
from storage.activities import list_activities
from storage.schema import Person

HISTORY_DAYS = 60
PAIN_DAYS = 3


def nudge(name: str, days: int) -> str:
    """The gentle nudge after ``days`` without a check-in, in the current language."""
    return ngettext("Hi {name}, I haven't had a check-in from you for {days} day. How is "
                    "training going? /checkin takes a minute, or just tell me how you feel.",
                    "Hi {name}, I haven't had a check-in from you for {days} days. How is "
                    "training going? /checkin takes a minute, or just tell me how you feel.",
                    days).format(name=name, days=days)


@dataclass(frozen=True, slots=True)
class TeamDay:
    """The digest's data: the coach's teams, their local day and each athlete's row, ranked."""

    title: str
    today: dt.date
    language: str | None
    rows: list[tuple[Person, DigestRow]]


@dataclass(frozen=True, slots=True)
class Digest:
    """What the coach gets, and who is nudged."""

    text: str
    png: bytes
    rows: list[tuple[Person, DigestRow]]

    def reply(self, chat_id: int | None = None) -> Reply:
        """The digest as one message with the table and a button per athlete (/status)."""
        buttons = tuple((Button(f"{row.name}: /status", f"dgst:{person.id}"),)
                        for person, row in self.rows)
        return Reply(self.text, buttons=buttons, image=self.png, chat_id=chat_id)


def athlete_day(db: DbSession, person: Person, today: dt.date) -> AthleteDay:
    """What the digest reads of one athlete."""
    since = today - dt.timedelta(days=HISTORY_DAYS)
    rows = checkin_repo.list_checkins(db, person.id, since=since, until=today)
    sessions = [(r.day, float(r.rpe) * float(r.minutes)) for r in rows
                if r.rpe is not None and r.minutes is not None]
    wellness = [(r.day, {"sleep_quality": r.sleep_quality, "stress": r.stress,
                         "fatigue": r.fatigue, "soreness": r.soreness}) for r in rows]
    recent = [r for r in rows if (today - r.day).days < PAIN_DAYS]
    # the side as the athlete said it (a site said with both sides or none: no side)
    sides = active_pain_sides([(r.day, tuple(r.pain_sites or ()), dict(r.pain_sides or {}))
                               for r in recent], today)
    pain = tuple(sorted({s for r in recent for s in (r.pain_sites or ())}))
    files = [a.day for a in list_activities(db, person.id) if a.day is not None
             and a.day >= since]
    days = outcomes(db, person.id, today)
    yesterday = next((d.outcome for d in days
                      if d.numbers.day == today - dt.timedelta(days=1)), None)
    availability = Availability.from_dict(person.availability)
    window = [today - dt.timedelta(days=n) for n in range(BASELINE_DAYS + 1)]
    away_now = availability.away(today)
    return AthleteDay(key=person.id, name=person.display_name, sessions=sessions,
                      wellness=wellness, checkin_days=[r.day for r in rows], pain_sites=pain,
                      pain_sides={s: side for s, side in sides.items() if s in pain},
                      file_days=files, yesterday=yesterday,
                      compliance=compliance([d.outcome for d in days]),
                      away_days=frozenset(d for d in window if availability.away(d)),
                      away_until=away_now.end if away_now is not None else None,
                      night_flags=day_night_flags(stored_nights(db, person.id, today), rows,
                                                  today))


def team_day(db: DbSession, coach: Person, now: dt.datetime,
             default_tz: str) -> TeamDay | None:
    """The digest's rows of every team the coach leads (None without athletes)."""
    led = [g for g in groups.groups_of(db, coach.id, role="coach") if g.kind == "team"]
    athletes: dict[int, Person] = {}
    for group in led:
        access.require_group_staff(db, coach, group)
        for person in groups.members(db, group.id):
            if person.consent_at is not None:
                athletes[person.id] = person
    if not athletes:
        return None
    today = local_today(coach, now, default_tz)
    days = [athlete_day(db, p, local_today(p, now, default_tz)) for p in athletes.values()]
    rows = digest_rows(days, today)
    return TeamDay(", ".join(g.title for g in led), today, coach.language,
                   [(athletes[r.key], r) for r in rows])


def send_digest(db: DbSession, coach: Person, now: dt.datetime, default_tz: str,
                compose: Callable[[TeamDay], Digest]) -> int:
    """Claim today's digest of ``coach`` and put it, worded by ``compose``
    (`bot.digest_text.digest_of`), and the nudges in the outbox; returns how many messages, 0
    when another process claimed it or there is nothing to say."""
    today = local_today(coach, now, default_tz)
    if not approvals.claim(db, "digest", coach.telegram_user_id, today):
        return 0
    team = team_day(db, coach, now, default_tz)
    if team is None:
        return 0
    digest = compose(team)
    rows = [outbox.Outgoing(coach.telegram_user_id,
                            to_body(digest.reply(coach.telegram_user_id)))]
    for person, row in digest.rows:
        gap = row.no_checkin_days
        if gap is None or gap < 2 or row.away or row.last_checkin is None:
            continue
        # once per silence: the claim's day is the last check-in's, not today
        if approvals.claim(db, "nudge", person.telegram_user_id, row.last_checkin):
            with i18n.language(person.language):  # the athlete's nudge, in their language
                text = nudge(person.display_name, gap)
            rows.append(outbox.Outgoing(person.telegram_user_id, to_body(
                Reply(text, chat_id=person.telegram_user_id))))
    outbox.add(db, None, rows)
    return len(rows)
