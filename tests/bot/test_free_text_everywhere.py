"""A newcomer's free text in every state: a check-in is a check-in wherever it is typed, a
restatement corrects, an unusable answer says what is expected and how to get out.

Each scenario runs on the dialogue and through the terminal adapter (`run_chat`); the
Telegram path is pinned in tests/e2e/test_free_text_e2e.py.
"""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select

from bot.dialogue import Dialogue, texts
from bot.replies import Incoming, Reply
from bot.terminal import run_chat
from storage.schema import CheckIn

MONDAY = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
FULL = ("RPE 7, 60 min intervals, legs heavy, slept 6h, a bit stressed, left knee sore after "
        "the run")


class Chat:
    def __init__(self, dialogue: Dialogue, user_id: int = 7) -> None:
        self.dialogue, self.user_id, self.n = dialogue, user_id, 0

    def send(self, text: str | None = None, *, button: str | None = None,
             at: dt.datetime = MONDAY) -> list[Reply]:
        self.n += 1
        return self.dialogue.handle(Incoming(
            user_id=self.user_id, chat_id=self.user_id, display_name="Ana", received_at=at,
            text=text, callback=button, update_id=self.n, message_id=self.n))

    def consent(self) -> None:
        self.send("/start")
        self.send(button="consent:yes")

    def onboard(self) -> None:
        self.consent()
        self.send(button="sex:F")
        self.send("2007")
        self.send("running")

    def answer_until_saved(self, replies: list[Reply]) -> list[Reply]:
        """Press the middle button of every question until the check-in is saved."""
        for _ in range(8):
            if any(r.text.startswith("Saved") for r in replies):
                return replies
            last = replies[-1]
            if last.buttons:
                flat = [b for row in last.buttons for b in row]
                replies = self.send(button=flat[len(flat) // 2].data)
            else:
                replies = self.send("skip")
        raise AssertionError(f"never saved: {[r.text for r in replies]}")


def _rows(dialogue: Dialogue) -> list[CheckIn]:
    with dialogue.database.session() as s:
        rows = list(s.scalars(select(CheckIn).order_by(CheckIn.id)).all())
        s.expunge_all()
        return rows


def test_a_whole_checkin_typed_at_the_rpe_question_fills_the_flow(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    assert chat.send("/checkin")[0].text == texts.ASK_RPE
    replies = chat.send(FULL)
    assert replies[-1].text not in (texts.ASK_RPE, texts.ASK_MINUTES)  # only what is missing
    assert "Please pick" not in replies[0].text
    chat.answer_until_saved(replies)
    [row] = _rows(dialogue)
    assert (row.rpe, row.minutes, row.sleep_h) == (7, 60, 6)
    assert "knee" in row.pain_sites and row.free_text is not None and "knee" in row.free_text


def test_yesterdays_open_question_does_not_refuse_todays_checkin(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    chat.send("/checkin")  # ... and the athlete walks away
    tuesday = MONDAY + dt.timedelta(days=1)
    replies = chat.send("felt great today, easy 30 min jog, rpe 3", at=tuesday)
    assert replies[0].text == texts.STALE_CHECKIN
    assert any(r.text.startswith("Saved ✅ RPE 3 x 30 min") for r in replies)
    [row] = _rows(dialogue)
    assert (row.day, row.rpe, row.minutes) == (tuesday.date(), 3, 30)


def test_the_same_text_at_todays_open_question_fills_it(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    chat.send("/checkin")
    replies = chat.send("felt great today, easy 30 min jog, rpe 3")
    assert replies[0].text == texts.HOOPER_QUESTIONS["sleep_quality"]
    chat.answer_until_saved(replies)
    assert (_rows(dialogue)[0].rpe, _rows(dialogue)[0].minutes) == (3, 30)


def test_an_unusable_profile_answer_says_what_is_expected(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.consent()
    [hint] = chat.send("runner")
    assert hint.text == texts.EXPECT_SEX and "/cancel" in hint.text and hint.buttons
    assert chat.send("female")[0].text == texts.ASK_BIRTH_YEAR
    assert "/cancel" in chat.send("soon")[0].text


def test_a_restated_field_replaces_the_first_and_the_confirmation_says_so(
    dialogue: Dialogue,
) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    assert chat.send("RPE 7, legs heavy")[-1].text == texts.ASK_MINUTES
    replies = chat.send("sorry, it was RPE 4, 20 min")
    saved = next(r.text for r in replies if r.text.startswith("Saved"))
    assert saved.startswith("Saved ✅ (changed: RPE 7 → 4) RPE 4 x 20 min = load 80")
    [row] = _rows(dialogue)
    assert (row.rpe, row.minutes) == (4, 20)


def test_an_unusable_answer_in_the_flow_names_the_way_out(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    chat.send("/checkin")
    [hint] = chat.send("hmm, not sure")
    assert hint.text == texts.EXPECT_RPE and "/cancel" in hint.text and hint.buttons
    chat.send(button="rpe:6")
    [minutes] = chat.send("a while")
    assert minutes.text == texts.EXPECT_MINUTES
    assert chat.send("/cancel")[0].text == texts.CANCELLED
    assert _rows(dialogue) == []


def test_pain_typed_during_the_profile_is_stored_as_a_checkin(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.consent()
    chat.send(button="sex:F")
    replies = chat.send("rpe 5, 40 min, my left knee hurts")  # at "Year of birth?"
    assert replies[0].text == texts.TAKEN_AS_CHECKIN
    [row] = _rows(dialogue)
    assert "knee" in row.pain_sites and (row.rpe, row.minutes) == (5, 40)


def test_pain_typed_at_the_feel_question_is_kept(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    chat.send("/checkin")
    replies = chat.send(button="rpe:6")
    replies = chat.send("45")
    for _ in range(4):
        flat = [b for row in replies[-1].buttons for b in row]
        replies = chat.send(button=flat[2].data)
    assert replies[-1].text == texts.ASK_FEEL
    chat.send("ok overall but my lower back hurts")
    [row] = _rows(dialogue)
    assert row.pain_sites and row.pain_sites != ["unspecified"]


def test_the_terminal_takes_a_whole_checkin_at_the_rpe_question_and_a_correction(
    dialogue: Dialogue,
) -> None:
    script = "\n".join([
        "/start", "1", "1", "2007", "running",  # consent, Female, year, sport
        "/checkin", FULL, "4", "4", "4", "fine",
        "RPE 7, legs heavy", "sorry, it was RPE 4, 20 min",
    ]) + "\n"
    out = io.StringIO()
    run_chat(dialogue.handle, stdin=io.StringIO(script), stdout=out, clock=lambda: MONDAY)
    screen = out.getvalue()
    assert "Please pick" not in screen and "I need the session's effort" not in screen
    assert "Saved ✅ (changed: RPE 7 → 4) RPE 4 x 20 min = load 80" in screen
    rows = _rows(dialogue)
    assert [(r.rpe, r.minutes) for r in rows] == [(7, 60), (4, 20)]
    assert "knee" in rows[0].pain_sites


def test_a_language_we_do_not_read_is_answered_in_english_with_a_request_for_numbers(
    dialogue: Dialogue,
) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    replies = chat.send("Je suis très fatigué aujourd'hui, la séance était dure")
    assert replies[0].text == texts.UNSUPPORTED_LANGUAGE.format(language="French")
    assert '"RPE 7, 60 min"' in replies[0].text
    assert _rows(dialogue) == []


def test_numbers_in_a_language_we_do_not_read_are_taken_and_the_athlete_is_told(
    dialogue: Dialogue,
) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    replies = chat.send("Entraînement très dur aujourd'hui, effort 8")
    assert replies[0].text == texts.UNSUPPORTED_LANGUAGE_TAKEN.format(language="French")
    assert "minutes" in replies[-1].text  # asked for what it could not read
    chat.answer_until_saved(chat.send("45"))
    assert [(row.rpe, row.minutes) for row in _rows(dialogue)] == [(8, 45)]
