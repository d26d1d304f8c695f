"""The athlete's own account: week, history charts, fitness tests, exercise feedback,
export, erasure, privacy and reminders.

Every button here carries only what the athlete's own rows can confirm (a day and a position in
*their* prescribed session, a one-time nonce for /forget); a forged or stale button changes
nothing. Reminder changes travel to the adapter in ``Reply.meta["reminder"]`` because only the
adapter owns a job queue.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import i18n
from bot.catalogue_words import feature as test_item
from bot.catalogue_words import listing, session_title, template_title, word
from bot.chart_text import chart_language, chart_text
from bot.dialogue.core import CommandHelp, Feature
from bot.dialogue.states import State
from bot.i18n import N_, _, ngettext
from bot.refusals import refusal, sentence
from bot.render import compliance_text, week_text
from bot.replies import Reply, keyboard
from bot.services import access
from bot.services.compliance import outcomes
from bot.services.history import first_day, performance_outlook, stored_inputs, stored_nights
from bot.services.planning import local_today, plan_and_store
from bot.sync import SyncConfig
from bot.sync.revocation import before_erasure
from bot.week_words import schedule_usage
from bot.week_words import week_text as week_words
from models.items import TEST_RANGES
from planner.charts import report_chart
from planner.readiness import metrics_history
from planner.week_prefs import WeekPreferences, parse_week_prefs
from storage import fitness_tests, people, privacy
from storage import plans as plan_repo
from storage.schema import Person

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue, Turn

log = logging.getLogger(__name__)

REMINDER_META = "reminder"
FEEDBACK = ((N_("done"), "done"), (N_("skipped"), "skipped"), (N_("too hard"), "too_hard"))


def _today(dialogue: Dialogue, turn: Turn, person: Person) -> dt.date:
    return local_today(person, turn.inc.received_at, dialogue.timezone)


# ---- plans and history -----------------------------------------------------------------------


def week(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/week: the next seven days, each planned from today's history."""
    person = dialogue.require_person(turn)
    today = _today(dialogue, turn, person)
    days = [plan_and_store(turn.db, person, today + dt.timedelta(days=i), dialogue.planning)
            for i in range(7)]
    return [Reply(week_text(days, today) + "\n" + _("Later days are re-planned after each "
                                                   "check-in."))]


