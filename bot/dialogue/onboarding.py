"""Onboarding: /start, the consent question, and a three-question profile.

Nothing about a person is stored before "I agree" (the pending question is remembered by chat
alone, so the answer may be typed: "yes", "sí", "ja", "да", "同意"). The profile (sex, birth
year, sport) is optional and each answer can be typed or pressed; an answer the question
cannot use gets the question again with what it expects and /cancel, and a check-in typed
there is stored as one (`checkin.off_topic`), so nobody is stuck in the profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot import i18n
from bot.dialogue import checkin, texts
from bot.dialogue.checkin_report import states_numbers_or_pain
from bot.dialogue.core import CommandHelp, Feature, Turn, help_text
from bot.dialogue.states import State
from bot.dialogue.texts import skipped
from bot.i18n import N_, _
from bot.replies import Reply, keyboard
from bot.services.background import ask_first_week
from bot.services.planning import local_today
from storage import people

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue

# Typed answers to the consent question, with the language each one shows the person writes
# in (None: said alike in several); an athlete whose Telegram reports no language is answered
# in the one their "yes" was in from then on.
CONSENT_WORDS: dict[str, tuple[str, str | None]] = {
    **{w: ("yes", None) for w in ("yes", "y", "ok", "okay", "yeah", "yep", "sure", "agree",
                                  "i agree", "1")},
    **{w: ("no", None) for w in ("no", "n", "nope", "no thanks", "no, thanks", "2")},
    **{w: ("yes", "es") for w in ("sí", "si", "acepto", "de acuerdo", "vale", "claro")},
    **{w: ("no", "es") for w in ("no gracias", "no, gracias")},
    **{w: ("yes", "de") for w in ("ja", "einverstanden", "ich stimme zu", "okay, ja")},
    **{w: ("no", "de") for w in ("nein", "nein danke", "nein, danke")},
    **{w: ("yes", "ru") for w in ("да", "согласен", "согласна", "хорошо", "ок")},
    **{w: ("no", "ru") for w in ("нет", "нет, спасибо", "не согласен", "не согласна")},
    **{w: ("yes", "zh") for w in ("是", "是的", "同意", "我同意", "好", "好的", "可以")},
    **{w: ("no", "zh") for w in ("不", "不要", "不同意", "不用了", "不了")},
}

SEX_CHOICES = {"f": "F", "female": "F", "woman": "F", "m": "M", "male": "M", "man": "M",
               "skip": "-", "-": "-"}



def _sex_keyboard() -> Any:
    return keyboard([(_("Female"), "sex:F"), (_("Male"), "sex:M"), (_("Skip"), "sex:-")])


def _sex_choices() -> dict[str, str]:
    """The typed answers: English always, and the current language's words for them."""
    local = {_("female"): "F", _("male"): "M", _(texts.SKIP): "-"}
    return {**SEX_CHOICES, **{word.lower(): code for word, code in local.items()}}



def start(dialogue: Dialogue, turn: Turn, args: list[str] | None = None) -> list[Reply]:
    """/start: the consent question, or a welcome back."""
    if people.has_consent(turn.person):
        return [Reply(_("Welcome back!") + "\n\n" + help_text(dialogue.features))]
    turn.goto(State.CONSENT, {"yes": "consent:yes"})
    return [Reply(_(texts.CONSENT), buttons=_consent_keyboard())]


def _consent_keyboard(yes: str = "consent:yes") -> Any:
    return keyboard([(_("I agree"), yes), (_("No, thanks"), "consent:no")])


