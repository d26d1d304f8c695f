"""Edits: an edited chat message updates the check-in that message completed.

Telegram sends an edit as a new update naming the same message; `checkin.message_ref`
links a check-in to the message that completed it, so the edit can find it. Nothing else is
ever changed by an edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.dialogue import texts
from bot.dialogue.checkin import next_session
from bot.dialogue.checkin_report import merge_report, reads_like_checkin, rejected
from bot.dialogue.core import Feature, Turn
from bot.i18n import _
from bot.render import change_summary
from bot.replies import Reply
from bot.services.planning import local_today
from planner.session import UNSPECIFIED_PAIN_SITE
from storage import checkins as checkin_repo
from storage import people

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue


def edited(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """An edited message: the check-in it completed takes what the new text states.

    The edit replaces the free text, its sentiment and every number it states; pain sites it
    names are added, and none is removed by an edit (pain reported once is never lost; a new
    check-in says how it is now). An edit of a message that stored nothing but reads like a
    check-in gets a note on how to correct one.
    """
    person = turn.person
    report = turn.report
    if person is None or not people.has_consent(person) or report is None:
        return []
    row = checkin_repo.by_message(turn.db, person.id, turn.inc.message_ref)
    if row is None:
        return [Reply(_(texts.EDIT_NOT_APPLIED))] if reads_like_checkin(report) else []
    if report.rejected:  # an impossible number: the stored check-in stays as it was
        return [Reply(rejected(report)[0].text.rstrip(".")
                      + "; " + _("your check-in of {day} is unchanged.").format(
                          day=row.day.isoformat()))]
    data: dict[str, Any] = {"free_text": text.strip()[:4000]}
    merge_report(data, report, overwrite_numbers=True)
    changes = checkin_repo.amend(turn.db, row, data, UNSPECIFIED_PAIN_SITE)
    day = row.day.isoformat()
    if not changes:
        return [Reply(_("Your edit changes nothing in the check-in of {day}.").format(day=day))]
    out = [Reply(_("Updated your check-in of {day}: {changes}. The plan takes it into "
                   "account.").format(day=day, changes=change_summary(changes)))]
    today = local_today(person, turn.inc.received_at, dialogue.timezone)
    if row.day == today:
        out.append(next_session(dialogue, turn, person, today))
    return out


def feature() -> Feature:
    """The edit handler of the dialogue."""
    return Feature(edit=edited)
