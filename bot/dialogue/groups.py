"""Teams and classes: coaches in group chats, teachers broadcasting, athletes joining by code.

Channel-agnostic like the core: the Telegram adapter answers the live admin check for
``/team link`` (getChatMember, never cached) and hands the answer over in `SENDER_IS_ADMIN`
(or ``Incoming.sender_is_admin`` once that field exists); a link without a positive answer is
refused here, so no adapter can link a chat by forgetting the check. Who sees what is asked of
`bot.services.access`; replies meant for a coach alone carry the coach's user id as chat id.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from typing import TYPE_CHECKING

from bot.dialogue.core import CommandHelp, Feature
from bot.render import PRIVATE_RULES, rule_label, session_text
from bot.replies import Incoming, Reply, keyboard
from bot.services import access, roster
from bot.services.planning import local_today, plan_and_store
from storage import groups, people
from storage.schema import Group, Person

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as DbSession

    from bot.dialogue.core import Dialogue, Turn

SENDER_IS_ADMIN: contextvars.ContextVar[bool | None] = contextvars.ContextVar(
    "coachloop_sender_is_admin", default=None
)
"""Set by the adapter for the current update: the live getChatMember answer (None: unknown)."""
GROUP_CHATS = ("group", "supergroup")
DOTS = {"green": "🟢", "watch": "🟡", "alert": "🔴"}
BROADCAST_META = "broadcast"
PLAN_FOR = "plan_for"  # "<person id> <ISO day>": a copy to plan just before sending
PLAN_FROM = "plan_from"
REPORT_META = "broadcast_report"


def sender_is_admin(inc: Incoming) -> bool:
    """The adapter's live answer for this update (False when nobody checked)."""
    flag = getattr(inc, "sender_is_admin", None)
    if flag is None:
        flag = SENDER_IS_ADMIN.get()
    return flag is True


def _need(dialogue: Dialogue, turn: Turn) -> Person:
    return dialogue.require_person(turn)


def _in_group(inc: Incoming) -> bool:
    return inc.chat_type in GROUP_CHATS


# ---- creating, joining, linking ------------------------------------------------------------


def _create(dialogue: Dialogue, turn: Turn, kind: str, args: list[str]) -> list[Reply]:
    person = _need(dialogue, turn)
    if _in_group(turn.inc):
        return [Reply(f"Create a {kind} in a private chat with me, then link this group.")]
    group = groups.create_group(turn.db, person, kind, " ".join(args[1:]))
    role = "athletes" if kind == "team" else "students"
    how = f"Your {role} send /join {group.invite_code} (or /start {group.invite_code})."
    if dialogue.bot_username:  # a deep link: one tap opens the bot with the code
        how = (f"Share https://t.me/{dialogue.bot_username}?start={group.invite_code} with "
               f"your {role}, or they send /join {group.invite_code}.")
    extra = (f"\nIn your team's group chat (as a group admin) send /team link "
             f"{group.invite_code}." if kind == "team" else "\nSend /broadcast to send "
             "today's plan to every student.")
    return [Reply(f"{kind.title()} '{group.title}' created. Invite code: {group.invite_code}\n"
                  f"{how}{extra}")]


def _link(dialogue: Dialogue, turn: Turn, args: list[str], kind: str) -> list[Reply]:
    inc = turn.inc
    if not _in_group(inc):
        return [Reply("Send /team link CODE inside the group chat you want to link.")]
    if not sender_is_admin(inc):
        return [Reply("Only an admin of this group can link it to a team.")]
    person = _need(dialogue, turn)
    group = groups.by_code(turn.db, args[1]) if len(args) > 1 else None
    if group is None or not groups.has_role(turn.db, person.id, group.id,
                                            groups.KINDS[group.kind]):
        return [Reply(f"That code is not one of your {kind}es." if kind == "class" else
                      "That code is not one of your teams. /team create NAME in private "
                      "gives you one.")]
    groups.link_chat(turn.db, group, inc.chat_id)
    staff, members = (("Teacher", "Students") if group.kind == "class"
                      else ("Coaches", "Athletes"))
    return [Reply(f"This chat is now linked to '{group.title}'. {staff}: /status for the "
                  f"roster. {members}: only what you allow with /privacy is shown here.")]