def history(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/history: load, ACWR, weekly load and wellness trend as one PNG."""
    person = dialogue.require_person(turn)
    today = _today(dialogue, turn, person)
    # the athlete's own chart: their Strava sessions too (shown to them only)
    sessions, wellness = stored_inputs(turn.db, person.id, today, include_strava=True)
    first = first_day(sessions, wellness)
    if first is None:
        return [Reply(_("No history yet: send /checkin after training and I'll chart it."))]
    start = max(first, today - dt.timedelta(days=83))
    metrics = metrics_history(sessions, wellness, start, today,
                              nights=stored_nights(turn.db, person.id, today))
    # the fitness-fatigue model is fitted to the load: never to Strava's (its agreement)
    modelled, _wellness = stored_inputs(turn.db, person.id, today)
    outlook = performance_outlook(turn.db, person.id, modelled, today)
    with i18n.language(chart_language()):  # English when the language's font is missing
        title = ngettext("{name}: last {days} day", "{name}: last {days} days",
                         len(metrics)).format(name=person.display_name, days=len(metrics))
        png = report_chart(metrics, title=title, performance=outlook.forecast,
                           text=chart_text())
    caption = _("Your load (CTL/ATL/TSB), ACWR, weekly load and wellness trend.")
    forecast = outlook.forecast
    if forecast.fit is not None and forecast.predicted is not None:
        caption += " " + _("Bottom: your fitness tests and what the fitness-fatigue model "
                           "expects at the next test under your plan.")
    days = outcomes(turn.db, person.id, today)
    return [Reply(caption, image=png), Reply(compliance_text(days))]


def done(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/done: today's exercises, each with done / skipped / too hard buttons."""
    person = dialogue.require_person(turn)
    today = _today(dialogue, turn, person)
    stored = plan_repo.get_prescribed(turn.db, person.id, today)
    if stored is None:
        plan_and_store(turn.db, person, today, dialogue.planning)
        stored = plan_repo.get_prescribed(turn.db, person.id, today)
    if stored is None or not stored.exercises:
        return [Reply(_("Today is a rest day: nothing to tick off. /checkin to report anyway."))]
    out = [Reply(_("{title}: how did each exercise go?").format(
        title=session_title(stored.title)))]
    for ex in stored.exercises:
        out.append(Reply(f"{ex.position + 1}. {word(ex.name)}", buttons=keyboard(
            [(_(label), f"ex:{today.isoformat()}:{ex.position}:{code}")
             for label, code in FEEDBACK]
        )))
    return out


def exercise_feedback(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """An ``ex:DAY:POSITION:STATUS`` button: checked against the athlete's own session."""
    person = dialogue.require_person(turn)
    parts = value.split(":")
    today = _today(dialogue, turn, person)
    try:
        day = dt.date.fromisoformat(parts[0])
        position = int(parts[1])
        status = parts[2]
    except (IndexError, ValueError):
        return [Reply(_("That button is not valid."))]
    if status not in {code for _, code in FEEDBACK} or not (
        today - dt.timedelta(days=7) <= day <= today
    ):
        return [Reply(_("That button is not valid any more."))]
    stored = plan_repo.get_prescribed(turn.db, person.id, day)
    match = [e for e in stored.exercises if e.position == position] if stored else []
    if not match:
        return [Reply(_("That button is not valid any more."))]
    ex = match[0]
    logs = [r for r in plan_repo.list_exercise_logs(turn.db, person.id, day)
            if r.day == day and r.exercise_id == ex.exercise_id and r.activity_id is None]
    if logs:
        logs[0].status = status
        logs[0].completed = status != "skipped"
    else:
        plan_repo.add_exercise_log(turn.db, person.id, day, exercise_id=ex.exercise_id,
                                   sets=ex.sets, reps=ex.reps, seconds=ex.seconds,
                                   distance_m=ex.distance_m, load_kg=ex.load_kg, status=status)
    label = dict((c, lbl) for lbl, c in FEEDBACK)[status]
    note = " " + _("I'll make it easier next time.") if status == "too_hard" else ""
    return [Reply(f"{word(ex.name)}: {_(label)}.{note}")]


# ---- fitness tests ---------------------------------------------------------------------------


UNITS = {"reps": N_("reps")}
"""The fitness tests' units that are words (cm, kg, s are the same in every language)."""


def _unit(unit: str | None) -> str:
    return _(UNITS[unit]) if unit in UNITS else unit or ""


def _tests_help() -> str:
    lines = [_("Send /test ITEM VALUE (several pairs at once are fine), e.g. /test pull_ups 12 "
               "run_50m_s 7.4. Items:")]
    lines += [f"- {k}: {word(w)} ({lo:g}-{hi:g} {_unit(u)})"
              for k, (lo, hi, u, w) in TEST_RANGES.items()]
    return "\n".join(lines)


def test(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/test ITEM VALUE ...: store fitness-test results after a range check."""
    person = dialogue.require_person(turn)
    if not args or len(args) % 2:
        return [Reply(_tests_help())]
    values: dict[str, tuple[float, str | None]] = {}
    for item, raw in zip(args[::2], args[1::2], strict=True):
        key = item.lower()
        if key not in TEST_RANGES:
            return [Reply(_("I don't know the test '{item}'.").format(item=item[:32]) + "\n"
                          + _tests_help())]
        low, high, unit, what = TEST_RANGES[key]
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            return [Reply(_("{what}: '{value}' is not a number.").format(what=word(what),
                                                                         value=raw[:16]))]
        if not low <= number <= high:
            return [Reply(_("{what} must be between {low} and {high} {unit}.").format(
                what=word(what), low=f"{low:g}", high=f"{high:g}", unit=_unit(unit)))]
        values[key] = (number, unit)
    today = _today(dialogue, turn, person)
    fitness_tests.add_results(turn.db, person.id, today, values)
    saved = ", ".join(f"{k} {v:g} {_unit(u)}" for k, (v, u) in values.items())
    return [Reply(_("Saved") + f" ✅ {saved}.\n" + _assessment(person, turn, dialogue))]


def _assessment(person: Person, turn: Turn, dialogue: Dialogue) -> str:
    """What the fitness models make of the tests so far (honest when they cannot say)."""
    if person.sex not in ("M", "F"):
        return _("Tell me your sex in the profile (/start) to compare with the norms.")
    try:
        from models.fitness import assess  # scikit-learn (~1 s): only for a fitness test
    except ImportError:
        return _("Fitness grouping is not available in this install.")
    today = _today(dialogue, turn, person)
    age = today.year - person.birth_year if person.birth_year else None
    try:
        result = assess(fitness_tests.latest_results(turn.db, person.id), person.sex,
                        dialogue.planning.model_dir, age=age)
    except Exception as exc:  # a missing artefact must not lose the stored result
        log.warning("fitness assessment unavailable: %s", type(exc).__name__)
        return _("Stored; the fitness models could not assess it right now.")
    weak = listing(test_item(d.feature) for d in result.deficiencies[:2])
    return (_("Your fitness group's template: {template}.").format(
                template=template_title(result.template))
            + (" " + _("To work on: {items}.").format(items=weak) if weak else "")
            + estimated_note(result.imputed))


def estimated_note(imputed: list[str]) -> str:
    """Which items the models estimated (typical values for the athlete's sex), in plain words."""
    if not imputed:
        return ""
    shown = [test_item(item) for item in imputed if not item.startswith("lap_")]
    if any(item.startswith("lap_") for item in imputed):
        shown.append(_("3000 m lap splits"))
    return " " + _("Estimated, not measured (typical values for your sex): {items}. Add them "
                   "with /test for a sharper assessment.").format(items=listing(shown))


# ---- privacy, export, erasure, reminders ---------------------------------------------------


ITEMS = {"readiness": N_("readiness"), "load": N_("load"), "sentiment": N_("sentiment"),
         "flags": N_("flags"), "plan": N_("plan")}
# TRANSLATORS: what the team's group chat may see of an item (/privacy)
SHOWN, HIDDEN = N_("shown"), N_("hidden")


def _privacy_reply(person: Person) -> Reply:
    shown = access.visibility(person)
    lines = [_("What your team's group chat may see (your coach or teacher sees all of it in "
               "private; free text and pain details never go to a group):")]
    lines += [f"- {_(ITEMS[k])}: {_(SHOWN if v else HIDDEN)}" for k, v in shown.items()]
    rows = [[((_("Hide {item}") if v else _("Show {item}")).format(item=_(ITEMS[k])),
              f"privacy:{k}")] for k, v in shown.items()]
    return Reply("\n".join(lines), buttons=keyboard(*rows))


def privacy_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/privacy: show and change what the team chat may see."""
    return [_privacy_reply(dialogue.require_person(turn))]


def privacy_button(dialogue: Dialogue, turn: Turn, item: str) -> list[Reply]:
    """A ``privacy:ITEM`` toggle."""
    person = dialogue.require_person(turn)
    if item not in access.SHAREABLE:
        return [Reply(_("That button is not valid."))]
    access.set_visibility(person, item, not access.visibility(person)[item])
    return [_privacy_reply(person)]


def export(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/export: all of the athlete's data as one JSON file."""
    person = dialogue.require_person(turn)
    data = privacy.export_json(turn.db, person.id)
    return [Reply(_("All your data as JSON."), document=("coachloop-export.json", data))]


def forget(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/forget: ask for confirmation with a one-time button."""
    dialogue.require_person(turn)
    nonce = secrets.token_hex(4)
    turn.goto(State.FORGET_CONFIRM, {"nonce": nonce})
    return [Reply(_("This erases everything I stored about you: check-ins, files, tests, plans, "
                    "teams. It cannot be undone (/export first if you want a copy). Erase?"),
                  buttons=keyboard([(_("Erase everything"), f"forget:yes:{nonce}"),
                                    (_("Keep my data"), "forget:no")]))]


def forget_button(dialogue: Dialogue, turn: Turn, value: str,
                  sync: SyncConfig | None = None) -> list[Reply]:
    """``forget:yes:NONCE`` erases (only with the nonce of this chat's question); Strava is
    told to withdraw coachloop's access first (`bot.sync.revocation`)."""
    if value == "no":
        turn.finish()
        return [Reply(_("Nothing was erased."))]
    nonce = value.partition(":")[2]
    if (turn.person is None or turn.state != State.FORGET_CONFIRM or not nonce
            or not secrets.compare_digest(str(turn.data.get("nonce", "")), nonce)):
        return [Reply(_("That button has expired. Send /forget again."))]
    strava = before_erasure(turn.db, sync or SyncConfig(), turn.person.id)
    privacy.erase_person(turn.db, turn.person.id)
    turn.person = None
    done = _("Done: everything about you is erased. Send /start to begin again.")
    if strava:  # what Strava was told (or could not be), with the tokens gone anyway
        done += "\n" + _("Strava: {outcome}; the tokens are deleted with the rest.").format(
            outcome=strava)
    return [Reply(done,
                  meta={REMINDER_META: "off"})]


def reminders(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/reminders HH:MM [Area/City] | /reminders off | /reminders."""
    person = dialogue.require_person(turn)
    if not args:
        when = person.reminder_time or _("off")
        return [Reply(_("Check-in reminder: {when} ({zone}). /reminders 19:30 [Europe/Rome] or "
                        "/reminders off.").format(when=when, zone=person.timezone))]
    if args[0].lower() == "off":
        people.update_profile(person, reminder_time=None)
        return [Reply(_("Reminders off."), meta={REMINDER_META: "off"})]
    hh, _sep, mm = args[0].partition(":")
    if not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60):
        return [Reply(_("Send a time like /reminders 19:30 (24-hour clock)."))]
    if len(args) > 1:
        try:
            ZoneInfo(args[1])
        except (ZoneInfoNotFoundError, ValueError):
            return [Reply(_("I don't know the time zone '{zone}' (e.g. Europe/Rome).").format(
                zone=args[1][:40]))]
        people.update_profile(person, timezone=args[1])
    when = f"{int(hh):02d}:{int(mm):02d}"
    people.update_profile(person, reminder_time=when)
    return [Reply(_("I'll remind you to check in every day at {when} ({zone}).").format(
                      when=when, zone=person.timezone),
                  meta={REMINDER_META: f"{when} {person.timezone}"})]


def schedule(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/schedule 4 45 mon wed fri sat | /schedule default | /schedule: the athlete's week."""
    person = dialogue.require_person(turn)
    usage = schedule_usage()
    if not args:
        prefs = WeekPreferences.from_dict(person.week_prefs)
        return [Reply(_("Your week: {week}.").format(week=week_words(prefs)) + f"\n{usage}")]
    if args[0].lower() in ("default", "off", "reset"):
        people.update_profile(person, week_prefs=None)
        return [Reply(_("Back to the default week (4-6 sessions of 35-60 min, any day). "
                        "/week shows it."))]
    try:
        prefs = parse_week_prefs(args)
    except ValueError as exc:
        return [Reply(sentence(refusal(exc)[:200]) + f"\n{usage}")]
    people.update_profile(person, week_prefs=prefs.as_dict())
    return [Reply(_("Your week: {week}. I re-plan your training days now; /week shows "
                    "them.").format(week=week_words(prefs)))]


def reminder_text(planned_title: str | None) -> str:
    """What the daily reminder says."""
    head = (_("Today's session: {title}.").format(title=planned_title) + " "
            if planned_title else "")
    return head + _("How did training go? Send /checkin or just write it.")


def feature(sync: SyncConfig | None = None) -> Feature:
    """The athlete-account slice of the dialogue (``sync``: where /forget tells Strava)."""
    return Feature(
        commands={
            "week": week, "history": history, "done": done, "test": test,
            "privacy": privacy_cmd, "export": export, "forget": forget, "reminders": reminders,
            "schedule": schedule,
        },
        buttons={"ex": exercise_feedback, "privacy": privacy_button,
                 "forget": functools.partial(forget_button, sync=sync)},
        help={
            "week": CommandHelp("/week", N_("the next seven days"),
                                menu=N_("the next seven days"), rank=21),
            "history": CommandHelp("/history", N_("your load, ACWR and wellness charts"),
                                   menu=N_("load and wellness charts"), rank=22),
            "done": CommandHelp("/done", N_("tick off today's exercises (done / skipped / too "
                                "hard)"), menu=N_("tick off today's exercises"), rank=23),
            "test": CommandHelp("/test", N_("enter fitness-test results"),
                                menu=N_("enter fitness tests"), rank=24),
            "reminders": CommandHelp("/reminders 19:30", N_("a daily check-in reminder "
                                     "(/reminders off)"), menu=N_("daily check-in reminder"),
                                     rank=25),
            "schedule": CommandHelp(N_("/schedule 4 45 mon wed fri sat"), N_("your week: sessions, "
                                    "minutes, days"),
                                    menu=N_("your week: sessions, minutes, days"), rank=26),
            "privacy": CommandHelp("/privacy", N_("what your team chat may see"),
                                   menu=N_("what your team may see"), rank=27),
            "export": CommandHelp("/export", N_("all your data as a file"), rank=28),
            "forget": CommandHelp("/forget", N_("erase all of it"), rank=29),
        },
    )
