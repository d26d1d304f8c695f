"""The check-in: /checkin's questions, free-text check-ins, corrections, /today, /why.

Any message that carries check-in content is a check-in, in whichever state it arrives.
Inside the /checkin flow it fills what it carries (RPE, minutes, wellness, pain, feelings) and
the flow asks only what is still missing; a later message that restates a field replaces it
("sorry, it was RPE 4") and the confirmation says what changed. A message the current
question cannot use is answered with what is expected and the way out (/cancel). Pain is
never dropped: a message with pain is merged into the check-in whatever the question was.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from bot import i18n
from bot.dialogue import texts
from bot.dialogue.checkin_report import (
    HOOPER_ITEMS,
    append_text,
    carries_content,
    merge_report,
    reads_like_checkin,
    rejected,
    states_numbers_or_pain,
)
from bot.dialogue.core import CommandHelp, Feature, Turn, help_text
from bot.dialogue.states import State
from bot.dialogue.texts import skipped
from bot.i18n import N_, _
from bot.render import (
    change_summary,
    checkin_summary,
    explanation_text,
    session_text,
    session_title,
    why_text,
)
from bot.replies import Reply, keyboard
from bot.services.background import ask_replan
from bot.services.planning import (
    local_today,
    plan_and_store,
    shown_session,
    stored_explanation,
)
from nlu.report import CheckInReport
from planner.daily import PlannedDay
from planner.rules import site_label
from planner.session import UNSPECIFIED_PAIN_SITE
from storage import checkins as checkin_repo
from storage import people
from storage.checkins import NewCheckIn
from storage.schema import Person

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue

def rpe_keyboard() -> Any:
    """RPE 0-10 as two rows of buttons."""
    return keyboard(
        [(str(n), f"rpe:{n}") for n in range(0, 6)],
        [(str(n), f"rpe:{n}") for n in range(6, 11)],
    )


def hooper_keyboard(item: str) -> Any:
    """A Hooper item's 1-7 buttons."""
    return keyboard([(str(n), f"hooper:{item}:{n}") for n in range(1, 8)])


# ---- commands -------------------------------------------------------------------------------


def checkin_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/checkin: RPE, minutes, the four Hooper items and how it felt, one question at a time.

    Text after the command ("/checkin rpe 6, 45 min") is read as the first answer.
    """
    dialogue.require_person(turn)
    turn.data = {"mode": "full", "day": _today(dialogue, turn).isoformat()}
    if args and turn.inc.text is not None:
        report = dialogue.nlu.parse(" ".join(args)[:4000])
        if carries_content(report):
            merge_report(turn.data, report, overwrite_numbers=True)
            append_text(turn.data, " ".join(args))
            return rejected(report) + next_question(dialogue, turn)
    turn.goto(State.CHECKIN_RPE, turn.data)
    return [Reply(_(texts.ASK_RPE), buttons=rpe_keyboard())]


def today_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/today: today's session."""
    person = dialogue.require_person(turn)
    day = local_today(person, turn.inc.received_at, dialogue.timezone)
    return [Reply(session_text(planned_for_reply(dialogue, turn, person, day)))]


def why_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/why: which rule fired, on which of the athlete's numbers."""
    person = dialogue.require_person(turn)
    day = local_today(person, turn.inc.received_at, dialogue.timezone)
    stored = stored_explanation(turn.db, person, day) if dialogue.defer_planning else None
    if stored is not None:  # the full decision, still current: no need to plan again
        return [Reply(explanation_text(day, stored))]
    return [Reply(why_text(plan_and_store(turn.db, person, day, dialogue.planning)))]


# ---- buttons --------------------------------------------------------------------------------


def rpe_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """An RPE button of the current question."""
    if turn.state == State.CHECKIN_RPE and value.isdigit() and 0 <= int(value) <= 10:
        turn.data["rpe"] = int(value)
        return next_question(dialogue, turn)
    return [Reply(_(texts.STALE_BUTTON))]


def hooper_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """A Hooper item's button of the current question."""
    item, _sep, score = value.partition(":")
    if (turn.state == State.CHECKIN_HOOPER and item == turn.data.get("item")
            and score.isdigit() and 1 <= int(score) <= 7):
        turn.data[item] = int(score)
        return next_question(dialogue, turn)
    return [Reply(_(texts.STALE_BUTTON))]


