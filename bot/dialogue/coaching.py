"""Coaching: the roster (/status), the team chart, and a coach's override of one day.

Replies meant for a coach alone carry the coach's user id as chat id, so a command asked in
the team chat answers there only with what each athlete allowed (/privacy) and sends the
rest privately.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot import i18n
from bot.chart_text import chart_language, chart_text
from bot.dialogue.approval import TODAY, TOMORROW
from bot.dialogue.core import CommandHelp, Feature
from bot.flag_text import flag_label
from bot.i18n import N_, _
from bot.render import PRIVATE_RULES, rule_label, sentences, session_title, site_label
from bot.replies import Reply
from bot.rule_words import NIGHT_CODES, night_words
from bot.services import access, roster
from bot.services.approval_decisions import release
from bot.services.planning import local_today
from storage import groups, people
from storage.schema import Group, Person

if TYPE_CHECKING:

    from bot.dialogue.core import Dialogue, Turn

from bot.dialogue.teams import in_group_chat, need, staff_groups
from planner.charts import team_chart as draw

DOTS = {"green": "🟢", "watch": "🟡", "alert": "🔴"}
READINESS = {"green": N_("green"), "watch": N_("watch"), "alert": N_("alert")}

#: "rest" in the bot's languages, for /override's day off (each language's form shows its own)
REST_WORDS = frozenset({"rest", "descanso", "ruhetag", "pause", "отдых", "休息"})


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
        word = _(READINESS[status.readiness]) if status.readiness in READINESS else status.readiness
        parts.append(f"{DOTS.get(status.readiness, '')} {word}")
    if "load" in shown:
        acwr = i18n.decimal(m.acwr_rolling, 2) if m.acwr_rolling is not None else _("n/a")
        load_trend = _arrow(status.load_7d, status.load_prev_7d)
        done = (", " + _("compliance {percent}/7d").format(
            percent=i18n.percent(status.compliance)) if status.compliance is not None else "")
        parts.append(_("ACWR {acwr}, load {load} AU/7d").format(
            acwr=acwr + _arrow(m.acwr_rolling, status.acwr_week_ago),
            load=f"{status.load_7d:.0f}") + load_trend + done)
    if "sentiment" in shown and status.sentiment_7d is not None:
        parts.append(_("mood {score}").format(score=i18n.signed(status.sentiment_7d, 2))
                     + _arrow(status.sentiment_7d, status.sentiment_prev_7d))
    if "flags" in shown and m.flags:
        parts.append(_("flags: {codes}").format(codes=", ".join(flag_label(f.code)
                                                                for f in m.flags)))
    night = night_words({f.code: f.value for f in m.flags if f.code in NIGHT_CODES})
    if "flags" in shown and night:  # the wearable's night behind its flags, in words
        parts.append(_("night: {signals}").format(signals=", ".join(night)))
    if "plan" in shown:
        if "pain" in shown and status.plan_sentence:  # the coach, in private: the reason
            said = sentences(status.plan_explanation) if status.plan_explanation else []
            why = f" - {(said[0] if said else status.plan_sentence).rstrip('.')}"
        else:  # a group: which rules shaped it, never one that reveals pain
            labels = dict.fromkeys(rule_label(c) for c in status.plan_reasons
                                   if c not in PRIVATE_RULES)
            why = f" ({', '.join(labels)})" if labels else ""
        parts.append(_("plan: {title}").format(title=session_title(status.plan_title)) + why)
    if "pain" in shown and status.pain_sites:
        parts.append(_("pain: {sites}").format(sites=", ".join(
            site_label(s, status.pain_sides) for s in status.pain_sites)))
    if "free_text" in shown and status.last_free_text:
        parts.append(_('said: "{text}"').format(text=status.last_free_text[:120]))
    body = "; ".join(parts) if parts else _("(keeps their data private)")
    return f"{status.name}: {body}"




def _find_member(turn: Turn, led: list[Group], ref: str) -> Person | None:
    target = people.find_person(turn.db, ref)
    if target is None:
        return None
    for g in led:
        if groups.has_role(turn.db, target.id, g.id, "athlete"):
            return target
    return None


def status(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/status and /status @athlete: triage in the chat, full detail to the coach privately."""
    coach = need(dialogue, turn)
    led = staff_groups(turn, coach)
    if not led:
        return [Reply(_("Only the team's coach (or the class's teacher) can ask for its "
                        "status."))]
    now = turn.inc.received_at
    if args:
        target = _find_member(turn, led, args[0])
        if target is None:
            return [Reply(_("{name} is not in your team.").format(name=args[0][:40]))]
        rows = [(target, roster.athlete_status(
            turn.db, target, local_today(target, now, dialogue.timezone), viewer=coach))]
    else:
        rows = []
        for g in led:
            rows += roster.team_status(turn.db, g.id, now, dialogue.timezone, viewer=coach)
        rows.sort(key=lambda pair: pair[1].need())
    if not rows:
        if all(g.kind == "class" for g in led):
            return [Reply(_("No students yet: share the invite code (/class shows it)."))]
        return [Reply(_("No athletes yet: share the invite code (/team shows it)."))]
    title = _("Roster (who needs attention first):")
    private = [title] + [status_line(s, access.allowed(turn.db, coach, p)) for p, s in rows]
    if not in_group_chat(turn.inc):
        return [Reply("\n".join(private))]
    public = [title] + [
        status_line(s, access.allowed(turn.db, coach, p, audience="group")) for p, s in rows
    ]
    return [
        Reply("\n".join(public) + "\n" + _("(Details sent to {name} privately.)")
              .format(name=coach.display_name)),
        Reply("\n".join(private), chat_id=coach.telegram_user_id),
    ]


