"""Asking for background work from inside a handler: a job row in the handler's transaction.

The dialogue never waits for heavy planning (the week's ant-colony schedule, the PPO proposal
and its SHAP explanation): it answers from what is stored or cheap to compute, and asks here
for the full re-plan, which `bot.jobs` runs on a worker (Celery on RabbitMQ, or a thread of
the bot process when no broker is configured). Keys make a repeated ask a no-op: a replayed
update asks for the same job, not a second one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session as DbSession

from storage import connections, jobs
from storage.schema import Person

REPLAN = "replan"
FIRST_WEEK = "first_week"
SYNC = "sync"
REVOKE = "revoke"


def ask_replan(db: DbSession, person: Person, day: dt.date, *, cause: str,
               chat_id: int | None, shown: dict[str, object] | None = None,
               when: str = "tomorrow") -> bool:
    """Re-plan ``day`` with every model; tell ``chat_id`` if the session changes materially.

    ``cause`` is what asked (an update reference), so each check-in asks once; ``shown`` is
    the session the athlete was just shown (its title and exercises), to compare against;
    ``when`` is how the follow-up names the day ("today", "tomorrow").
    """
    return jobs.enqueue(db, f"{REPLAN}:{person.id}:{day.isoformat()}:{cause}"[:120], REPLAN,
                        person_id=person.id,
                        args={"day": day.isoformat(), "chat_id": chat_id, "when": when,
                              "shown": dict(shown or {})})


def ask_first_week(db: DbSession, person: Person, day: dt.date) -> bool:
    """Prepare a new athlete's first plan and week (ACO) before their first /today."""
    return jobs.enqueue(db, f"{FIRST_WEEK}:{person.id}:{day.isoformat()}", FIRST_WEEK,
                        person_id=person.id, args={"day": day.isoformat()})


def ask_sync(db: DbSession, person: Person, provider: str, *, cause: str,
             chat_id: int | None) -> bool:
    """Import what is new from one connection, outside any chat transaction (the provider
    may be slow); ``chat_id`` hears what came in. ``cause`` makes a replay ask once."""
    return jobs.enqueue(db, f"{SYNC}:{person.id}:{provider}:{cause}"[:120], SYNC,
                        person_id=person.id, args={"provider": provider, "chat_id": chat_id})


def ask_revoke(db: DbSession, person: Person, provider: str, *, cause: str,
               chat_id: int | None) -> bool:
    """Withdraw coachloop's access on the provider's side, then delete the tokens (the
    connection row holds them, encrypted, until then: a job's args never hold a secret)."""
    return jobs.enqueue(db, f"{REVOKE}:{person.id}:{provider}:{cause}"[:120], REVOKE,
                        person_id=person.id, args={"provider": provider, "chat_id": chat_id})


def ask_periodic_pulls(db: DbSession, now: dt.datetime, every_minutes: int) -> int:
    """A sync job for every working connection, once per period (the fallback when a push
    event was lost; intervals.icu has no push): the key names the period, so several bot
    processes asking at once store one job each."""
    period = int(now.timestamp() // (max(every_minutes, 1) * 60))
    asked = 0
    for connection in connections.active(db):
        person = db.get(Person, connection.person_id)
        if person is not None and ask_sync(db, person, connection.provider,
                                           cause=f"pull:{period}", chat_id=None):
            asked += 1
    return asked
