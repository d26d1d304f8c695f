"""A teacher's broadcast: today's plan to every student of a class, each personalised.

The dialogue returns only addresses (one copy per student); each copy is planned in its own
transaction just before it is sent (`render_copy`), so a class of 200 never holds one write
lock for a minute. The adapter's outbox sends the copies and the delivery report.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot import i18n
from bot.dialogue.core import CommandHelp, Feature
from bot.i18n import N_, _, ngettext
from bot.render import session_text
from bot.replies import Reply
from bot.services import access
from bot.services.planning import local_today, plan_and_store
from storage import groups, people
from storage.schema import Person

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as DbSession

    from bot.dialogue.core import Dialogue, Turn

import dataclasses

from bot.dialogue.teams import need, staff_groups

BROADCAST_META = "broadcast"
PLAN_FOR = "plan_for"  # "<person id> <ISO day>": a copy to plan just before sending
PLAN_FROM = "plan_from"
REPORT_META = "broadcast_report"


def broadcast(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/broadcast [CODE]: today's plan to every student in private, each personalised."""
    teacher = need(dialogue, turn)
    classes = [g for g in staff_groups(turn, teacher) if g.kind == "class"]
    if args:
        code = groups.normalise_code(args[0])
        classes = [g for g in classes if g.invite_code == code]
    if len(classes) != 1:
        return [Reply(_("Which class? /broadcast CODE (your codes: /class).") if classes else
                      _("Only a class's teacher can broadcast: /class create NAME first."))]
    group = classes[0]
    access.require_group_staff(turn.db, teacher, group)
    students = [p for p in groups.members(turn.db, group.id) if people.has_consent(p)]
    if not students:
        return [Reply(_("'{title}' has no students yet: share code {code}.").format(
            title=group.title, code=group.invite_code))]
    today = local_today(teacher, turn.inc.received_at, dialogue.timezone)
    row = groups.start_broadcast(turn.db, group, teacher, today, [p.id for p in students])
    sending = ngettext("Sending today's plan to {n} student of '{title}'; a delivery report "
                       "follows.", "Sending today's plan to {n} students of '{title}'; a "
                       "delivery report follows.", len(students))
    out = [Reply(sending.format(n=len(students), title=group.title),
                 meta={REPORT_META: str(row.id)})]
    sender = f"{teacher.display_name} ({group.title})"
    for student in students:
        # Only the address here: each copy is planned in its own transaction just before it
        # is sent (`render_copy`), so a class of 200 never holds one write lock for a minute.
        day = local_today(student, turn.inc.received_at, dialogue.timezone)
        out.append(Reply("", chat_id=student.telegram_user_id, meta={
            BROADCAST_META: str(row.id), PLAN_FOR: f"{student.id} {day.isoformat()}",
            PLAN_FROM: sender}))
    return out


def render_copy(dialogue: Dialogue, copy: Reply) -> Reply:
    """A broadcast copy with the student's personalised plan (planned and stored now)."""
    spec = copy.meta.get(PLAN_FOR)
    if spec is None:
        return copy
    person_id, day = spec.split()

    def work(db: DbSession) -> str:
        student = db.get(Person, int(person_id))
        if student is None or not people.has_consent(student):
            raise LookupError("the student left or withdrew consent")
        planned = plan_and_store(db, student, dt.date.fromisoformat(day), dialogue.planning)
        with i18n.language(student.language):  # each copy in its student's own language
            sender = copy.meta.get(PLAN_FROM) or _("your teacher")
            return _("From {sender}:").format(sender=sender) + "\n" + session_text(planned)

    return dataclasses.replace(copy, text=dialogue.database.run(work))


def feature() -> Feature:
    """The teacher's broadcast."""
    return Feature(
        commands={"broadcast": broadcast},
        group_commands=frozenset({"broadcast"}),
        help={"broadcast": CommandHelp(N_("/broadcast [CODE]"), N_("today's plan to every student, "
                                       "privately"), staff=True,
                                       menu=N_("teachers: send the class plan"), rank=65)},
    )
