"""Coach approval in the chat: the setting (/approval), the open drafts (/drafts) and their
buttons (approve, edit, reject, approve all), and /undo of a day's last change.

Private chats only: a draft carries the athlete's reasons (pain among them), so neither the
commands nor their buttons run in a team's group chat. Decisions are `bot.services`' job
(`approval_decisions`, which checks access itself); this module parses, refuses bad input with
the right form, and tells the athlete when their plan changes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot import i18n
from bot.dialogue.core import CommandHelp, Feature
from bot.dialogue.teams import need, staff_groups
from bot.i18n import N_, _, ngettext
from bot.render import session_text, session_title
from bot.replies import Button, Reply, keyboard
from bot.services import access
from bot.services import approval_decisions as decisions
from bot.services.approval import draft_text, policy_for
from bot.services.approval_decisions import Decided
from bot.services.planning import local_today, plan_and_store
from planner.approval import MAX_THRESHOLD, MIN_THRESHOLD, MODES, ApprovalPolicy
from storage import approvals, groups, people
from storage import plans as plan_repo
from storage.schema import Group, Person

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue, Turn

APPROVAL_FORM = N_("/approval @athlete auto|changes|all [10%], or /approval team [CODE] "
                   "auto|changes|all [10%] for the team's default")
UNDO_FORM = N_("/undo [today|tomorrow|YYYY-MM-DD] (yours), or /undo @athlete [day] (a coach)")
EDIT_CHOICES = (("60%", 60), ("80%", 80), ("90%", 90), ("110%", 110), (N_("Rest"), 0))
TOLD = {
    "approved": N_("Your coach {name} approved your session on {day}."),
    "kept": N_("Your coach {name} kept your session on {day}."),
    "set": N_("Your coach {name} set to {what} your session on {day}."),
    "restored": N_("Your coach {name} restored the earlier version of your session on {day}."),
}


def _percent(word: str) -> int | None:
    digits = word[:-1]
    return int(digits) if word.endswith("%") and digits.isdigit() else None


def parse_setting(words: list[str]) -> ApprovalPolicy:
    """``changes 15%`` / ``review all`` / ``auto`` -> the policy; ValueError with the form."""
    rest = [w.lower() for w in words if w.lower() != "review"]
    mode = next((w for w in rest if w in MODES), None)
    extra = [w for w in rest if w != mode]
    threshold = 0.10
    if len(extra) == 1 and _percent(extra[0]) is not None and mode == "changes":
        threshold = (_percent(extra[0]) or 0) / 100
        if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
            raise ValueError(_("the threshold is {low}-{high} of load, e.g. 10%: {form}").format(
                low=f"{MIN_THRESHOLD:.0%}", high=f"{MAX_THRESHOLD:.0%}", form=_(APPROVAL_FORM)))
    elif extra or mode is None:
        raise ValueError(_("say the mode: {form}").format(form=_(APPROVAL_FORM)))
    return ApprovalPolicy(mode, threshold)


#: "today" and "tomorrow" in the bot's languages: each language's /undo form shows its own.
TODAY = frozenset({"today", "hoy", "heute", "сегодня", "今天"})
TOMORROW = frozenset({"tomorrow", "mañana", "manana", "morgen", "завтра", "明天"})


def parse_day(words: list[str], today: dt.date, form: str) -> dt.date:
    """``[]`` / ``today`` / ``tomorrow`` / ``YYYY-MM-DD`` (yesterday to two weeks ahead)."""
    form = _(form)
    if len(words) > 1:
        raise ValueError(_("one day at most: {form}").format(form=form))
    word = words[0].lower() if words else "today"
    if word in TODAY or word in TOMORROW:
        return today + dt.timedelta(days=1 if word in TOMORROW else 0)
    try:
        day = dt.date.fromisoformat(word)
    except ValueError:
        raise ValueError(_("'{word}' is not a day: {form}").format(word=word[:20], form=form)
                         ) from None
    if not today - dt.timedelta(days=1) <= day <= today + dt.timedelta(days=14):
        raise ValueError(_("a day from yesterday to two weeks ahead: {form}").format(form=form))
    return day


def _member(turn: Turn, led: list[Group], ref: str) -> Person | None:
    target = people.find_person(turn.db, ref)
    if target is None or not any(groups.has_role(turn.db, target.id, g.id, "athlete")
                                 for g in led):
        return None
    return target


def approval_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/approval, /approval @athlete MODE [N%], /approval team [CODE] MODE [N%]."""
    coach = need(dialogue, turn)
    led = [g for g in staff_groups(turn, coach) if g.kind == "team"]
    if not led:
        return [Reply(_("Only a team's coach sets approval: /team create NAME first."))]
    if not args:
        lines = [_("Approval of new plans:")]
        for g in led:
            row = approvals.setting_for_groups(turn.db, [g.id])
            team = ApprovalPolicy(row.mode, row.threshold) if row else ApprovalPolicy()
            lines.append("- " + _("team {title}: {policy}").format(title=g.title,
                                                                   policy=team.describe()))
            for p in groups.members(turn.db, g.id):
                if approvals.setting_for_person(turn.db, p.id) is not None:
                    lines.append(f"  - {p.display_name}: {policy_for(turn.db, p).describe()}")
        return [Reply("\n".join([*lines, _("Change it: {form}.").format(form=_(APPROVAL_FORM))]))]
    if args[0].lower() == "team":
        words = args[1:]
        codes = {g.invite_code: g for g in led}
        chosen = led
        if words and groups.normalise_code(words[0]) in codes:
            chosen, words = [codes[groups.normalise_code(words[0])]], words[1:]
        if len(chosen) != 1:
            return [Reply(_("Which team? Your codes are in /team: {form}.").format(
                form=_(APPROVAL_FORM)))]
        policy = parse_setting(words)
        approvals.set_setting(turn.db, actor_id=coach.id, mode=policy.mode,
                              threshold=policy.threshold, group_id=chosen[0].id)
        return [Reply(_("Team {title}: new plans are {policy} by default (an athlete's own "
                        "setting wins). Pain-guard changes always apply at once and are shown "
                        "to you.").format(title=chosen[0].title, policy=policy.describe()))]
    target = _member(turn, led, args[0])
    if target is None:
        return [Reply(_("{name} is not in your team: {form}.").format(
            name=args[0][:40], form=_(APPROVAL_FORM)))]
    policy = parse_setting(args[1:])
    approvals.set_setting(turn.db, actor_id=coach.id, mode=policy.mode,
                          threshold=policy.threshold, person_id=target.id)
    return [Reply(_("{name}: new plans are {policy}. Drafts come to you here with approve / "
                    "edit / reject; /drafts lists the open ones.").format(
        name=target.display_name, policy=policy.describe()))]


