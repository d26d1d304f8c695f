"""The dialogue core: one entry point, `Dialogue.handle`, for every adapter.

Order of work for each message (ARCHITECTURE.md): read with storage, decide with nlu/planner,
write with storage, commit, and only then return the replies the adapter sends. Conversation
state lives in the database, so a restart or another worker continues the same dialogue.
Nothing about a person is stored before they consent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session as DbSession

from bot.dialogue import texts
from bot.render import change_summary, checkin_summary, session_text, why_text
from bot.replies import Incoming, Reply, keyboard
from bot.services.access import AccessDenied
from bot.services.planning import PlanningConfig, local_today, plan_and_store
from nlu.report import CheckInReport
from planner.session import UNSPECIFIED_PAIN_SITE
from storage import checkins as checkin_repo
from storage import conversations, people
from storage.checkins import ConsentRequired, NewCheckIn
from storage.db import Database
from storage.schema import Person

log = logging.getLogger(__name__)

HOOPER_ITEMS = ("sleep_quality", "stress", "fatigue", "soreness")
CHECKIN_COMMANDS = {"checkin"}


class Understander(Protocol):
    """What the dialogue needs from `nlu`: one text in, one typed report out."""

    def parse(self, text: str) -> CheckInReport:
        """Read a free-text message."""
        ...


class Turn:
    """One message being handled: the request, its database session and the person."""

    def __init__(self, db: DbSession, inc: Incoming, nlu: Understander) -> None:
        self.db = db
        self.inc = inc
        self._nlu = nlu
        self._report: CheckInReport | None = None
        self.person = people.get_by_telegram_id(db, inc.user_id)
        self.state, self.data = conversations.load_state(db, inc.chat_key)

    @property
    def report(self) -> CheckInReport | None:
        """The NLU reading of a free-text message, computed on first use only."""
        text = self.inc.text
        if text is None or self.inc.command is not None or self.inc.callback is not None:
            return None
        if self._report is None:
            self._report = self._nlu.parse(text[:4000])
        return self._report

    def goto(self, state: str, data: dict[str, Any]) -> None:
        """Move the conversation to ``state``."""
        person_id = self.person.id if self.person is not None else None
        conversations.save_state(self.db, self.inc.chat_key, person_id, state, data)

    def finish(self) -> None:
        """End the conversation."""
        conversations.clear_state(self.db, self.inc.chat_key)


def _reads_like_checkin(report: CheckInReport) -> bool:
    """A text that reports training or pain (a number, a pain word, the check-in intent)."""
    return (report.rpe is not None or report.minutes is not None or report.pain
            or report.intent in ("check_in", "report_pain"))


def _rpe_keyboard() -> Any:
    return keyboard(
        [(str(n), f"rpe:{n}") for n in range(0, 6)],
        [(str(n), f"rpe:{n}") for n in range(6, 11)],
    )


def _hooper_keyboard(item: str) -> Any:
    return keyboard([(str(n), f"hooper:{item}:{n}") for n in range(1, 8)])


Settle = Callable[[DbSession, list[Reply]], list[Reply]]
"""Called with the replies inside the transaction that handled the update (the durable
adapter marks the update done and writes the replies to the outbox there); returns the
replies, possibly with more (a coach's alert)."""
CommandFn = Callable[["Dialogue", Turn, list[str]], list[Reply]]
ButtonFn = Callable[["Dialogue", Turn, str], list[Reply]]
TextFn = Callable[["Dialogue", Turn, str], list[Reply]]


@dataclass(frozen=True)
class Feature:
    """A slice of the dialogue kept in its own module (teams, classes, account, files).

    ``commands`` maps a command name to its handler; ``buttons`` maps a callback-data kind
    (the text before the first ``:``) to its handler, which gets the rest; ``states`` maps a
    conversation state to the handler of free text typed in it. ``group_commands`` names the
    commands that may run in a group chat (team business, never anything personal); every
    other command and every button is refused there.
    """

    commands: Mapping[str, CommandFn] = field(default_factory=dict)
    buttons: Mapping[str, ButtonFn] = field(default_factory=dict)
    states: Mapping[str, TextFn] = field(default_factory=dict)
    group_commands: frozenset[str] = frozenset()


class Dialogue:
    """The conversation: athlete check-ins here, other audiences as `Feature`s."""

    #: the commands and button kinds the core answers itself (features add theirs)
    CORE_COMMANDS = ("start", "help", "cancel", "checkin", "today", "why")
    CORE_BUTTONS = ("consent", "sex", "rpe", "hooper")

    def __init__(
        self,
        database: Database,
        nlu: Understander,
        *,
        timezone: str = "UTC",
        features: Sequence[Feature] = (),
        max_upload_bytes: int = 20 * 1024 * 1024,
        planning: PlanningConfig | None = None,
    ) -> None:
        self.max_upload_bytes = max_upload_bytes
        # Which models plan the sessions: the user's retrained ones first (settings' model dir).
        self.planning = planning or PlanningConfig()
        # Set by the Telegram adapter once it knows the bot: invite codes become t.me links.
        self.bot_username: str | None = None
        self.database = database
        self.nlu = nlu
        self.timezone = timezone
        self.features = tuple(features)

    # ---- entry point -------------------------------------------------------------------

    def handle(self, inc: Incoming, *, settle: Settle | None = None) -> list[Reply]:
        """Handle one user action.

        Without ``settle`` (the terminal) it never raises: errors become a friendly reply.
        With ``settle`` (the durable Telegram pipeline) the replies are settled in the same
        transaction as the effects, and an unexpected error propagates so the pipeline can
        retry the update and, after its last attempt, quarantine it; expected refusals (no
        consent, no access, a value out of range) are answers, settled like any other.
        """
        try:
            if inc.upload is not None:
                return self._upload(inc, settle)

            def work(db: DbSession) -> list[Reply]:
                replies = self._dispatch(Turn(db, inc, self.nlu))
                return settle(db, replies) if settle is not None else replies

            return self.database.run(work)
        except ConsentRequired:
            replies = [Reply(texts.NEED_START)]
        except AccessDenied as exc:
            log.info("update %s refused: %s", inc.update_id, type(exc).__name__)
            replies = [Reply(f"Sorry, {exc}.")]
        except ValueError as exc:
            replies = [Reply(f"Sorry, I can't use that: {exc}.")]
        except Exception:
            if settle is not None:
                raise
            log.exception("dialogue failed for update %s", inc.update_id)
            return [Reply(texts.SORRY)]
        if settle is None:
            return replies
        return self.database.run(lambda db: settle(db, replies))

    def upload_refusal(self, inc: Incoming) -> list[Reply] | None:
        """Why a file must not even be downloaded (a group chat, no consent), or None.

        Asked before the download, so a stranger's file or a file posted in a team chat
        costs no bandwidth and leaves nothing anywhere.
        """
        if inc.chat_type != "private":
            return [Reply(texts.PRIVATE_FILE)]
        with self.database.session() as db:
            person = people.get_by_telegram_id(db, inc.user_id)
            if person is None or not people.has_consent(person):
                return [Reply(texts.NEED_START)]
        return None

    def _upload(self, inc: Incoming, settle: Settle | None) -> list[Reply]:
        """A wearable file: imported in one transaction of its own (never half-stored).

        A stored import settles in that same transaction, so a replay after a crash answers
        "Imported ..." again from the outbox, not "already imported".
        """
        from bot.uploads import import_upload

        upload = inc.upload
        if upload is None:
            return []
        refusal = self.upload_refusal(inc)
        settled: list[Reply] | None = None
        if refusal is None:
            with self.database.session() as db:
                person = people.get_by_telegram_id(db, inc.user_id)
                person_id = person.id if person is not None else 0

            def on_stored(db: DbSession, message: str) -> None:
                nonlocal settled
                settled = settle(db, [Reply(message)]) if settle is not None else None

            result = import_upload(self.database, person_id, upload.file_name, upload.data,
                                   self.max_upload_bytes, on_stored=on_stored)
            if settled is not None:
                return settled
            refusal = [Reply(result.message)]
        if settle is None:
            return refusal
        return self.database.run(lambda db: settle(db, refusal))

    def _dispatch(self, turn: Turn) -> list[Reply]:
        inc = turn.inc
        kind = "button" if inc.callback else (
            f"/{inc.command[0][:24]}" if inc.command else "text"
        )
        # What happened, never what was said: no text, no values.
        log.info("update %s from person %s: %s (state %s)", inc.update_id,
                 turn.person.id if turn.person else "-", kind, turn.state or "-")
        if inc.chat_type != "private":
            return self._in_group(turn)
        if inc.edited:
            return self._on_edit(turn)
        if inc.callback is not None:
            kind = inc.callback.partition(":")[0]
            for feature in self.features:
                if kind in feature.buttons:
                    return feature.buttons[kind](self, turn, inc.callback.partition(":")[2])
            return self._on_button(turn, inc.callback)
        command = inc.command
        if command is not None:
            name, args = command
            for feature in self.features:
                if name in feature.commands:
                    return feature.commands[name](self, turn, args)
            return self._on_command(turn, name)
        if inc.text is not None:
            for feature in self.features:
                if turn.state is not None and turn.state in feature.states:
                    return feature.states[turn.state](self, turn, inc.text)
            return self._on_text(turn, inc.text)
        return [Reply(texts.NOT_UNDERSTOOD)]

    def _in_group(self, turn: Turn) -> list[Reply]:
        """Group chats get team commands only: nothing personal is read or said there.

        A group sees every message its members send, so a personal command (/export,
        /history, /checkin ...) or a button of a personal keyboard is refused with a pointer
        to the private chat, and plain group conversation is ignored.
        """
        inc = turn.inc
        if inc.edited:
            return []
        command = inc.command
        if command is None:
            # a button of a personal keyboard, or a reply to one of the bot's messages (a
            # check-in answered in the team chat): pointed to the private chat, never read
            if inc.callback is not None or inc.reply_to_bot:
                return [Reply(texts.PRIVATE_ONLY)]
            return []
        name, args = command
        for feature in self.features:
            if name in feature.group_commands and name in feature.commands:
                return feature.commands[name](self, turn, args)
        if name == "help":
            return [Reply(texts.GROUP_HELP)]
        return [Reply(texts.PRIVATE_ONLY)]

    # ---- commands ----------------------------------------------------------------------

    def _on_command(self, turn: Turn, name: str) -> list[Reply]:
        handlers: dict[str, Callable[[Turn], list[Reply]]] = {
            "start": self.start,
            "help": lambda t: [Reply(texts.HELP)],
            "cancel": self._cancel,
            "checkin": self._checkin,
            "today": self._today,
            "why": self._why,
        }
        handler = handlers.get(name)
        if handler is None:
            return [Reply(f"I don't know /{name[:32]}. Send /help for what I can do.")]
        return handler(turn)

    def start(self, turn: Turn) -> list[Reply]:
        """/start: the consent question, or a welcome back."""
        if people.has_consent(turn.person):
            return [Reply("Welcome back!\n\n" + texts.HELP)]
        return [
            Reply(
                texts.CONSENT,
                buttons=keyboard([("I agree", "consent:yes"), ("No, thanks", "consent:no")]),
            )
        ]

    def _cancel(self, turn: Turn) -> list[Reply]:
        turn.finish()
        return [Reply(texts.CANCELLED)]

    def require_person(self, turn: Turn) -> Person:
        if turn.person is None or not people.has_consent(turn.person):
            raise ConsentRequired("no consent")
        return turn.person

    def _checkin(self, turn: Turn) -> list[Reply]:
        self.require_person(turn)
        turn.goto("checkin_rpe", {"mode": "full"})
        return [Reply(texts.ASK_RPE, buttons=_rpe_keyboard())]

    def _today(self, turn: Turn) -> list[Reply]:
        person = self.require_person(turn)
        day = local_today(person, turn.inc.received_at, self.timezone)
        return [Reply(session_text(plan_and_store(turn.db, person, day, self.planning)))]

    def _why(self, turn: Turn) -> list[Reply]:
        person = self.require_person(turn)
        day = local_today(person, turn.inc.received_at, self.timezone)
        return [Reply(why_text(plan_and_store(turn.db, person, day, self.planning)))]

    # ---- buttons -----------------------------------------------------------------------

    def _on_button(self, turn: Turn, data: str) -> list[Reply]:
        kind, _, value = data.partition(":")
        if kind == "consent":
            return self.consent(turn, value)
        if kind == "sex" and turn.state == "profile_sex" and value in ("M", "F", "-"):
            if turn.person is not None and value != "-":
                people.update_profile(turn.person, sex=value)
            turn.goto("profile_birth_year", {})
            return [Reply(texts.ASK_BIRTH_YEAR)]
        if kind == "rpe" and turn.state == "checkin_rpe" and value.isdigit():
            rpe = int(value)
            if 0 <= rpe <= 10:
                turn.data["rpe"] = rpe
                return self._next_checkin_question(turn)
        if kind == "hooper" and turn.state == "checkin_hooper":
            item, _, score = value.partition(":")
            if item == turn.data.get("item") and score.isdigit() and 1 <= int(score) <= 7:
                turn.data[item] = int(score)
                return self._next_checkin_question(turn)
        return [Reply(texts.STALE_BUTTON)]

    def consent(self, turn: Turn, value: str) -> list[Reply]:
        """The answer to the consent question (``yes`` stores the person, nothing else does)."""
        if value not in ("yes", "no"):
            return [Reply(texts.STALE_BUTTON)]
        if value == "no":
            if people.has_consent(turn.person):
                return [Reply(texts.ALREADY_CONSENTED)]
            return [Reply(texts.NO_CONSENT)]
        if people.has_consent(turn.person):
            return [Reply("You have already agreed. " + texts.PROFILE_DONE)]
        inc = turn.inc
        person = people.get_or_create_person(turn.db, inc.user_id, inc.display_name)
        if inc.username:
            person.username = inc.username[:64]
        person.timezone = person.timezone or self.timezone
        people.give_consent(turn.db, person, {"health_data": True, "version": 1},
                            at=inc.received_at)
        turn.person = person
        turn.goto("profile_sex", {})
        return [
            Reply("Thank you! Consent recorded."),
            Reply(
                texts.ASK_SEX,
                buttons=keyboard([("Female", "sex:F"), ("Male", "sex:M"), ("Skip", "sex:-")]),
            ),
        ]

    # ---- free text ---------------------------------------------------------------------

    def _on_text(self, turn: Turn, text: str) -> list[Reply]:
        state = turn.state
        if state == "profile_sex":
            return self._typed_sex(turn, text)
        if state == "profile_birth_year":
            return self._birth_year(turn, text)
        if state == "profile_sport":
            if turn.person is not None and text.strip().lower() != "skip":
                people.update_profile(turn.person, sport=text.strip()[:64])
            turn.finish()
            return [Reply(texts.PROFILE_DONE)]
        if state == "checkin_minutes":
            return self._minutes(turn, text)
        if state == "checkin_feel":
            return self._feel(turn, text)
        if state in ("checkin_rpe", "checkin_hooper"):
            return self._typed_score(turn, text)
        return self._idle_text(turn, text)

    def _typed_sex(self, turn: Turn, text: str) -> list[Reply]:
        """Accept the sex answer typed instead of pressed (terminal users, old clients)."""
        answer = text.strip().lower()
        choice = {"f": "F", "female": "F", "m": "M", "male": "M", "skip": "-", "-": "-"}
        if answer not in choice:
            return [Reply(texts.ASK_SEX, buttons=keyboard(
                [("Female", "sex:F"), ("Male", "sex:M"), ("Skip", "sex:-")]))]
        return self._on_button(turn, f"sex:{choice[answer]}")

    def _birth_year(self, turn: Turn, text: str) -> list[Reply]:
        value = text.strip().lower()
        if value != "skip":
            if not value.isdigit() or not 1920 <= int(value) <= turn.inc.received_at.year - 5:
                return [Reply("Please send a year like 2007, or 'skip'.")]
            if turn.person is not None:
                people.update_profile(turn.person, birth_year=int(value))
        turn.goto("profile_sport", {})
        return [Reply(texts.ASK_SPORT)]

    def _typed_score(self, turn: Turn, text: str) -> list[Reply]:
        """Accept a typed number where buttons were offered (terminal users, old clients)."""
        value = text.strip()
        if turn.state == "checkin_rpe":
            if value.isdigit() and 0 <= int(value) <= 10:
                turn.data["rpe"] = int(value)
                return self._next_checkin_question(turn)
            return [Reply("Please pick a number from 0 to 10.", buttons=_rpe_keyboard())]
        item = str(turn.data.get("item"))
        if value.isdigit() and 1 <= int(value) <= 7:
            turn.data[item] = int(value)
            return self._next_checkin_question(turn)
        return [Reply("Please pick a number from 1 to 7.", buttons=_hooper_keyboard(item))]

    def _minutes(self, turn: Turn, text: str) -> list[Reply]:
        value = text.strip()
        minutes: float | None = float(value) if value.isdigit() else None
        if minutes is None and turn.report is not None:
            minutes = turn.report.minutes
        if minutes is None or not 0 <= minutes <= 600:
            return [Reply("Please send the minutes as a number between 0 and 600, e.g. 45.")]
        turn.data["minutes"] = minutes
        return self._next_checkin_question(turn)

    def _feel(self, turn: Turn, text: str) -> list[Reply]:
        if text.strip().lower() != "skip" and turn.report is not None:
            self._merge_report(turn.data, turn.report, overwrite_numbers=False)
            turn.data["free_text"] = text.strip()[:4000]
        return self._store_checkin(turn)

    def _idle_text(self, turn: Turn, text: str) -> list[Reply]:
        report = turn.report
        if report is None:
            return [Reply(texts.NOT_UNDERSTOOD)]
        intent = report.intent
        if intent == "ask_today":
            return self._today(turn)
        if intent == "ask_why":
            return self._why(turn)
        if intent == "help":
            return [Reply(texts.HELP)]
        if intent == "greet" and report.rpe is None and report.minutes is None:
            return [Reply("Hi! " + texts.HELP)]
        if not _reads_like_checkin(report):
            return [Reply(texts.NOT_UNDERSTOOD)]
        person = self.require_person(turn)
        if report.pain_sites and report.rpe is None and report.minutes is None:
            located = self._locate_pain(turn, person, report)
            if located:
                return located

        data: dict[str, Any] = {"mode": "quick", "free_text": text.strip()[:4000]}
        self._merge_report(data, report, overwrite_numbers=True)
        turn.data = data
        return self._rejected(report) + self._next_checkin_question(turn)

    def _on_edit(self, turn: Turn) -> list[Reply]:
        """An edited message: the check-in it completed takes what the new text states.

        The edit replaces the free text, its sentiment and every number it states; pain
        sites it names are added, and none is removed by an edit (pain reported once is never
        lost; a new check-in says how it is now). An edit of a message that stored nothing
        but reads like a check-in gets a note on how to correct one.
        """
        person = turn.person
        report = turn.report
        if person is None or not people.has_consent(person) or report is None:
            return []
        row = checkin_repo.by_message(turn.db, person.id, turn.inc.message_ref)
        if row is None:
            return [Reply(texts.EDIT_NOT_APPLIED)] if _reads_like_checkin(report) else []
        if report.rejected:  # an impossible number: the stored check-in stays as it was
            return [Reply(self._rejected(report)[0].text.rstrip(".")
                          + f"; your check-in of {row.day.isoformat()} is unchanged.")]
        data: dict[str, Any] = {"free_text": (turn.inc.text or "").strip()[:4000]}
        self._merge_report(data, report, overwrite_numbers=True)
        changes = checkin_repo.amend(turn.db, row, data, UNSPECIFIED_PAIN_SITE)
        day = row.day.isoformat()
        if not changes:
            return [Reply(f"Your edit changes nothing in the check-in of {day}.")]
        out = [Reply(f"Updated your check-in of {day}: {change_summary(changes)}. "
                     "The plan takes it into account.")]
        today = local_today(person, turn.inc.received_at, self.timezone)
        if row.day == today:
            out.append(self._next_session(turn, person, today))
        return out

    def _locate_pain(self, turn: Turn, person: Person, report: CheckInReport) -> list[Reply]:
        """"Left knee sore" after today's check-in: add the site to it (no second check-in)."""
        day = local_today(person, turn.inc.received_at, self.timezone)
        row = checkin_repo.locate_pain(turn.db, person.id, day, tuple(report.pain_sites),
                                       UNSPECIFIED_PAIN_SITE)
        if row is None:
            return []
        where = ", ".join(s.replace("_", " ") for s in report.pain_sites)
        return [
            Reply(f"Noted: pain in your {where} added to today's check-in. Exercises loading "
                  "it are eased or swapped, and nothing gets harder while it lasts."),
            self._next_session(turn, person, day),
        ]

    @staticmethod
    def _rejected(report: CheckInReport) -> list[Reply]:
        """Say which stated numbers were out of range, so the follow-up question makes sense."""
        limits = {"rpe": ("RPE", "0 to 10"), "minutes": ("minutes", "1 to 600"),
                  "sleep_h": ("hours of sleep", "0 to 16")}
        notes = []
        for name, value in report.rejected.items():
            label, allowed = limits.get(name, (name, "a sensible range"))
            notes.append(f"{label} {value:g} can't be right ({allowed})")
        return [Reply("; ".join(notes) + ".")] if notes else []

    # ---- check-in flow -----------------------------------------------------------------

    @staticmethod
    def _merge_report(
        data: dict[str, Any], report: CheckInReport, *, overwrite_numbers: bool
    ) -> None:
        """Copy what the text said into the collected check-in values."""
        fields = ("rpe", "minutes", "sleep_h", "sleep_quality", "fatigue", "soreness", "stress",
                  "mood")
        for name in fields:
            value = getattr(report, name)
            if value is not None and (overwrite_numbers or data.get(name) is None):
                data[name] = value
        sites = set(report.pain_sites)
        if report.pain and not sites:
            # Pain without a body site is still a safety flag: stored as "unspecified" so the
            # planner forbids any increase, and the athlete is asked where it hurts.
            sites = {UNSPECIFIED_PAIN_SITE}
        if sites:
            known = set(data.get("pain_sites", [])) | sites
            if len(known) > 1:
                known.discard(UNSPECIFIED_PAIN_SITE)
            data["pain_sites"] = sorted(known)
        if report.sentiment is not None:
            data["sentiment_score"] = report.sentiment.score
            data["sentiment_level"] = report.sentiment.level
            data["sentiment_backends"] = dict(report.sentiment.backends)

    def _next_checkin_question(self, turn: Turn) -> list[Reply]:
        """Ask only for what is still missing; store when nothing is."""
        data = turn.data
        if data.get("rpe") is None:
            turn.goto("checkin_rpe", data)
            return [Reply(texts.ASK_RPE, buttons=_rpe_keyboard())]
        if data.get("minutes") is None:
            turn.goto("checkin_minutes", data)
            return [Reply(texts.ASK_MINUTES)]
        if data.get("mode") == "full":
            for item in HOOPER_ITEMS:
                if data.get(item) is None:
                    data["item"] = item
                    turn.goto("checkin_hooper", data)
                    return [Reply(texts.HOOPER_QUESTIONS[item], buttons=_hooper_keyboard(item))]
            if "free_text" not in data and not data.get("feel_asked"):
                data["feel_asked"] = True
                turn.goto("checkin_feel", data)
                return [Reply(texts.ASK_FEEL)]
        return self._store_checkin(turn)

    def _store_checkin(self, turn: Turn) -> list[Reply]:
        person = self.require_person(turn)
        inc = turn.inc
        data = turn.data
        day = local_today(person, inc.received_at, self.timezone)
        update_ref = f"{inc.source}:{inc.update_id}" if inc.update_id is not None else None
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
            source=inc.source,
            source_update_id=update_ref,
            message_ref=inc.message_ref,
        )
        # A redelivered update finds its check-in stored already (created False): it is
        # answered exactly as the first time, confirmation and next session included.
        checkin_repo.add_checkin(turn.db, person, new)
        turn.finish()
        out = [Reply("Saved ✅ " + checkin_summary(data))]
        if UNSPECIFIED_PAIN_SITE in new.pain_sites:
            out.append(Reply(texts.ASK_PAIN_SITE))
        return [*out, self._next_session(turn, person, day)]

    def _next_session(self, turn: Turn, person: Person, day: dt.date) -> Reply:
        """Tomorrow's session, planned with what was just stored (the reply to a report)."""
        tomorrow = plan_and_store(turn.db, person, day + dt.timedelta(days=1), self.planning)
        return Reply(session_text(tomorrow, heading=f"Next: {tomorrow.session.title} (tomorrow)"))
