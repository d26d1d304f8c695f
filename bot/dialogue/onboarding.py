"""Onboarding: /start, the consent question, and a three-question profile.

Nothing about a person is stored before "I agree". The profile (sex, birth year, sport) is
optional and each answer can be typed or pressed; an answer the question cannot use gets the
question again with what it expects and /cancel, and a check-in typed there is stored as one
(`checkin.off_topic`), so nobody is stuck in the profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.dialogue import checkin, texts
from bot.dialogue.checkin_report import states_numbers_or_pain
from bot.dialogue.core import CommandHelp, Feature, State, Turn, help_text
from bot.replies import Reply, keyboard
from bot.services.background import ask_first_week
from bot.services.planning import local_today
from storage import people

if TYPE_CHECKING:
    from bot.dialogue.core import Dialogue

SEX_CHOICES = {"f": "F", "female": "F", "woman": "F", "m": "M", "male": "M", "man": "M",
               "skip": "-", "-": "-"}


def _sex_keyboard() -> Any:
    return keyboard([("Female", "sex:F"), ("Male", "sex:M"), ("Skip", "sex:-")])


def start(dialogue: Dialogue, turn: Turn, args: list[str] | None = None) -> list[Reply]:
    """/start: the consent question, or a welcome back."""
    if people.has_consent(turn.person):
        return [Reply("Welcome back!\n\n" + help_text(dialogue.features))]
    return [Reply(texts.CONSENT,
                  buttons=keyboard([("I agree", "consent:yes"), ("No, thanks", "consent:no")]))]


def consent(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
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
    person.timezone = person.timezone or dialogue.timezone
    people.give_consent(turn.db, person, {"health_data": True, "version": 1},
                        at=inc.received_at)
    turn.person = person
    turn.goto(State.PROFILE_SEX, {})
    return [Reply("Thank you! Consent recorded."), Reply(texts.ASK_SEX, buttons=_sex_keyboard())]


def sex_button(dialogue: Dialogue, turn: Turn, value: str) -> list[Reply]:
    """A sex button of the profile's first question."""
    if turn.state != State.PROFILE_SEX or value not in ("M", "F", "-"):
        return [Reply(texts.STALE_BUTTON)]
    if turn.person is not None and value != "-":
        people.update_profile(turn.person, sex=value)
    turn.goto(State.PROFILE_BIRTH_YEAR, {})
    return [Reply(texts.ASK_BIRTH_YEAR)]


def sex_text(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """The sex answer typed instead of pressed (terminal users, old clients)."""
    answer = SEX_CHOICES.get(text.strip().lower())
    if answer is None:
        return checkin.off_topic(dialogue, turn, text,
                                 Reply(texts.EXPECT_SEX, buttons=_sex_keyboard()))
    return sex_button(dialogue, turn, answer)


def birth_year_text(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """The birth year, or 'skip'."""
    value = text.strip().lower()
    if value != "skip":
        if not value.isdigit() or not 1920 <= int(value) <= turn.inc.received_at.year - 5:
            return checkin.off_topic(dialogue, turn, text, Reply(texts.EXPECT_BIRTH_YEAR))
        if turn.person is not None:
            people.update_profile(turn.person, birth_year=int(value))
    turn.goto(State.PROFILE_SPORT, {})
    return [Reply(texts.ASK_SPORT)]


def sport_text(dialogue: Dialogue, turn: Turn, text: str) -> list[Reply]:
    """The main sport (any words), or 'skip'; a check-in typed here is stored as one."""
    report = turn.report
    if report is not None and states_numbers_or_pain(report):
        return checkin.off_topic(dialogue, turn, text, Reply(texts.ASK_SPORT))
    if turn.person is not None and text.strip().lower() != "skip":
        people.update_profile(turn.person, sport=text.strip()[:64])
    if turn.person is not None and dialogue.defer_planning:
        # the first plan and its ACO week are made now, not on the athlete's first /today
        ask_first_week(turn.db, turn.person,
                       local_today(turn.person, turn.inc.received_at, dialogue.timezone))
    turn.finish()
    return [Reply(texts.PROFILE_DONE)]


def feature() -> Feature:
    """The onboarding slice of the dialogue."""
    return Feature(
        commands={"start": start},
        buttons={"consent": consent, "sex": sex_button},
        states={State.PROFILE_SEX: sex_text, State.PROFILE_BIRTH_YEAR: birth_year_text,
                State.PROFILE_SPORT: sport_text},
        help={"start": CommandHelp("/start", "consent, profile, or a welcome back", rank=1)},
    )