def _draft_buttons(revision_id: int) -> tuple[tuple[Button, ...], ...]:
    return keyboard([(_("Approve"), f"appr:{revision_id}"),
                     (_("Edit"), f"apredit:{revision_id}"), (_("Reject"), f"aprrej:{revision_id}")])


def drafts_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/drafts: every open draft with its buttons, and approve-all per team."""
    coach = need(dialogue, turn)
    led = [g for g in staff_groups(turn, coach) if g.kind == "team"]
    if args:
        return [Reply(_("Send /drafts alone: it lists every open draft of your teams."))]
    if not led:
        return [Reply(_("Only a team's coach has drafts to review: /team create NAME first."))]
    out: list[Reply] = []
    for group in led:
        open_rows = decisions.pending_for(turn.db, coach, [group])
        for athlete, row in open_rows:
            stored = plan_repo.get_prescribed(turn.db, athlete.id, row.day)
            text = draft_text(athlete, row.day, row.session, tuple(row.reasons or ()),
                              policy_for(turn.db, athlete), stored)
            out.append(Reply(text, buttons=_draft_buttons(row.id)))
        if len(open_rows) > 1:
            count = len(open_rows)
            drafts = ngettext("{n} draft for {title}.", "{n} drafts for {title}.", count)
            out.append(Reply(drafts.format(n=count, title=group.title),
                             buttons=keyboard([(_("Approve all {n} for {title}").format(
                                 n=count, title=group.title), f"aprall:{group.id}")])))
    return out or [Reply(_("No drafts waiting: every athlete has an approved plan."))]


def _told(coach: Person, decided: Decided, kind: str, pct: str = "") -> Reply:
    """The athlete's message about a decision on their plan, in the athlete's language."""
    with i18n.language(decided.athlete.language):
        text = _(TOLD[kind]).format(name=coach.display_name, day=i18n.day_label(decided.day),
                                    what=_dose(pct))
        body = f"\n{session_text(decided.planned)}" if decided.planned is not None else ""
    return Reply(text + body, chat_id=decided.athlete.telegram_user_id)


def _dose(pct: str) -> str:
    """An edit's dose in words: a rest day, or a percentage of the planned intensity."""
    if not pct:
        return ""
    if pct == "0":
        return _("a rest day")
    return _("{percent} of the planned intensity").format(percent=f"{pct}%")


def _revision_id(value: str) -> int:
    head = value.partition(":")[0]
    if not head.isdigit():
        raise ValueError(_("that button is not one of mine"))
    return int(head)


def approve_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """Approve: the draft becomes the athlete's plan; they are told."""
    coach = need(dialogue, turn)
    decided = decisions.approve(turn.db, coach, _revision_id(value))
    title = session_title(decided.planned.session.title) if decided.planned else _("it")
    return [Reply(_("Approved: {name} on {day} gets {title}.").format(
        name=decided.athlete.display_name, day=i18n.day_label(decided.day), title=title)),
            _told(coach, decided, "approved")]


