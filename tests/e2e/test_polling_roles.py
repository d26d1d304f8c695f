"""Each role's commands through real polling, and the access rules, end to end."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from storage.schema import CheckIn, FitnessTest, Group, Person
from tests.e2e.conftest import Running
from tests.e2e.fake_bot_api import FakeBotApi

GROUP = -1001234


async def _say(api: FakeBotApi, uid: int, name: str, text: str, n: int = 1,
               chat: int | None = None, timeout: float = 20.0) -> list[str]:
    target = chat or uid
    before = len(api.to(target))
    update_id = api.say(uid, name, text, chat_id=chat)
    return [s.text for s in await api.reply_to(target, before, n, timeout,
                                               update_id=update_id)]


async def _press(api: FakeBotApi, uid: int, name: str, data: str, n: int = 1) -> list[str]:
    before = len(api.to(uid))
    update_id = api.press(uid, name, data)
    return [s.text for s in await api.reply_to(uid, before, n, update_id=update_id)]


async def _onboard(api: FakeBotApi, uid: int, name: str) -> None:
    await _say(api, uid, name, "/start")
    await _press(api, uid, name, "consent:yes", 2)
    await _press(api, uid, name, "sex:F")
    await _say(api, uid, name, "2006")
    await _say(api, uid, name, "rowing")


def _code(text: str) -> str:
    return text.split("Invite code: ")[1].split()[0]


async def test_coach_and_athletes_end_to_end(bot: Running) -> None:
    api = bot.api
    await _onboard(api, 1, "Ben")
    code = _code((await _say(api, 1, "Ben", "/team create Rowing"))[0])
    # a non-admin cannot link; the check is live (getChatMember) each time
    api.members[(GROUP, 1)] = "member"
    assert "Only an admin" in (await _say(api, 1, "Ben", f"/team link {code}", chat=GROUP))[0]
    api.members[(GROUP, 1)] = "administrator"
    assert "now linked" in (await _say(api, 1, "Ben", f"/team link {code}", chat=GROUP))[0]
    assert api.calls.count("getChatMember") == 2
    # anonymous admin refused
    refused = await _say(api, 1087968824, "Group", f"/team link {code}", chat=GROUP)
    assert "anonymous" in refused[0]
    for uid, name in ((2, "Ana"), (3, "Bo")):
        await _onboard(api, uid, name)
        assert "joined" in (await _say(api, uid, name, f"/join {code}"))[0]
    await _say(api, 2, "Ana", "RPE 7, 60 min, my knee hurts", n=1)
    await _say(api, 3, "Bo", "RPE 5, 40 min, bo-private-words", n=1)
    # Ana asks for status: refused, and nothing of Bo reaches her
    assert "Only the team's coach" in (await _say(api, 2, "Ana", "/status"))[0]
    ana_texts = " ".join(s.text for s in api.to(2))
    assert "bo-private-words" not in ana_texts and "Bo:" not in ana_texts
    before_private = len(api.to(1))
    group_reply = (await _say(api, 1, "Ben", "/status", chat=GROUP))[0]
    private = (await api.reply_to(1, before_private))[0].text
    assert "knee" not in group_reply and "bo-private-words" not in group_reply
    assert "pain: knee" in private and "bo-private-words" in private
    chart = await _say(api, 1, "Ben", "/teamchart")
    assert api.to(1)[-1].method == "sendPhoto" and chart
    assert api.to(1)[-1].data is not None and api.to(1)[-1].data.startswith(b"\x89PNG")
    texts = await _say(api, 1, "Ben", "/override @ana 60% tomorrow easy", chat=GROUP)
    assert "Recorded" in texts[0]
    await api.wait_for(lambda: any("60%" in s.text for s in api.to(2)))
    with bot.database.session() as s:
        group = s.scalar(select(Group))
        assert group is not None and group.telegram_chat_id == GROUP


async def test_athlete_account_end_to_end(bot: Running) -> None:
    api = bot.api
    await _onboard(api, 2, "Ana")
    await _say(api, 2, "Ana", "RPE 6, 45 min", n=1)
    # /week plans seven days in the handler (ACO, the policy, SHAP): on a loaded machine that
    # takes longer than a reply's usual 20 s, so its wait is the one for planning replies
    assert "Your week" in (await _say(api, 2, "Ana", "/week", timeout=90))[0]
    _, compared = await _say(api, 2, "Ana", "/history", n=2)  # the PNG, planned vs done
    assert api.to(2)[-2].method == "sendPhoto" and compared.startswith("Planned vs done")
    assert "Saved" in (await _say(api, 2, "Ana", "/test pull_ups 10"))[0]
    assert "between" in (await _say(api, 2, "Ana", "/test pull_ups 500"))[0]
    before = len(api.to(2))
    api.say(2, "Ana", "/done")
    await api.wait_for(lambda: len(api.to(2)) >= before + 1)
    if "rest day" not in api.to(2)[before].text:
        await api.wait_for(lambda: len(api.to(2)) >= before + 2)
        buttons = api.to(2)[before + 1].params["reply_markup"]["inline_keyboard"][0]
        api.press(2, "Ana", buttons[0]["callback_data"])
        await api.wait_for(lambda: any(s.text.endswith(": done.") for s in api.to(2)))
    # forged callback data does nothing
    for forged in ("ex:2020-01-01:0:done", "forget:yes:00000000", "privacy:pain", "rpe:99"):
        reply = (await _press(api, 2, "Ana", forged))[0]
        assert "not valid" in reply or "expired" in reply or "earlier question" in reply
    assert "07:30" in (await _say(api, 2, "Ana", "/reminders 07:30 Europe/Rome"))[0]
    jobs = bot.app.job_queue.get_jobs_by_name("reminder:2") if bot.app.job_queue else ()
    assert len(jobs) == 1
    await _say(api, 2, "Ana", "/privacy")
    assert "shown" in (await _press(api, 2, "Ana", "privacy:load"))[0]
    await _say(api, 2, "Ana", "/export")
    export = api.to(2)[-1]
    assert export.method == "sendDocument" and export.data is not None
    assert json.loads(export.data)["tables"]["fitness_test"][0]["value"] == 10
    await _say(api, 2, "Ana", "/forget")
    question = api.to(2)[-1]
    yes = question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert "erased" in (await _press(api, 2, "Ana", yes))[0]
    await api.wait_for(lambda: not bot.app.job_queue.get_jobs_by_name("reminder:2")
                       if bot.app.job_queue else True)
    with bot.database.session() as s:
        for model in (Person, CheckIn, FitnessTest):
            assert s.scalar(select(func.count()).select_from(model)) == 0


async def test_wearable_document_goes_through_getfile(bot: Running) -> None:
    api = bot.api
    await _onboard(api, 2, "Ana")
    before = len(api.to(2))
    api.document(2, "Ana", "notes.txt", b"not a wearable file")
    reply = (await api.reply_to(2, before))[0].text
    assert "getFile" in api.calls and reply