def consent_text(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """The consent question answered in words: the button it means is pressed for them.

    The state's ``yes`` is the button "I agree" stands for (a deep link's carries its invite
    code). Anything else gets the question's choices again; nothing is stored meanwhile.
    """
    said = " ".join(text.strip().lower().rstrip(".!¡¿?").split())
    localised = {_("I agree").lower(): "yes", _("No, thanks").lower(): "no",
                 _("yes"): "yes", _("no"): "no"}
    answer, lang = CONSENT_WORDS.get(said, (localised.get(said, ""), None))
    yes = str(turn.data.get("yes") or "consent:yes")
    if not answer:
        return [Reply(_("Please answer the question above: type yes or no, or press a "
                        "button. Nothing is stored until you agree."),
                      buttons=_consent_keyboard(yes))]
    # the word's language counts only when Telegram reports none
    said_in = lang if i18n.normalise(turn.inc.language_code) is None else None
    if said_in is not None:
        i18n.set_current(said_in)  # the answers, and from now on everything, in it
    if answer == "no":
        return consent(dialogue, turn, "no")
    replies = dialogue.press(turn, yes)
    if said_in is not None and turn.person is not None and people.has_consent(turn.person):
        people.update_profile(turn.person, language=said_in)
    return replies


def consent(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """The answer to the consent question (``yes`` stores the person, nothing else does)."""
    if value not in ("yes", "no"):
        return [Reply(_(texts.STALE_BUTTON))]
    if value == "no":
        if people.has_consent(turn.person):
            return [Reply(_(texts.ALREADY_CONSENTED))]
        if turn.state == State.CONSENT:
            turn.finish()
        return [Reply(_(texts.NO_CONSENT))]
    if people.has_consent(turn.person):
        return [Reply(_("You have already agreed.") + " " + _(texts.PROFILE_DONE))]
    inc = turn.inc
    person = people.get_or_create_person(turn.db, inc.user_id, inc.display_name)
    if inc.username:
        person.username = inc.username[:64]
    person.timezone = person.timezone or dialogue.timezone
    if person.language is None:  # remembered: what others send them is built in it too
        people.update_profile(person, language=i18n.normalise(inc.language_code))
    people.give_consent(turn.db, person, {"health_data": True, "version": 1},
                        at=inc.received_at)
    turn.person = person
    turn.goto(State.PROFILE_SEX, {})
    return [Reply(_("Thank you! Consent recorded.")),
            Reply(_(texts.ASK_SEX), buttons=_sex_keyboard())]


def sex_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """A sex button of the profile's first question."""
    if turn.state != State.PROFILE_SEX or value not in ("M", "F", "-"):
        return [Reply(_(texts.STALE_BUTTON))]
    if turn.person is not None and value != "-":
        people.update_profile(turn.person, sex=value)
    turn.goto(State.PROFILE_BIRTH_YEAR, {})
    return [Reply(_(texts.ASK_BIRTH_YEAR))]


def sex_text(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """The sex answer typed instead of pressed (terminal users, old clients)."""
    answer = _sex_choices().get(text.strip().lower())
    if answer is None:
        return checkin.off_topic(dialogue, turn, text,
                                 Reply(_(texts.EXPECT_SEX), buttons=_sex_keyboard()))
    return sex_button(dialogue, turn, answer)


def birth_year_text(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """The birth year, or 'skip'."""
    value = text.strip().lower()
    if not skipped(value):
        if not value.isdigit() or not 1920 <= int(value) <= turn.inc.received_at.year - 5:
            return checkin.off_topic(dialogue, turn, text, Reply(_(texts.EXPECT_BIRTH_YEAR)))
        if turn.person is not None:
            people.update_profile(turn.person, birth_year=int(value))
    turn.goto(State.PROFILE_SPORT, {})
    return [Reply(_(texts.ASK_SPORT))]


def sport_text(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """The main sport (any words), or 'skip'; a check-in typed here is stored as one."""
    report = turn.report
    if report is not None and states_numbers_or_pain(report):
        return checkin.off_topic(dialogue, turn, text, Reply(_(texts.ASK_SPORT)))
    if turn.person is not None and not skipped(text):
        people.update_profile(turn.person, sport=text.strip()[:64])
    if turn.person is not None and dialogue.defer_planning:
        # the first plan and its ACO week are made now, not on the athlete's first /today
        ask_first_week(turn.db, turn.person,
                       local_today(turn.person, turn.inc.received_at, dialogue.timezone))
    turn.finish()
    return [Reply(_(texts.PROFILE_DONE))]


def feature() -> Feature:
    """The onboarding slice of the dialogue."""
    return Feature(
        commands={"start": start},
        buttons={"consent": consent, "sex": sex_button},
        states={State.CONSENT: consent_text, State.PROFILE_SEX: sex_text,
                State.PROFILE_BIRTH_YEAR: birth_year_text, State.PROFILE_SPORT: sport_text},
        help={"start": CommandHelp("/start", N_("consent, profile, or a welcome back"), rank=1)},
    )