def reject_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """Reject: the previous plan stays; the athlete's mark goes."""
    coach = need(dialogue, turn)
    decided = decisions.reject(turn.db, coach, _revision_id(value))
    return [Reply(_("Rejected: {name} keeps the previous plan of {day}.").format(
        name=decided.athlete.display_name, day=i18n.day_label(decided.day))),
            _told(coach, decided, "kept")]


def edit_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """Edit: the coach picks the dose (as /override does)."""
    coach = need(dialogue, turn)
    revision_id = _revision_id(value)
    row = approvals.revision(turn.db, revision_id)
    if row is None or row.status != approvals.PENDING:
        return [Reply(_("That draft is closed already: /drafts lists the open ones."))]
    athlete = turn.db.get(Person, row.person_id)
    if athlete is None:
        return [Reply(_("That draft no longer exists."))]
    access.require_staff(turn.db, coach, athlete)
    return [Reply(_("How much of the planned intensity for {name} on {day}?").format(
        name=athlete.display_name, day=i18n.day_label(row.day)),
                  buttons=keyboard([(_(label), f"apredit:{revision_id}:{pct}")
                                    for label, pct in EDIT_CHOICES]))]


def edit_choice(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """An edit's dose chosen: recorded as an override, the day re-planned, the athlete told."""
    revision_id = _revision_id(value)
    pct = value.partition(":")[2]
    if not pct:
        return edit_button(dialogue, turn, value)
    if not pct.isdigit() or int(pct) not in {p for _, p in EDIT_CHOICES}:
        return [Reply(_("Choose one of the buttons (60%, 80%, 90%, 110% or Rest)."))]
    coach = need(dialogue, turn)
    decided = decisions.edit(turn.db, coach, revision_id, int(pct) / 100)
    planned = plan_and_store(turn.db, decided.athlete, decided.day, dialogue.planning)
    decided = Decided(decided.athlete, decided.day, planned)
    return [Reply(_("Edited: {name} on {day} gets {what}.").format(
        name=decided.athlete.display_name, day=i18n.day_label(decided.day), what=_dose(pct))),
            _told(coach, decided, "set", pct)]


def approve_all_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """Approve every open draft of one team."""
    coach = need(dialogue, turn)
    group = turn.db.get(Group, int(value)) if value.isdigit() else None
    if group is None:
        return [Reply(_("That team no longer exists."))]
    done = decisions.approve_all(turn.db, coach, group)
    return [Reply(ngettext("Approved {n} draft for {title}.", "Approved {n} drafts for {title}.",
                           len(done)).format(n=len(done), title=group.title)),
            *(_told(coach, d, "approved") for d in done)]


def undo_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/undo [day] (the athlete, in auto) or /undo @athlete [day] (their coach)."""
    actor = need(dialogue, turn)
    if args and args[0].startswith("@"):
        led = staff_groups(turn, actor)
        athlete = _member(turn, led, args[0]) if led else None
        if athlete is None:
            return [Reply(_("{name} is not in your team: {form}.").format(
                name=args[0][:40], form=_(UNDO_FORM)))]
        words = args[1:]
    else:
        athlete, words = actor, args
    today = local_today(athlete, turn.inc.received_at, dialogue.timezone)
    day = parse_day(words, today, UNDO_FORM)
    decided = decisions.undo(turn.db, actor, athlete, day)
    shown = session_text(decided.planned) if decided.planned is not None else ""
    if athlete.id == actor.id:
        return [Reply(_("Back to your earlier plan of {day}.").format(day=i18n.day_label(day))
                      + f"\n{shown}")]
    return [Reply(_("Restored: {name}'s earlier plan of {day} holds until you decide again.")
                  .format(name=athlete.display_name, day=i18n.day_label(day))),
            _told(actor, decided, "restored")]


def feature() -> Feature:
    """The coach's control over what the planner sends."""
    return Feature(
        commands={"approval": approval_cmd, "drafts": drafts_cmd, "undo": undo_cmd},
        buttons={"appr": approve_button, "aprrej": reject_button, "apredit": edit_choice,
                 "aprall": approve_all_button},
        help={
            "approval": CommandHelp(N_("/approval @athlete auto|changes|all [10%]"),
                                    N_("review new plans before athletes get them (team: "
                                       "/approval team ...)"), staff=True, rank=65),
            "drafts": CommandHelp("/drafts", N_("plans waiting for your approval"), staff=True,
                                  menu=N_("coaches: drafts to approve"), rank=66),
            "undo": CommandHelp(N_("/undo [day], /undo @athlete [day]"), N_("restore a day's "
                                "previous plan"), rank=40),
        },
    )
