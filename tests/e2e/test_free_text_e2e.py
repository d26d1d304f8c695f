"""Free text in every state, through real polling: a whole check-in typed at the RPE question
fills the flow, and a restated RPE corrects the open check-in (the confirmation says so)."""

from __future__ import annotations

from bot.dialogue import texts
from tests.e2e.conftest import Running
from tests.e2e.test_role_flows import _checkins_of, _onboard, _press, _say

FULL = ("RPE 7, 60 min intervals, legs heavy, slept 6h, a bit stressed, left knee sore after "
        "the run")


async def test_a_whole_checkin_at_the_rpe_question_and_a_correction_over_telegram(
    bot: Running,
) -> None:
    api = bot.api
    await _onboard(api, 3, "Eva")
    assert (await _say(api, 3, "Eva", "/checkin"))[0].text == texts.ASK_RPE
    question = (await _say(api, 3, "Eva", FULL))[-1]
    assert question.text not in (texts.ASK_RPE, texts.ASK_MINUTES, texts.EXPECT_RPE)
    for _ in range(6):  # answer whatever is still missing with the middle button
        if "Next:" in question.text or not question.params.get("reply_markup"):
            break
        rows = question.params["reply_markup"]["inline_keyboard"]
        flat = [b["callback_data"] for row in rows for b in row]
        question = (await _press(api, 3, "Eva", flat[len(flat) // 2], n=1))[-1]
    if question.text == texts.ASK_FEEL:
        await _say(api, 3, "Eva", "skip", n=1)
    [row] = _checkins_of(bot.database, 3)
    assert (row.rpe, row.minutes, row.sleep_h) == (7, 60, 6) and "knee" in row.pain_sites

    assert (await _say(api, 3, "Eva", "RPE 7, legs heavy"))[-1].text == texts.ASK_MINUTES
    [saved] = await _say(api, 3, "Eva", "sorry, it was RPE 4, 20 min", n=1)
    assert saved.text.startswith("Saved ✅ (changed: RPE 7 → 4) RPE 4 x 20 min = load 80")
    assert [(r.rpe, r.minutes) for r in _checkins_of(bot.database, 3)] == [(7, 60), (4, 20)]