# ---- free text inside the flow --------------------------------------------------------------


def _expected(turn: Turn) -> Reply:
    """What the current question wants, with the way out."""
    if turn.state == State.CHECKIN_RPE:
        return Reply(_(texts.EXPECT_RPE), buttons=rpe_keyboard())
    if turn.state == State.CHECKIN_HOOPER:
        item = str(turn.data.get("item"))
        return Reply(_(texts.EXPECT_HOOPER), buttons=hooper_keyboard(item))
    return Reply(_(texts.EXPECT_MINUTES))


def _bare_answer(turn: Turn, value: str) -> bool:
    """The question's own answer typed on its own (a number); stored when it is one."""
    if not value.replace(".", "", 1).isdigit():
        return False
    number = float(value)
    if turn.state == State.CHECKIN_RPE and number.is_integer() and 0 <= number <= 10:
        turn.data["rpe"] = int(number)
        return True
    if turn.state == State.CHECKIN_HOOPER and number.is_integer() and 1 <= number <= 7:
        turn.data[str(turn.data.get("item"))] = int(number)
        return True
    if turn.state == State.CHECKIN_MINUTES and 0 <= number <= 600:
        turn.data["minutes"] = number
        return True
    return False


def in_flow(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """Text typed while a check-in question is open (RPE, minutes or a Hooper item).

    A bare number answers the question. Text with check-in content fills what it carries
    and replaces what it restates; the flow then asks only what is still missing. Anything
    else gets the question again, what it expects, and /cancel.
    """
    if _is_stale(dialogue, turn):
        return start_quick(dialogue, turn, text, note=_(texts.STALE_CHECKIN))
    value = text.strip()
    if _bare_answer(turn, value):
        return next_question(dialogue, turn)
    report = turn.report
    if value.replace(".", "", 1).isdigit() or report is None or not carries_content(report):
        return [_expected(turn)]  # a number out of range, or nothing a check-in can use
    changes = merge_report(turn.data, report, overwrite_numbers=True)
    append_text(turn.data, text)
    _note_changes(turn.data, changes)
    return rejected(report) + next_question(dialogue, turn)


def feel(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """The answer to "how do you feel?": any text, read for sentiment, pain and numbers."""
    if _is_stale(dialogue, turn):
        return start_quick(dialogue, turn, text, note=_(texts.STALE_CHECKIN))
    report = turn.report
    if not skipped(text) and report is not None:
        changes = merge_report(turn.data, report, overwrite_numbers=True)
        _note_changes(turn.data, changes)
        append_text(turn.data, text)
    return store(dialogue, turn)


def _note_changes(data: dict[str, Any], changes: list[tuple[str, Any, Any]]) -> None:
    if changes:
        data["changes"] = [*data.get("changes", []), *[list(c) for c in changes]]


def _today(dialogue: Dialogue, turn: Turn) -> dt.date:
    if turn.person is None:
        return turn.inc.received_at.date()
    return local_today(turn.person, turn.inc.received_at, dialogue.timezone)


def _is_stale(dialogue: Dialogue, turn: Turn) -> bool:
    """An open check-in of an earlier day: the athlete is reporting a new day now."""
    started = turn.data.get("day")
    return started is not None and started != _today(dialogue, turn).isoformat()


# ---- free text outside the flow -------------------------------------------------------------


def start_quick(dialogue: Dialogue, turn: Turn, text: str, *, note: str | None = None,
                report: CheckInReport | None = None) -> list[Reply]:
    """A free-text check-in: store what it says, ask only for what is missing."""
    report = report or turn.report
    if report is None:
        return [Reply(_(texts.NOT_UNDERSTOOD))]
    dialogue.require_person(turn)
    turn.data = {"mode": "quick", "day": _today(dialogue, turn).isoformat()}
    merge_report(turn.data, report, overwrite_numbers=True)
    append_text(turn.data, text)
    lead = [Reply(note)] if note else []
    return lead + rejected(report) + next_question(dialogue, turn)


def idle_text(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """Text in no conversation: a question (/today, /why, help), a greeting or a check-in."""
    report = turn.report
    if report is None:
        return [Reply(_(texts.NOT_UNDERSTOOD))]
    intent = report.intent
    if intent == "ask_today":
        return today_cmd(dialogue, turn, [])
    if intent == "ask_why":
        return why_cmd(dialogue, turn, [])
    if intent == "help":
        return [Reply(help_text(dialogue.features))]
    if intent == "greet" and report.rpe is None and report.minutes is None:
        return [Reply(_("Hi!") + " " + help_text(dialogue.features))]
    foreign = None if report.language_supported else language_name(report.language)
    if not reads_like_checkin(report):
        if foreign is not None:
            return [Reply(_(texts.UNSUPPORTED_LANGUAGE).format(language=foreign))]
        return [Reply(_(texts.NOT_UNDERSTOOD))]
    person = dialogue.require_person(turn)
    if report.pain_sites and report.rpe is None and report.minutes is None:
        located = _locate_pain(dialogue, turn, person, report)
        if located:
            return located
    note = None if foreign is None else _(texts.UNSUPPORTED_LANGUAGE_TAKEN).format(language=foreign)
    return start_quick(dialogue, turn, text, report=report, note=note)


def language_name(code: str | None) -> str:
    """A language code's name in the reply's language ("fr" -> "French", "francés")."""
    try:
        return str(i18n.babel_locale().languages.get(code or "", _("this language")))
    except (ValueError, TypeError):
        return _("this language")


def off_topic(dialogue: Dialogue, turn: Turn, text: str, expected: Reply) -> list[Reply]:
    """Text another question cannot use: a check-in if it carries one, else the question.

    Used by every state outside the check-in flow (the profile, confirmations), so a check-in
    typed there is stored rather than refused, and pain there is never lost.
    """
    report = turn.report
    if report is not None and states_numbers_or_pain(report) and people.has_consent(turn.person):
        return start_quick(dialogue, turn, text, note=_(texts.TAKEN_AS_CHECKIN), report=report)
    return [expected]


def _locate_pain(dialogue: Dialogue, turn: Turn, person: Person,
                 report: CheckInReport) -> list[Reply]:
    """"Left knee sore" after today's check-in: add the site to it (no second check-in)."""
    day = local_today(person, turn.inc.received_at, dialogue.timezone)
    row = checkin_repo.locate_pain(turn.db, person.id, day, tuple(report.pain_sites),
                                   UNSPECIFIED_PAIN_SITE, sides=dict(report.pain_sides))
    if row is None:
        return []
    where = ", ".join(site_label(s, report.pain_sides) for s in report.pain_sites)
    return [
        Reply(_("Noted: pain in your {where} added to today's check-in. Exercises loading "
                "it are eased or swapped, and nothing gets harder while it lasts.")
              .format(where=where)),
        next_session(dialogue, turn, person, day),
    ]


# ---- asking and storing ---------------------------------------------------------------------


def next_question(dialogue: Dialogue, turn: Turn) -> list[Reply]:
    """Ask only for what is still missing; store when nothing is."""
    data = turn.data
    if data.get("rpe") is None:
        turn.goto(State.CHECKIN_RPE, data)
        return [Reply(_(texts.ASK_RPE), buttons=rpe_keyboard())]
    if data.get("minutes") is None:
        turn.goto(State.CHECKIN_MINUTES, data)
        return [Reply(_(texts.ASK_MINUTES))]
    if data.get("mode") == "full":
        for item in HOOPER_ITEMS:
            if data.get(item) is None:
                data["item"] = item
                turn.goto(State.CHECKIN_HOOPER, data)
                return [Reply(_(texts.HOOPER_QUESTIONS[item]), buttons=hooper_keyboard(item))]
        if "free_text" not in data and not data.get("feel_asked"):
            data["feel_asked"] = True
            turn.goto(State.CHECKIN_FEEL, data)
            return [Reply(_(texts.ASK_FEEL))]
    return store(dialogue, turn)


def store(dialogue: Dialogue, turn: Turn) -> list[Reply]:
    """Store the collected check-in; confirm it (with what was corrected) and plan tomorrow.

    A redelivered update finds its check-in stored already: it is answered exactly as the
    first time, confirmation and next session included.
    """
    person = dialogue.require_person(turn)
    inc = turn.inc
    data = turn.data
    day = local_today(person, inc.received_at, dialogue.timezone)
    new = NewCheckIn(
        day=day,
        rpe=data.get("rpe"),
        minutes=data.get("minutes"),
        sleep_h=data.get("sleep_h"),
        sleep_quality=data.get("sleep_quality"),
        fatigue=data.get("fatigue"),
        soreness=data.get("soreness"),
        stress=data.get("stress"),
        mood=data.get("mood"),
        free_text=data.get("free_text"),
        sentiment_score=data.get("sentiment_score"),
        sentiment_level=data.get("sentiment_level"),
        sentiment_backends=data.get("sentiment_backends", {}),
        pain_sites=tuple(data.get("pain_sites", ())),
        pain_sides=dict(data.get("pain_sides", {})),
        source=inc.source,
        source_update_id=inc.update_ref,
        message_ref=inc.message_ref,
    )
    checkin_repo.add_checkin(turn.db, person, new)
    turn.finish()
    changed = [tuple(c) for c in data.get("changes", [])]
    lead = (_("(changed: {changes})").format(changes=change_summary(changed)) + " "
            if changed else "")
    # "Saved" and tomorrow's session in one message: one send per check-in instead of two
    # (Telegram allows a bot 30 messages a second), and one notification on the phone
    saved = _("Saved") + " ✅ " + lead + checkin_summary(data)
    out = [Reply(saved + "\n\n" + next_session(dialogue, turn, person, day).text)]
    if UNSPECIFIED_PAIN_SITE in new.pain_sites:  # a question comes last: it wants an answer
        out.append(Reply(_(texts.ASK_PAIN_SITE)))
    return out


def planned_for_reply(dialogue: Dialogue, turn: Turn, person: Person, day: dt.date,
                      when: str = "today") -> PlannedDay:
    """The session for ``day`` as a reply gives it.

    With ``dialogue.defer_planning`` it is planned quickly (every rule, on the stored plan)
    and the full re-plan (a new ACO week, the PPO proposal and its SHAP reasons) is asked for
    as a job, which tells the athlete if the session changes materially. Without, it is
    planned in full here.
    """
    if not dialogue.defer_planning:
        return plan_and_store(turn.db, person, day, dialogue.planning)
    planned = plan_and_store(turn.db, person, day, dialogue.planning.quick())
    inc = turn.inc
    cause = inc.update_ref or f"{inc.source}:{inc.received_at.isoformat()}"
    ask_replan(turn.db, person, day, cause=cause, chat_id=inc.chat_id,
               shown=shown_session(planned), when=when)
    return planned


def next_session(dialogue: Dialogue, turn: Turn, person: Person, day: dt.date) -> Reply:
    """Tomorrow's session, planned with what was just stored (the reply to a report)."""
    tomorrow = planned_for_reply(dialogue, turn, person, day + dt.timedelta(days=1), "tomorrow")
    heading = _("Next: {title} (tomorrow)").format(title=session_title(tomorrow.session.title))
    return Reply(session_text(tomorrow, heading=heading))


def feature() -> Feature:
    """The check-in slice of the dialogue."""
    return Feature(
        commands={"checkin": checkin_cmd, "today": today_cmd, "why": why_cmd},
        buttons={"rpe": rpe_button, "hooper": hooper_button},
        states={State.CHECKIN_RPE: in_flow, State.CHECKIN_MINUTES: in_flow,
                State.CHECKIN_HOOPER: in_flow, State.CHECKIN_FEEL: feel},
        idle=idle_text,
        help={
            "checkin": CommandHelp("/checkin", N_("report today's training and how you feel"),
                                   menu=N_("report today's session"), rank=10),
            "today": CommandHelp("/today", N_("your session for today"),
                                 menu=N_("today's session"), rank=11),
            "why": CommandHelp("/why", N_("why today's session looks like it does"),
                               menu=N_("why it looks like this"), rank=12),
        },
    )
