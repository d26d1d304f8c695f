"""A whole day in each language over real polling: onboarding, a check-in with pain, /today,
/why, the coach's /status and a teacher's broadcast, everyone's Telegram set to that language.

Expected texts come from the catalogs themselves (the consent question, "Saved", the profile's
end), so the test checks that the bot answers in the language and understood the check-in,
not one wording. For Russian and Chinese every Latin word longer than three letters in what
the athlete and the coach read is a leftover of English, except the method names, units and
the people's own names; for Spanish and German a list of English phrases stands in for that.
"""

from __future__ import annotations

import re

import pytest

from bot import i18n
from bot.dialogue import texts
from storage import groups, people
from tests.e2e.conftest import Running
from tests.e2e.fake_bot_api import FakeBotApi, Sent

# per language: the sport, a check-in of an hour at effort 8 with a sore left knee, the knee
DAYS = {
    "es": ("fútbol", "Entrenamiento de una hora, esfuerzo 8, me duele la rodilla izquierda",
           "rodilla"),
    "de": ("Fußball", "Eine Stunde Training, Belastung 8, mein linkes Knie tut weh", "Knie"),
    "ru": ("футбол", "Тренировка час, нагрузка 8, болит левое колено", "колен"),
    "zh": ("足球", "训练了一个小时，强度8，左膝盖疼", "膝"),
}
# what may stay Latin in any language: method names, units, commands, people's names
LATIN_OK = {"RPE", "sRPE", "ACWR", "FRBI", "PPO", "ACO", "SHAP", "Hooper", "EWMA", "CTL",
            "ATL", "TSB", "LightGBM", "Banister", "coachloop", "Ana", "Ben", "Cruz", "Tigers",
            "REWARD_WEIGHTS", "HRmax", "SMOTE"}
ENGLISH = ("Ask /why", "instead of", "Warm-up", "You reported", "Rest day", "Next:", "Saved",
           "Sorry", "your values", "rule:", "Week schedule", "Roster", "pain:")
COMMAND = re.compile(r"/[a-z_]+")


def leftovers(text: str, lang: str) -> list[str]:
    """English left in ``text`` for a reader of ``lang``."""
    if lang in ("ru", "zh"):
        words = re.findall(r"[A-Za-z][A-Za-z_\-]{3,}", COMMAND.sub(" ", text))
        return [w for w in words if w not in LATIN_OK]
    return [phrase for phrase in ENGLISH if phrase in text]


async def _say(api: FakeBotApi, uid: int, name: str, text: str, n: int = 1,
               timeout: float = 90.0) -> list[Sent]:
    before = len(api.to(uid))
    update_id = api.say(uid, name, text)
    return await api.reply_to(uid, before, n, timeout, update_id=update_id)


async def _press(api: FakeBotApi, uid: int, name: str, data: str, n: int = 1) -> list[Sent]:
    before = len(api.to(uid))
    update_id = api.press(uid, name, data)
    return await api.reply_to(uid, before, n, 90.0, update_id=update_id)


async def _onboard(api: FakeBotApi, uid: int, name: str, sport: str, lang: str) -> None:
    with i18n.language(lang):
        consent, done = i18n._(texts.CONSENT), i18n._(texts.PROFILE_DONE)
    assert (await _say(api, uid, name, "/start"))[0].text == consent
    await _press(api, uid, name, "consent:yes", 2)
    await _press(api, uid, name, "sex:F")
    await _say(api, uid, name, "2006")
    assert (await _say(api, uid, name, sport))[0].text == done


def _code(bot: Running, owner: int) -> str:
    with bot.database.session() as s:
        person = people.get_by_telegram_id(s, owner)
        assert person is not None
        [group] = groups.groups_of(s, person.id, role="coach") or groups.groups_of(s, person.id)
        return group.invite_code


@pytest.mark.parametrize("lang", sorted(DAYS))
async def test_a_whole_day_in_one_language(bot: Running, lang: str) -> None:
    api = bot.api
    sport, checkin, knee = DAYS[lang]
    athlete, coach, teacher = 31, 32, 33
    api.languages.update({athlete: lang, coach: lang, teacher: lang})
    with i18n.language(lang):
        saved_word = i18n._("Saved")

    await _onboard(api, athlete, "Ana", sport, lang)
    for uid, name in ((coach, "Ben"), (teacher, "Cruz")):
        await _say(api, uid, name, "/start")
        await _press(api, uid, name, "consent:yes", 2)
        await _say(api, uid, name, "/cancel")
    await _say(api, coach, "Ben", "/team create Tigers")
    await _say(api, athlete, "Ana", f"/join {_code(bot, coach)}")
    await _say(api, teacher, "Cruz", "/class create 10B")
    await _say(api, athlete, "Ana", f"/join {_code(bot, teacher)}")

    saved = (await _say(api, athlete, "Ana", checkin))[0].text
    assert saved.startswith(f"{saved_word} ✅ RPE 8 x 60 ")
    assert knee in saved  # the pain was understood, with its site, and said in the language
    today = (await _say(api, athlete, "Ana", "/today"))[0].text
    why = (await _say(api, athlete, "Ana", "/why"))[0].text
    roster = (await _say(api, coach, "Ben", "/status"))[0].text
    assert "Ana" in roster and knee in roster  # the coach sees the pain site, in words
    for text in (saved, today, why, roster):
        assert leftovers(text, lang) == [], text

    await _say(api, teacher, "Cruz", "/broadcast")
    await api.wait_for(lambda: len(api.to(athlete)) > 0 and any(
        s.text.startswith("Cruz") or "Cruz" in s.text.split("\n")[0]
        for s in api.to(athlete)[-2:]), 90.0)
    copy = next(s.text for s in reversed(api.to(athlete)) if "Cruz" in s.text.split("\n")[0])
    with i18n.language(lang):
        heading = i18n._("From {sender}:").format(sender="Cruz (10B)")
    assert copy.startswith(heading)
    assert leftovers(copy, lang) == [], copy
