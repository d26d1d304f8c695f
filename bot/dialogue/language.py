"""/language: the person chooses the language the bot writes to them in.

The choice is stored on the person (``person.language``), so it holds in every chat and for
what others send them (a coach's note, a class broadcast, reminders). Without a choice the
language is the one their Telegram app reports, else English (`bot.i18n.resolve`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot import i18n
from bot.dialogue import texts
from bot.dialogue.core import CommandHelp, Feature, Turn
from bot.i18n import N_, _
from bot.replies import Reply, keyboard
from storage import people

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue


def _choices() -> str:
    """The codes one may send, each with its name in its own language."""
    return ", ".join(f"{code} ({i18n.NATIVE_NAMES[code]})" for code in i18n.LANGUAGES)


def _keyboard() -> Any:
    return keyboard([(i18n.NATIVE_NAMES[code], f"lang:{code}") for code in i18n.LANGUAGES[:3]],
                    [(i18n.NATIVE_NAMES[code], f"lang:{code}") for code in i18n.LANGUAGES[3:]])


def language_cmd(dialogue: Dialogue, turn: Turn, args: list[str]) -> list[Reply]:
    """/language: the current language and the choices; /language CODE sets it."""
    if not args:
        now = i18n.NATIVE_NAMES[i18n.current()]
        return [Reply(_("I write to you in {name}. To change it, press a language or send "
                        "/language CODE, one of: {choices}.").format(name=now, choices=_choices()),
                      buttons=_keyboard())]
    code = i18n.normalise(args[0]) if len(args) == 1 else None
    if code is None:  # nothing changes: the answer shows the right form
        return [Reply(_("I don't know the language \"{code}\". Send /language CODE with one "
                        "of: {choices}.").format(code=" ".join(args)[:16], choices=_choices()),
                      buttons=_keyboard())]
    return choose(dialogue, turn, code)


def choose(dialogue: Dialogue, turn: Turn, code: str) -> list[Reply]:
    """Store a supported language as the person's choice and answer in it."""
    if code not in i18n.LANGUAGES:
        return [Reply(_(texts.STALE_BUTTON))]
    person = dialogue.require_person(turn)  # a stored choice is something stored: consent first
    people.update_profile(person, language=code)
    i18n.set_current(code)
    return [Reply(_("Done: I'll write to you in {name} from now on. /language changes it.")
                  .format(name=i18n.NATIVE_NAMES[code]))]


def feature() -> Feature:
    """The language slice of the dialogue."""
    return Feature(
        commands={"language": language_cmd},
        buttons={"lang": choose},
        help={"language": CommandHelp(N_("/language [CODE]"), N_("the language I write to you in"),
                                      menu=N_("choose your language"), rank=90)},
    )