def _list(turn: Turn, kind: str) -> list[Reply]:
    person = turn.person
    mine = [g for g in groups.groups_of(turn.db, person.id) if g.kind == kind] if person else []
    if not mine:
        return [Reply(f"/{kind} create NAME makes a {kind}; /join CODE joins one.")]
    lines = [f"Your {kind}{'es' if kind.endswith('s') else 's'}:"]
    in_group = _in_group(turn.inc)  # a group chat sees the reply: no invite codes there
    for g in mine:
        staff = groups.has_role(turn.db, person.id, g.id, groups.KINDS[kind]) if person else False
        code = f" - code {g.invite_code}" if staff and not in_group else ""
        count = len(groups.members(turn.db, g.id))
        lines.append(f"- {g.title}{code} ({count} member{'' if count == 1 else 's'})")
    return [Reply("\n".join(lines))]


def team(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/team create NAME | /team link CODE | /team."""
    sub = args[0].lower() if args else ""
    if sub == "create":
        return _create(dialogue, turn, "team", args)
    if sub == "link":
        return _link(dialogue, turn, args, "team")
    return _list(turn, "team")


def _class_plan(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/class plan [CODE] TEMPLATE | /class plan [CODE] off | /class plan: the class plan."""
    from planner.catalogue import load_catalogue

    teacher = _need(dialogue, turn)
    names = sorted(load_catalogue().templates)
    classes = [g for g in _staff_groups(turn, teacher) if g.kind == "class"]
    words = args[1:]
    if words and groups.normalise_code(words[0]) in {g.invite_code for g in classes}:
        code = groups.normalise_code(words[0])
        classes, words = [g for g in classes if g.invite_code == code], words[1:]
    if len(classes) != 1:
        return [Reply("Which class? /class plan CODE TEMPLATE (your codes: /class)." if classes
                      else "Only a class's teacher can set its plan: /class create NAME first.")]
    group = classes[0]
    if not words:
        now = group.plan_template or "none (each student starts from their own group's plan)"
        return [Reply(f"'{group.title}' class plan: {now}.\nSet one with /class plan "
                      f"TEMPLATE, one of: {', '.join(names)}; /class plan off clears it.")]
    choice = words[0].lower()
    if choice == "off":
        groups.set_class_template(turn.db, group, None)
        return [Reply(f"'{group.title}' has no class plan now: each student follows their "
                      "own group's plan.")]
    if choice not in names:
        return [Reply(f"I don't know the plan '{choice[:32]}'. Choose one of: {', '.join(names)}.")]
    groups.set_class_template(turn.db, group, choice)
    return [Reply(f"'{group.title}' class plan: {choice}. Every student gets it adjusted to "
                  "their own tests, load, pain and week; /broadcast sends today's version to "
                  "each of them.")]


def klass(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/class create NAME | /class link CODE | /class plan ... | /class."""
    sub = args[0].lower() if args else ""
    if sub == "create":
        return _create(dialogue, turn, "class", args)
    if sub == "plan":
        return _class_plan(dialogue, turn, args)
    if sub == "link":
        return _link(dialogue, turn, args, "class")
    return _list(turn, "class")


def _join_group(turn: Turn, person: Person, code: str) -> list[Reply]:
    group = groups.by_code(turn.db, code)
    if group is None:
        return [Reply("I don't know that invite code. Check it with your coach or teacher.")]
    staff = "coach" if group.kind == "team" else "teacher"
    if not groups.join(turn.db, person, group):
        return [Reply(f"You are already in '{group.title}'.")]
    return [Reply(f"You joined the {group.kind} '{group.title}'. Your {staff} sees your "
                  "check-ins in private (readiness, load, wellness, pain and what you write); "
                  "the group chat sees only what you allow with /privacy.")]


def join(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/join CODE."""
    person = _need(dialogue, turn)
    if not args:
        return [Reply("Send /join followed by the code your coach or teacher gave you.")]
    return _join_group(turn, person, args[0])


def start(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/start, and deep links /start CODE (consent first, then the join)."""
    if not args:
        return dialogue.start(turn)
    code = groups.normalise_code(args[0])
    if people.has_consent(turn.person) and turn.person is not None:
        return _join_group(turn, turn.person, code)
    replies = dialogue.start(turn)
    first = replies[0]
    return [Reply(first.text, buttons=keyboard(
        [("I agree", f"consentjoin:{code}"), ("No, thanks", "consent:no")]))]


def consent_join(dialogue: Dialogue, turn: Turn, code: str) -> list[Reply]:
    """The consent button of a deep link: consent exactly as /start, then join."""
    replies = dialogue.consent(turn, "yes")
    if turn.person is None or not people.has_consent(turn.person):
        return replies
    return replies[:1] + _join_group(turn, turn.person, code) + replies[1:]


# ---- coach: roster, chart, overrides ------------------------------------------------------


def _arrow(now: float | None, before: float | None, eps: float = 0.05) -> str:
    if now is None or before is None:
        return ""
    if now > before * (1 + eps) if before > 0 else now > before + eps:
        return " ↑"
    if now < before * (1 - eps) if before > 0 else now < before - eps:
        return " ↓"
    return " →"


def status_line(status: roster.AthleteStatus, shown: set[str]) -> str:
    """One roster line with only the items in ``shown``."""
    m = status.metrics
    parts: list[str] = []
    if "readiness" in shown:
        parts.append(f"{DOTS.get(status.readiness, '')} {status.readiness}")
    if "load" in shown:
        acwr = f"{m.acwr_rolling:.2f}" if m.acwr_rolling is not None else "n/a"
        load_trend = _arrow(status.load_7d, status.load_prev_7d)
        parts.append(f"ACWR {acwr}{_arrow(m.acwr_rolling, status.acwr_week_ago)}, "
                     f"load {status.load_7d:.0f} AU/7d{load_trend}")
    if "sentiment" in shown and status.sentiment_7d is not None:
        parts.append(f"mood {status.sentiment_7d:+.2f}"
                     f"{_arrow(status.sentiment_7d, status.sentiment_prev_7d)}")
    if "flags" in shown and m.flags:
        parts.append("flags: " + ", ".join(f.code for f in m.flags))
    if "plan" in shown:
        if "pain" in shown and status.plan_sentence:  # the coach, in private: the reason
            why = f" - {status.plan_sentence.rstrip('.')}"
        else:  # a group: which rules shaped it, never one that reveals pain
            labels = dict.fromkeys(rule_label(c) for c in status.plan_reasons
                                   if c not in PRIVATE_RULES)
            why = f" ({', '.join(labels)})" if labels else ""
        parts.append(f"plan: {status.plan_title}{why}")
    if "pain" in shown and status.pain_sites:
        parts.append("pain: " + ", ".join(s.replace("_", " ") for s in status.pain_sites))
    if "free_text" in shown and status.last_free_text:
        parts.append(f'said: "{status.last_free_text[:120]}"')
    body = "; ".join(parts) if parts else "(keeps their data private)"
    return f"{status.name}: {body}"


def _staff_groups(turn: Turn, person: Person) -> list[Group]:
    inc = turn.inc
    if _in_group(inc):
        group = groups.by_chat(turn.db, inc.chat_id)
        if group is None or not groups.has_role(turn.db, person.id, group.id,
                                                groups.KINDS[group.kind]):
            return []
        return [group]
    return [g for g in groups.groups_of(turn.db, person.id)
            if groups.has_role(turn.db, person.id, g.id, groups.KINDS[g.kind])]


def _find_member(turn: Turn, staff_groups: list[Group], ref: str) -> Person | None:
    target = people.find_person(turn.db, ref)
    if target is None:
        return None
    for g in staff_groups:
        if groups.has_role(turn.db, target.id, g.id, "athlete"):
            return target
    return None


def status(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/status and /status @athlete: triage in the chat, full detail to the coach privately."""
    coach = _need(dialogue, turn)
    staff_groups = _staff_groups(turn, coach)
    if not staff_groups:
        return [Reply("Only the team's coach (or the class's teacher) can ask for its status.")]
    now = turn.inc.received_at
    if args:
        target = _find_member(turn, staff_groups, args[0])
        if target is None:
            return [Reply(f"{args[0][:40]} is not in your team.")]
        rows = [(target, roster.athlete_status(
            turn.db, target, local_today(target, now, dialogue.timezone), dialogue.planning,
            viewer=coach))]
    else:
        rows = []
        for g in staff_groups:
            rows += roster.team_status(turn.db, g.id, now, dialogue.timezone, dialogue.planning,
                                      viewer=coach)
        rows.sort(key=lambda pair: pair[1].need())
    if not rows:
        if all(g.kind == "class" for g in staff_groups):
            return [Reply("No students yet: share the invite code (/class shows it).")]
        return [Reply("No athletes yet: share the invite code (/team shows it).")]
    title = "Roster (who needs attention first):"
    private = [title] + [status_line(s, access.allowed(turn.db, coach, p)) for p, s in rows]
    if not _in_group(turn.inc):
        return [Reply("\n".join(private))]
    public = [title] + [
        status_line(s, access.allowed(turn.db, coach, p, audience="group")) for p, s in rows
    ]
    return [
        Reply("\n".join(public) + f"\n(Details sent to {coach.display_name} privately.)"),
        Reply("\n".join(private), chat_id=coach.telegram_user_id),
    ]


def team_chart(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/teamchart: the team's ACWR and readiness as a PNG, to the coach privately."""
    from planner.charts import team_chart as draw

    coach = _need(dialogue, turn)
    staff_groups = _staff_groups(turn, coach)
    if not staff_groups:
        return [Reply("Only a team's coach or a class's teacher can see its chart: "
                      "/team create NAME or /class create NAME first.")]
    rows = []
    for g in staff_groups:
        rows += roster.team_status(turn.db, g.id, turn.inc.received_at, dialogue.timezone,
                                  dialogue.planning, viewer=coach)
    if not rows:
        return [Reply("Your teams have no athletes yet: share your invite code (/team) "
                      "to get a chart.")]
    png = draw([(s.name, s.metrics) for _, s in rows])
    to = coach.telegram_user_id if _in_group(turn.inc) else None
    return [Reply("Team readiness: ACWR bar, colour = readiness.", image=png, chat_id=to)]


def _parse_override(args: list[str], today: dt.date) -> tuple[float, dt.date, str]:
    factor: float | None = None
    day = today
    rest: list[str] = []
    for word in args:
        low = word.lower()
        if factor is None and low == "rest":
            factor = 0.0
        elif factor is None and low.endswith("%") and low[:-1].isdigit():
            factor = int(low[:-1]) / 100
        elif low == "today":
            day = today
        elif low == "tomorrow":
            day = today + dt.timedelta(days=1)
        elif len(low) == 10 and low[4] == "-" and low[7] == "-":
            day = dt.date.fromisoformat(low)
        else:
            rest.append(word)
    if factor is None:
        raise ValueError("say how much, e.g. /override @ana 70% tomorrow easy week, "
                         "or /override @ana rest")
    if not today - dt.timedelta(days=1) <= day <= today + dt.timedelta(days=14):
        raise ValueError("an override is for a day from yesterday to two weeks ahead")
    return factor, day, " ".join(rest)


def override(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/override @athlete 70%|rest [today|tomorrow|YYYY-MM-DD] note: recorded and explained."""
    coach = _need(dialogue, turn)
    staff_groups = _staff_groups(turn, coach)
    if not staff_groups or not args:
        return [Reply("Only a coach can override, as /override @athlete 70% tomorrow note.")]
    target = _find_member(turn, staff_groups, args[0])
    if target is None:
        return [Reply(f"{args[0][:40]} is not in your team.")]
    access.require_staff(turn.db, coach, target)  # the service rule, not only this handler's
    today = local_today(target, turn.inc.received_at, dialogue.timezone)
    factor, day, note = _parse_override(args[1:], today)
    groups.set_override(turn.db, target.id, coach.id, day, intensity_factor=factor,
                        volume_factor=1.0 if factor > 0 else 0.0, note=note,
                        group_id=staff_groups[0].id)
    what = "a rest day" if factor == 0 else f"{factor:.0%} of the planned intensity"
    when = day.strftime("%a %d %b")
    because = f" Note: {note.rstrip('.')}." if note else ""
    return [
        Reply(f"Recorded: {target.display_name} on {when} gets {what}.{because} "
              "The planner applies it over its own rules and tells them why."),
        Reply(f"Your {'teacher' if staff_groups[0].kind == 'class' else 'coach'} "
              f"{coach.display_name} set your session on {when} to {what}."
              f"{because} /today and /why show it.", chat_id=target.telegram_user_id),
    ]


# ---- teacher: broadcast ----------------------------------------------------------------------


def broadcast(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/broadcast [CODE]: today's plan to every student in private, each personalised."""
    teacher = _need(dialogue, turn)
    classes = [g for g in _staff_groups(turn, teacher) if g.kind == "class"]
    if args:
        code = groups.normalise_code(args[0])
        classes = [g for g in classes if g.invite_code == code]
    if len(classes) != 1:
        return [Reply("Which class? /broadcast CODE (your codes: /class)." if classes else
                      "Only a class's teacher can broadcast: /class create NAME first.")]
    group = classes[0]
    access.require_group_staff(turn.db, teacher, group)
    students = [p for p in groups.members(turn.db, group.id) if people.has_consent(p)]
    if not students:
        return [Reply(f"'{group.title}' has no students yet: share code {group.invite_code}.")]
    today = local_today(teacher, turn.inc.received_at, dialogue.timezone)
    row = groups.start_broadcast(turn.db, group, teacher, today, [p.id for p in students])
    out = [Reply(f"Sending today's plan to {len(students)} students of '{group.title}'; "
                 "a delivery report follows.", meta={REPORT_META: str(row.id)})]
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
    import dataclasses

    spec = copy.meta.get(PLAN_FOR)
    if spec is None:
        return copy
    person_id, day = spec.split()

    def work(db: DbSession) -> str:
        student = db.get(Person, int(person_id))
        if student is None or not people.has_consent(student):
            raise LookupError("the student left or withdrew consent")
        planned = plan_and_store(db, student, dt.date.fromisoformat(day), dialogue.planning)
        return f"From {copy.meta.get(PLAN_FROM, 'your teacher')}:\n" + session_text(planned)

    return dataclasses.replace(copy, text=dialogue.database.run(work))


def feature() -> Feature:
    """The teams-and-classes slice of the dialogue."""
    return Feature(
        commands={
            "start": start, "team": team, "class": klass, "join": join, "status": status,
            "teamchart": team_chart, "override": override, "broadcast": broadcast,
        },
        buttons={"consentjoin": consent_join},
        # Team business only: /start, /join and every athlete command stay private.
        group_commands=frozenset({"team", "class", "status", "teamchart", "override",
                                  "broadcast"}),
        help={
            "join": CommandHelp("/join CODE", "join a team or class", rank=20),
            "team": CommandHelp("/team create NAME, /team link CODE", "a team; link its "
                                "group chat (in the group, as admin)", staff=True, rank=60),
            "status": CommandHelp("/status, /status @athlete", "the roster (details go to "
                                  "the coach privately)", staff=True, menu="coaches: the roster",
                                  rank=61),
            "teamchart": CommandHelp("/teamchart", "the team's chart, sent privately",
                                     staff=True, rank=62),
            "override": CommandHelp("/override @athlete 70% tomorrow note", "a coach's decision "
                                    "for one day", staff=True, rank=63),
            "class": CommandHelp("/class create NAME, /class, /class plan TEMPLATE", "a class, "
                                 "its codes and its plan", staff=True, rank=64),
            "broadcast": CommandHelp("/broadcast [CODE]", "today's plan to every student, "
                                     "privately", staff=True,
                                     menu="teachers: send the class plan", rank=65),
        },
    )
