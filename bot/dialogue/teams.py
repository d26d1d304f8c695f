"""Teams and classes: creating them, linking a group chat, joining by code or deep link.

Channel-agnostic like the core: the Telegram adapter answers the live admin check for
``/team link`` (getChatMember, never cached) and hands the answer over in
``Incoming.sender_is_admin``; a link without a positive answer is refused here, so no adapter
can link a chat by forgetting the check. Who sees what is asked of `bot.services.access`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogue.core import CommandHelp, Feature
from bot.dialogue.states import State
from bot.i18n import N_, _, ngettext
from bot.replies import Incoming, Reply, keyboard
from planner.catalogue import load_catalogue
from storage import groups, people
from storage.schema import Group, Person

if TYPE_CHECKING:

    from bot.dialogue.core import Dialogue, Turn

GROUP_CHATS = ("group", "supergroup")


def need(dialogue: Dialogue, turn: Turn) -> Person:
    """The consenting person of this turn."""
    return dialogue.require_person(turn)


def in_group_chat(inc: Incoming) -> bool:
    """True in a group or supergroup chat."""
    return inc.chat_type in GROUP_CHATS


def staff_groups(turn: Turn, person: Person) -> list[Group]:
    """The groups ``person`` leads: this chat's group in a group chat, else all of theirs."""
    inc = turn.inc
    if in_group_chat(inc):
        group = groups.by_chat(turn.db, inc.chat_id)
        if group is None or not groups.has_role(turn.db, person.id, group.id,
                                                groups.KINDS[group.kind]):
            return []
        return [group]
    return [g for g in groups.groups_of(turn.db, person.id)
            if groups.has_role(turn.db, person.id, g.id, groups.KINDS[g.kind])]


# ---- creating, joining, linking ------------------------------------------------------------


def _create(dialogue: Dialogue, turn: Turn, kind: str, args: list[str]) -> list[Reply]:
    person = need(dialogue, turn)
    if in_group_chat(turn.inc):
        return [Reply(_("Create a team in a private chat with me, then link this group.")
                      if kind == "team" else
                      _("Create a class in a private chat with me, then link this group."))]
    group = groups.create_group(turn.db, person, kind, " ".join(args[1:]))
    team_kind = kind == "team"
    code = group.invite_code
    how = (_("Your athletes send /join {code} (or /start {code}).") if team_kind else
           _("Your students send /join {code} (or /start {code}).")).format(code=code)
    if dialogue.bot_username:  # a deep link: one tap opens the bot with the code
        link = f"https://t.me/{dialogue.bot_username}?start={code}"
        how = (_("Share {link} with your athletes, or they send /join {code}.") if team_kind
               else _("Share {link} with your students, or they send /join {code}.")
               ).format(link=link, code=code)
    extra = (_("In your team's group chat (as a group admin) send /team link {code}.")
             if team_kind else _("Send /broadcast to send today's plan to every student.")
             ).format(code=code)
    made = (_("Team '{title}' created. Invite code: {code}") if team_kind else
            _("Class '{title}' created. Invite code: {code}")).format(title=group.title, code=code)
    return [Reply(f"{made}\n{how}\n{extra}")]


def _link(dialogue: Dialogue, turn: Turn, args: list[str], kind: str) -> list[Reply]:
    inc = turn.inc
    if not in_group_chat(inc):
        return [Reply(_("Send /team link CODE inside the group chat you want to link."))]
    if inc.sender_is_admin is not True:
        return [Reply(_("Only an admin of this group can link it to a team."))]
    person = need(dialogue, turn)
    group = groups.by_code(turn.db, args[1]) if len(args) > 1 else None
    if group is None or not groups.has_role(turn.db, person.id, group.id,
                                            groups.KINDS[group.kind]):
        return [Reply(_("That code is not one of your classes.") if kind == "class" else
                      _("That code is not one of your teams. /team create NAME in private "
                        "gives you one."))]
    groups.link_chat(turn.db, group, inc.chat_id)
    linked = (_("This chat is now linked to '{title}'. Teacher: /status for the roster. "
                "Students: only what you allow with /privacy is shown here.")
              if group.kind == "class" else
              _("This chat is now linked to '{title}'. Coaches: /status for the roster. "
                "Athletes: only what you allow with /privacy is shown here."))
    return [Reply(linked.format(title=group.title))]


