"""All dialogue features in one list, the readiness alert hook, and the terminal
personas of `coachloop chat --as athlete|coach|teacher`.

Wiring: ``Dialogue(..., features=default_features())`` and adapters call
``handle_with_alerts(dialogue)`` instead of ``dialogue.handle`` so that a check-in that turns
an athlete red alerts their coach in private, in Telegram and in the terminal alike; the sync
job (`bot.jobs.sync`) calls `coach_alerts` after an import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session as DbSession

from bot import i18n
from bot.dialogue import (
    account,
    approval,
    availability,
    broadcasts,
    coaching,
    digest,
    teams,
)
from bot.dialogue import sync as wearable_sync
from bot.dialogue.core import Dialogue, Feature
from bot.flag_text import load_text
from bot.i18n import _
from bot.replies import Incoming, Reply
from bot.services import roster
from bot.services.planning import local_today
from bot.sync import SyncConfig
from storage import groups as group_repo
from storage import people
from storage.schema import Person

log = logging.getLogger(__name__)

GROUP_PREFIX = "group:"
PERSONAS: dict[str, tuple[int, int, str, str]] = {
    # role: (user_id, chat_id, chat_type, display name); negative ids never clash with Telegram
    "athlete": (-1, -1, "private", "Ana"),
    "coach": (-2, -1002, "private", "Coach Ben"),
    "teacher": (-3, -3, "private", "Ms Cruz"),
}


def default_features(sync: SyncConfig | None = None) -> list[Feature]:
    """Teams and classes, coaching (approval, the digest), broadcasts, the athlete's account,
    availability and calendar, and wearable connections (the dialogue adds onboarding, the
    check-in, /help and /cancel itself)."""
    return [teams.feature(), coaching.feature(), approval.feature(), digest.feature(),
            broadcasts.feature(), account.feature(sync), availability.feature(),
            wearable_sync.make_feature(sync or SyncConfig())]


def alerts_in(db: DbSession, dialogue: Dialogue, inc: Incoming) -> list[Reply]:
    """The coaches' private alerts for this turn, read in the caller's transaction.

    Run in a savepoint: an alert that fails is logged and dropped, and the check-in that
    caused it stays stored and confirmed.
    """
    if inc.chat_type != "private" or inc.command is not None or inc.edited:
        return []
    try:
        with db.begin_nested():
            return _alerts(db, dialogue, inc)
    except Exception:
        log.exception("readiness alert failed for update %s", inc.update_id)
        return []


def _alerts(db: DbSession, dialogue: Dialogue, inc: Incoming) -> list[Reply]:
    person = people.get_by_telegram_id(db, inc.user_id)
    if person is None or person.consent_at is None:
        return []
    return coach_alerts(db, person, local_today(person, inc.received_at, dialogue.timezone))


def coach_alerts(db: DbSession, person: Person, today: dt.date) -> list[Reply]:
    """A private alert to each of the athlete's coaches when their readiness has just turned
    red (`roster.readiness_flip` stores it, so each turn to red is said once): after their
    own turn in the chat, and after a wearable sync, whose night can turn it as a CSV does."""
    flipped = roster.readiness_flip(db, person, today)
    if flipped is None:
        return []
    out = []
    for staff_id in sorted(group_repo.staff_of(db, person.id)):
        staff = db.get(Person, staff_id)
        if staff is None:
            continue
        with i18n.language(staff.language):  # each coach reads it in their own language
            flags = "; ".join(load_text(f) for f in flipped.flags) or _("several warning signs")
            out.append(Reply("🔴 " + _("{name} turned red today: {flags}. /status @{handle} for "
                                      "details.").format(
                name=person.display_name, flags=flags,
                handle=person.username or person.display_name), chat_id=staff.telegram_user_id))
    return out


def readiness_alerts(dialogue: Dialogue, inc: Incoming) -> list[Reply]:
    """After an athlete's private turn: a private alert to each coach when they turned red."""
    if inc.chat_type != "private" or inc.command is not None:
        return []
    try:
        return dialogue.database.run(lambda db: alerts_in(db, dialogue, inc))
    except Exception:
        log.exception("readiness alert failed for update %s", inc.update_id)
        return []


def handle_with_alerts(dialogue: Dialogue) -> Callable[[Incoming], list[Reply]]:
    """``dialogue.handle`` followed by the coach alert (what adapters should call)."""

    def handle(inc: Incoming) -> list[Reply]:
        replies = dialogue.handle(inc)
        return replies + readiness_alerts(dialogue, inc)

    return handle


def terminal_persona(role: str) -> tuple[int, int, str, str]:
    """(user_id, chat_id, chat_type, name) for `coachloop chat --as ROLE`."""
    if role not in PERSONAS:
        raise ValueError(f"--as must be one of {', '.join(PERSONAS)}")
    return PERSONAS[role]


def persona_handler(dialogue: Dialogue, role: str) -> Callable[[Incoming], list[Reply]]:
    """The terminal as ROLE: a line starting with ``group:`` is said in the persona's group
    chat, where the terminal user counts as the group's admin (it is their own machine)."""
    user_id, group_chat, _, _ = terminal_persona(role)
    handle = handle_with_alerts(dialogue)

    def persona(inc: Incoming) -> list[Reply]:
        inc = dataclasses.replace(inc, user_id=user_id, chat_id=user_id, chat_type="private")
        if inc.text is not None and inc.text.lower().startswith(GROUP_PREFIX):
            inc = dataclasses.replace(inc, text=inc.text[len(GROUP_PREFIX):].strip(),
                                      chat_id=group_chat, chat_type="group",
                                      sender_is_admin=True)
        return handle(inc)

    return persona