def team_chart(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/teamchart: the team's ACWR and readiness as a PNG, to the coach privately."""
    coach = need(dialogue, turn)
    led = staff_groups(turn, coach)
    if not led:
        return [Reply(_("Only a team's coach or a class's teacher can see its chart: "
                        "/team create NAME or /class create NAME first."))]
    rows = []
    for g in led:
        rows += roster.team_status(turn.db, g.id, turn.inc.received_at, dialogue.timezone,
                                  viewer=coach)
    if not rows:
        return [Reply(_("Your teams have no athletes yet: share your invite code (/team) "
                        "to get a chart."))]
    with i18n.language(chart_language()):  # English when the language's font is missing
        png = draw([(s.name, s.metrics) for _, s in rows], chart_text(s.name for _, s in rows))
    to = coach.telegram_user_id if in_group_chat(turn.inc) else None
    return [Reply(_("Team readiness: ACWR bar, colour = readiness."), image=png, chat_id=to)]


def _parse_override(args: list[str], today: dt.date) -> tuple[float, dt.date, str]:
    factor: float | None = None
    day = today
    rest: list[str] = []
    for word in args:
        low = word.lower()
        if factor is None and low in REST_WORDS:
            factor = 0.0
        elif factor is None and low.endswith("%") and low[:-1].isdigit():
            factor = int(low[:-1]) / 100
        elif low in TODAY:
            day = today
        elif low in TOMORROW:
            day = today + dt.timedelta(days=1)
        elif len(low) == 10 and low[4] == "-" and low[7] == "-":
            day = dt.date.fromisoformat(low)
        else:
            rest.append(word)
    if factor is None:
        raise ValueError(_("say how much, e.g. /override @ana 70% tomorrow easy week, "
                           "or /override @ana rest"))
    if not today - dt.timedelta(days=1) <= day <= today + dt.timedelta(days=14):
        raise ValueError(_("an override is for a day from yesterday to two weeks ahead"))
    return factor, day, " ".join(rest)


def override(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/override @athlete 70%|rest [today|tomorrow|YYYY-MM-DD] note: recorded and explained."""
    coach = need(dialogue, turn)
    led = staff_groups(turn, coach)
    if not led or not args:
        return [Reply(_("Only a coach can override, as /override @athlete 70% tomorrow note."))]
    target = _find_member(turn, led, args[0])
    if target is None:
        return [Reply(_("{name} is not in your team.").format(name=args[0][:40]))]
    access.require_staff(turn.db, coach, target)  # the service rule, not only this handler's
    today = local_today(target, turn.inc.received_at, dialogue.timezone)
    factor, day, note = _parse_override(args[1:], today)
    groups.set_override(turn.db, target.id, coach.id, day, intensity_factor=factor,
                        volume_factor=1.0 if factor > 0 else 0.0, note=note,
                        group_id=led[0].id)
    release(turn.db, target.id, day, coach.id)  # the coach decided anew: an undo stops holding
    recorded = _("Recorded: {name} on {day} gets {what}.").format(
        name=target.display_name, day=i18n.day_label(day), what=_override_what(factor))
    with i18n.language(target.language):  # the athlete's note, in the athlete's language
        told = (_("Your teacher {name} set your session on {day} to {what}.")
                if led[0].kind == "class" else
                _("Your coach {name} set your session on {day} to {what}.")).format(
            name=coach.display_name, day=i18n.day_label(day), what=_override_what(factor))
        told += _note(note) + " " + _("/today and /why show it.")
    return [
        Reply(recorded + _note(note) + " "
              + _("The planner applies it over its own rules and tells them why.")),
        Reply(told, chat_id=target.telegram_user_id),
    ]


def _override_what(factor: float) -> str:
    if factor == 0:
        return _("a rest day")
    return _("{percent} of the planned intensity").format(percent=i18n.percent(factor))


def _note(note: str) -> str:
    return " " + _("Note: {note}.").format(note=note.rstrip(".")) if note else ""


def feature() -> Feature:
    """The coach's views and decisions."""
    return Feature(
        commands={"status": status, "teamchart": team_chart, "override": override},
        group_commands=frozenset({"status", "teamchart", "override"}),
        help={
            "status": CommandHelp(N_("/status, /status @athlete"), N_("the roster (details go to "
                                  "the coach privately)"), staff=True,
                                  menu=N_("coaches: the roster"), rank=61),
            "teamchart": CommandHelp("/teamchart", N_("the team's chart, sent privately"),
                                     staff=True, rank=62),
            "override": CommandHelp(N_("/override @athlete 70% tomorrow note"),
                                    N_("a coach's decision for one day"), staff=True, rank=63),
        },
    )