def _list(turn: Turn, kind: str) -> list[Reply]:
    person = turn.person
    mine = [g for g in groups.groups_of(turn.db, person.id) if g.kind == kind] if person else []
    if not mine:
        return [Reply(_("/team create NAME makes a team; /join CODE joins one.") if kind == "team"
                      else _("/class create NAME makes a class; /join CODE joins one."))]
    lines = [_("Your teams:") if kind == "team" else _("Your classes:")]
    in_group = in_group_chat(turn.inc)  # a group chat sees the reply: no invite codes there
    for g in mine:
        staff = groups.has_role(turn.db, person.id, g.id, groups.KINDS[kind]) if person else False
        code = " - " + _("code {code}").format(code=g.invite_code) if staff and not in_group \
            else ""
        count = len(groups.members(turn.db, g.id))
        members = ngettext("{n} member", "{n} members", count).format(n=count)
        lines.append(f"- {g.title}{code} ({members})")
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
    teacher = need(dialogue, turn)
    names = sorted(load_catalogue().templates)
    classes = [g for g in staff_groups(turn, teacher) if g.kind == "class"]
    words = args[1:]
    if words and groups.normalise_code(words[0]) in {g.invite_code for g in classes}:
        code = groups.normalise_code(words[0])
        classes, words = [g for g in classes if g.invite_code == code], words[1:]
    if len(classes) != 1:
        return [Reply(_("Which class? /class plan CODE TEMPLATE (your codes: /class).")
                      if classes else
                      _("Only a class's teacher can set its plan: /class create NAME first."))]
    group = classes[0]
    if not words:
        now = group.plan_template or _("none (each student starts from their own group's plan)")
        return [Reply(_("'{title}' class plan: {plan}.").format(title=group.title, plan=now)
                      + "\n" + _("Set one with /class plan TEMPLATE, one of: {names}; /class "
                                 "plan off clears it.").format(names=", ".join(names)))]
    choice = words[0].lower()
    if choice == "off":
        groups.set_class_template(turn.db, group, None)
        return [Reply(_("'{title}' has no class plan now: each student follows their own "
                        "group's plan.").format(title=group.title))]
    if choice not in names:
        return [Reply(_("I don't know the plan '{plan}'. Choose one of: {names}.").format(
            plan=choice[:32], names=", ".join(names)))]
    groups.set_class_template(turn.db, group, choice)
    return [Reply(_("'{title}' class plan: {plan}. Every student gets it adjusted to their own "
                    "tests, load, pain and week; /broadcast sends today's version to each of "
                    "them.").format(title=group.title, plan=choice))]


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
        return [Reply(_("I don't know that invite code. Check it with your coach or teacher."))]
    if not groups.join(turn.db, person, group):
        return [Reply(_("You are already in '{title}'.").format(title=group.title))]
    joined = (_("You joined the team '{title}'. Your coach sees your check-ins in private "
                "(readiness, load, wellness, pain and what you write); the group chat sees "
                "only what you allow with /privacy.") if group.kind == "team" else
              _("You joined the class '{title}'. Your teacher sees your check-ins in private "
                "(readiness, load, wellness, pain and what you write); the group chat sees "
                "only what you allow with /privacy."))
    return [Reply(joined.format(title=group.title))]


def join(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/join CODE."""
    person = need(dialogue, turn)
    if not args:
        return [Reply(_("Send /join followed by the code your coach or teacher gave you."))]
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
    turn.goto(State.CONSENT, {"yes": f"consentjoin:{code}"})  # a typed "yes" joins too
    return [Reply(first.text, buttons=keyboard(
        [(_("I agree"), f"consentjoin:{code}"), (_("No, thanks"), "consent:no")]))]


def consent_join(dialogue: Dialogue, turn: Turn, code: str) -> list[Reply]:
    """The consent button of a deep link: consent exactly as /start, then join."""
    replies = dialogue.consent(turn, "yes")
    if turn.person is None or not people.has_consent(turn.person):
        return replies
    return replies[:1] + _join_group(turn, turn.person, code) + replies[1:]


def feature() -> Feature:
    """Teams and classes: membership, links, class plans."""
    return Feature(
        commands={"start": start, "team": team, "class": klass, "join": join},
        buttons={"consentjoin": consent_join},
        # Team business only: /start, /join and every athlete command stay private.
        group_commands=frozenset({"team", "class"}),
        help={
            "join": CommandHelp(N_("/join CODE"), N_("join a team or class"), rank=20),
            "team": CommandHelp(N_("/team create NAME, /team link CODE"), N_("a team; link its "
                                "group chat (in the group, as admin)"), staff=True, rank=60),
            "class": CommandHelp(N_("/class create NAME, /class, /class plan TEMPLATE"),
                                 N_("a class, its codes and its plan"), staff=True, rank=64),
        },
    )
