"""The dialogue core: one entry point, `Dialogue.handle`, for every adapter.

Order of work for each message (docs/architecture.md): read with storage, decide with nlu/planner,
write with storage, commit, and only then return the replies the adapter sends. Conversation
state lives in the database, so a restart or another worker continues the same dialogue.
Nothing about a person is stored before they consent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session as DbSession

from bot import i18n
from bot.dialogue import texts
from bot.i18n import N_, _
from bot.refusals import refusal
from bot.replies import Incoming, Reply
from bot.services.access import AccessDenied
from bot.services.planning import PlanningConfig
from bot.uploads import import_upload
from nlu.report import CheckInReport
from storage import conversations, people
from storage.checkins import ConsentRequired
from storage.db import Database
from storage.schema import Person

log = logging.getLogger(__name__)


class Understander(Protocol):
    """What the dialogue needs from `nlu`: one text in, one typed report out."""

    def parse(self, text: str) -> CheckInReport:
        """Read a free-text message."""
        ...


class Turn:
    """One message being handled: the request, its database session and the person."""

    def __init__(self, db: DbSession, inc: Incoming, nlu: Understander,
                 report: CheckInReport | None = None) -> None:
        self.db = db
        self.inc = inc
        self._nlu = nlu
        self._report: CheckInReport | None = report
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


Settle = Callable[[DbSession, list[Reply]], list[Reply]]
"""Called with the replies inside the transaction that handled the update (the durable
adapter marks the update done and writes the replies to the outbox there); returns the
replies, possibly with more (a coach's alert)."""
CommandFn = Callable[["Dialogue", Turn, list[str]], list[Reply]]
ButtonFn = Callable[["Dialogue", Turn, str], list[Reply]]
TextFn = Callable[["Dialogue", Turn, str], list[Reply]]


@dataclass(frozen=True)
class CommandHelp:
    """How a command is shown: in /help (``usage`` - ``text``) and in Telegram's menu.

    ``staff``: listed under "Coaches and teachers"; ``menu``: its short text in the command
    menu (None keeps it out); ``rank``: position in /help (lower first).
    """

    usage: str  # a message id where it has words to translate (a plain command is its own)
    text: str
    staff: bool = False
    menu: str | None = None
    rank: int = 50


@dataclass(frozen=True)
class Feature:
    """A slice of the dialogue kept in its own module (teams, classes, account, files).

    ``commands`` maps a command name to its handler; ``buttons`` maps a callback-data kind
    (the text before the first ``:``) to its handler, which gets the rest; ``states`` maps a
    conversation state to the handler of free text typed in it. ``group_commands`` names the
    commands that may run in a group chat (team business, never anything personal); every
    other command and every button is refused there. ``idle`` reads free text typed in no
    conversation, ``edit`` applies an edited message (the check-in feature declares both).
    ``help`` describes the commands for /help and the command menus, which are built from
    these declarations alone (`help_text`, `command_menu`).
    """

    commands: Mapping[str, CommandFn] = field(default_factory=dict)
    buttons: Mapping[str, ButtonFn] = field(default_factory=dict)
    states: Mapping[str, TextFn] = field(default_factory=dict)
    group_commands: frozenset[str] = frozenset()
    idle: TextFn | None = None
    edit: TextFn | None = None
    help: Mapping[str, CommandHelp] = field(default_factory=dict)


class Dialogue:
    """The conversation: athlete check-ins here, other audiences as `Feature`s."""

    def __init__(
        self,
        database: Database,
        nlu: Understander,
        *,
        timezone: str = "UTC",
        features: Sequence[Feature] = (),
        max_upload_bytes: int = 20 * 1024 * 1024,
        planning: PlanningConfig | None = None,
        defer_planning: bool = False,
    ) -> None:
        self.max_upload_bytes = max_upload_bytes
        # True where a job runner runs (`bot.jobrunner`): replies plan quickly and ask for the
        # full re-plan as a job; False (a bare dialogue) plans in full before answering.
        self.defer_planning = defer_planning
        # Called after each handler's transaction commits (the job runner's wake-up).
        self.on_commit: Callable[[], None] | None = None
        # Which models plan the sessions: the user's retrained ones first (settings' model dir).
        self.planning = planning or PlanningConfig()
        # Set by the Telegram adapter once it knows the bot: invite codes become t.me links.
        self.bot_username: str | None = None
        self.database = database
        self.nlu = nlu
        self.timezone = timezone
        # given features first (they may refine /start), then the basics (importing this module)
        from bot.dialogue import checkin, edits, language, onboarding

        self.features = (*features, onboarding.feature(), checkin.feature(), edits.feature(),
                         language.feature(), BASICS)

    # ---- entry point -------------------------------------------------------------------

    def handle(self, inc: Incoming, *, settle: Settle | None = None) -> list[Reply]:
        """Handle one user action, answered in the person's language (`bot.i18n`)."""
        with i18n.language(inc.language_code):  # until the person's own choice is read
            return self._handle(inc, settle)

    def _handle(self, inc: Incoming, settle: Settle | None) -> list[Reply]:
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

            # The NLU reading is pure and the slowest part of a message: done before the
            # transaction, so on SQLite the write lock is not held while a model runs and
            # other chats' updates go on meanwhile. Only private free text is read: a group
            # chat's messages go to the team commands, which never read what was said.
            report = None
            if (inc.chat_type == "private" and inc.text is not None and inc.command is None
                    and inc.callback is None):
                report = self.nlu.parse(inc.text[:4000])

            def work(db: DbSession) -> list[Reply]:
                turn = Turn(db, inc, self.nlu, report)
                chosen = turn.person.language if turn.person is not None else None
                i18n.set_current(i18n.resolve(chosen, inc.language_code))
                replies = self._dispatch(turn)
                return settle(db, replies) if settle is not None else replies

            answered = self.database.run(work)
            if self.on_commit is not None:  # a job the handler asked for may now run
                self.on_commit()
            return answered
        except ConsentRequired:
            replies = [Reply(_(texts.NEED_START))]
        except AccessDenied as exc:
            log.info("update %s refused: %s", inc.update_id, type(exc).__name__)
            replies = [Reply(_("Sorry, {reason}.").format(reason=exc))]
        except ValueError as exc:
            replies = [Reply(_("Sorry, I can't use that: {reason}.").format(reason=refusal(exc)))]
        except Exception:
            if settle is not None:
                raise
            log.exception("dialogue failed for update %s", inc.update_id)
            return [Reply(_(texts.SORRY))]
        if settle is None:
            return replies
        return self.database.run(lambda db: settle(db, replies))

    def upload_refusal(self, inc: Incoming) -> list[Reply] | None:
        """Why a file must not even be downloaded (a group chat, no consent), or None.

        Asked before the download, so a stranger's file or a file posted in a team chat
        costs no bandwidth and leaves nothing anywhere.
        """
        if inc.chat_type != "private":
            return [Reply(_(texts.PRIVATE_FILE))]
        with self.database.session() as db:
            person = people.get_by_telegram_id(db, inc.user_id)
            if person is not None:
                i18n.set_current(i18n.resolve(person.language, inc.language_code))
            if person is None or not people.has_consent(person):
                return [Reply(_(texts.NEED_START))]
        return None

    def _upload(self, inc: Incoming, settle: Settle | None) -> list[Reply]:
        """A wearable file: imported in one transaction of its own (never half-stored).

        A stored import settles in that same transaction, so a replay after a crash answers
        "Imported ..." again from the outbox, not "already imported".
        """
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
        """Route one private-chat action to the feature that declared it.

        A button goes by its kind (the text before the first ``:``), a command by its name,
        text by the conversation state (else to the feature that reads free text), an edit to
        the feature that applies edits. Features are asked in order: the ones given to the
        dialogue first, so they may refine a core command (/start with an invite code).
        """
        inc = turn.inc
        kind = "button" if inc.callback else (
            f"/{inc.command[0][:24]}" if inc.command else "text"
        )
        # What happened, never what was said: no text, no values.
        log.info("update %s from person %s: %s (state %s)", inc.update_id,
                 turn.person.id if turn.person else "-", kind, turn.state or "-")
        if inc.chat_type != "private":
            return self._in_group(turn)
        text = inc.text
        if inc.edited:
            edit = next((f.edit for f in self.features if f.edit is not None), None)
            return edit(self, turn, text) if edit is not None and text is not None else []
        if inc.callback is not None:
            return self.press(turn, inc.callback)
        command = inc.command
        if command is not None:
            name, args = command
            for feature in self.features:
                if name in feature.commands:
                    return feature.commands[name](self, turn, args)
            return [Reply(_("I don't know /{name}. Send /help for what I can do.")
                          .format(name=name[:32]))]
        if text is None:
            return [Reply(_(texts.NOT_UNDERSTOOD))]
        for feature in self.features:
            if turn.state is not None and turn.state in feature.states:
                return feature.states[turn.state](self, turn, text)
        idle = next((f.idle for f in self.features if f.idle is not None), None)
        return idle(self, turn, text) if idle else [Reply(_(texts.NOT_UNDERSTOOD))]

    def press(self, turn: Turn, data: str) -> list[Reply]:
        """The button ``data`` (``kind:value``) pressed: its feature's handler answers (a typed
        answer that means a button comes here too)."""
        kind, _sep, value = data.partition(":")
        for feature in self.features:
            if kind in feature.buttons:
                return feature.buttons[kind](self, turn, value)
        return [Reply(_(texts.STALE_BUTTON))]

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
                return [Reply(private_only(self.features))]
            return []
        name, args = command
        for feature in self.features:
            if name in feature.group_commands and name in feature.commands:
                return feature.commands[name](self, turn, args)
        return [Reply(private_only(self.features))]

    # ---- what the core answers itself ------------------------------------------------------

    def require_person(self, turn: Turn) -> Person:
        """The consenting person of this turn (`ConsentRequired` otherwise)."""
        if turn.person is None or not people.has_consent(turn.person):
            raise ConsentRequired("no consent")
        return turn.person

    def start(self, turn: Turn) -> list[Reply]:
        """/start without an invite code (teams' deep links come through here too)."""
        from bot.dialogue import onboarding  # the feature imports this module's types

        return onboarding.start(self, turn)

    def consent(self, turn: Turn, value: str) -> list[Reply]:
        """The consent answer (a deep link's join asks it too)."""
        from bot.dialogue import onboarding  # the feature imports this module's types

        return onboarding.consent(self, turn, value)


def _declared(features: Sequence[Feature]) -> list[tuple[str, CommandHelp]]:
    """Each command's help once (the first feature declaring it wins), in /help order."""
    seen: dict[str, CommandHelp] = {}
    for feature in features:
        for name, entry in feature.help.items():
            seen.setdefault(name, entry)
    return sorted(seen.items(), key=lambda item: (item[1].rank, item[0]))


def group_commands(features: Sequence[Feature]) -> list[str]:
    """Commands a group chat may run, in /help order."""
    allowed = {name for f in features for name in f.group_commands if name in f.commands}
    return [name for name, _ in _declared(features) if name in allowed]


def help_text(features: Sequence[Feature], *, group: bool = False) -> str:
    """/help, private or in a group chat, from the features' declarations."""
    entries = _declared(features)
    if group:
        allowed = set(group_commands(features))
        lines = [f"{_(e.usage)} - {_(e.text)}" for name, e in entries if name in allowed]
        return "\n".join([_(texts.GROUP_HELP_HEAD), *lines, _(texts.GROUP_HELP_TAIL)])
    athlete = [f"{_(e.usage)} - {_(e.text)}" for _n, e in entries if not e.staff]
    staff = [f"{_(e.usage)} - {_(e.text)}" for _n, e in entries if e.staff]
    out = [_(texts.HELP_HEAD), *athlete, _(texts.HELP_TAIL)]
    if staff:
        out += ["", _(texts.HELP_STAFF_HEAD), *staff]
    return "\n".join(out)


def command_menu(features: Sequence[Feature], *, group: bool = False) -> list[tuple[str, str]]:
    """(command, short description) for Telegram's menu, private chats or group chats."""
    allowed = set(group_commands(features)) if group else None
    return [(name, _(e.menu)) for name, e in _declared(features)
            if e.menu is not None and (allowed is None or name in allowed)]


def private_only(features: Sequence[Feature]) -> str:
    """The refusal of a personal command in a group, naming what a group may ask."""
    names = ", ".join(f"/{n}" for n in group_commands(features) if n != "help")
    group_only = _("In a group I answer team commands only ({names}).").format(names=names)
    return _(texts.PRIVATE_ONLY_HEAD) + (" " + group_only if names else "")


def _help(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    return [Reply(help_text(dialogue.features, group=turn.inc.chat_type != "private"))]


def _cancel(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    turn.finish()
    return [Reply(_(texts.CANCELLED))]


BASICS = Feature(
    commands={"help": _help, "cancel": _cancel},
    group_commands=frozenset({"help"}),
    help={
        "cancel": CommandHelp("/cancel", N_("stop the current question"), rank=14),
        "help": CommandHelp("/help", N_("everything I can do"), menu=N_("everything I can do"),
                            rank=99),
    },
)
"""/help and /cancel: what every conversation needs, whatever features are loaded."""
