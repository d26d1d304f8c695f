"""The languages through real polling: the menus per language, a Spanish athlete's day with a
German coach, and a teacher's broadcast reaching a Russian and an English student.

The fake Bot API puts each user's ``language_code`` on their updates, as Telegram does.
"""

from __future__ import annotations

from bot import i18n
from bot.dialogue.core import command_menu
from tests.e2e.conftest import Running
from tests.e2e.fake_bot_api import FakeBotApi, Sent


async def _say(api: FakeBotApi, uid: int, name: str, text: str, n: int = 1) -> list[Sent]:
    before = len(api.to(uid))
    update_id = api.say(uid, name, text)
    return await api.reply_to(uid, before, n, 20.0, update_id=update_id)


async def _press(api: FakeBotApi, uid: int, name: str, data: str, n: int = 1) -> list[Sent]:
    before = len(api.to(uid))
    update_id = api.press(uid, name, data)
    return await api.reply_to(uid, before, n, update_id=update_id)


async def _onboard(api: FakeBotApi, uid: int, name: str, sport: str) -> None:
    await _say(api, uid, name, "/start")
    await _press(api, uid, name, "consent:yes", 2)
    await _press(api, uid, name, "sex:F")
    await _say(api, uid, name, "2006")
    await _say(api, uid, name, sport)


async def test_menus_per_language_and_a_spanish_day_with_a_german_coach(bot: Running) -> None:
    api = bot.api
    features = bot.app.bot_data["dialogue"].features
    for lang in ("es", "de", "ru", "zh"):
        with i18n.language(lang):
            wanted = command_menu(features)
        menu = api.language_menus[("all_private_chats", lang)]
        assert [(c["command"], c["description"]) for c in menu] == wanted
    assert dict(wanted)["today"] == "今天的训练"

    api.languages.update({11: "es", 12: "de"})
    consent = (await _say(api, 11, "Ana", "/start"))[0]
    assert "Soy coachloop" in consent.text
    labels = [b["text"] for row in consent.params["reply_markup"]["inline_keyboard"]
              for b in row]
    assert labels == ["Acepto", "No, gracias"]
    thanks = await _press(api, 11, "Ana", "consent:yes", 2)
    assert thanks[0].text == "¡Gracias! Consentimiento registrado."
    await _press(api, 11, "Ana", "sex:F")
    await _say(api, 11, "Ana", "2006")
    assert (await _say(api, 11, "Ana", "fútbol"))[0].text.startswith("Todo listo.")

    await _say(api, 12, "Ben", "/start")
    await _press(api, 12, "Ben", "consent:yes", 2)
    await _say(api, 12, "Ben", "/cancel")
    made = (await _say(api, 12, "Ben", "/team create Tigres"))[0].text
    code = made.split("Einladungscode: ")[1].split()[0]
    joined = (await _say(api, 11, "Ana", f"/join {code}"))[0].text
    assert joined.startswith("Te has unido al equipo «Tigres».")

    saved = (await _say(api, 11, "Ana", "Entrenamiento de una hora, esfuerzo 8, me duele la "
                                        "rodilla izquierda"))[0].text
    assert saved.startswith("Guardado ✅ RPE 8 x 60 min = carga 480")
    assert "dolor: rodilla (lado izquierdo)" in saved
    assert "Pregunta /why" in (await _say(api, 11, "Ana", "/today"))[0].text
    assert "Protección por dolor" in (await _say(api, 11, "Ana", "/why"))[0].text
    roster = (await _say(api, 12, "Ben", "/status"))[0].text
    assert roster.startswith("Kader (wer zuerst Aufmerksamkeit braucht):")
    assert "Schmerz: Knie (links)" in roster


async def test_a_broadcast_reaches_a_russian_and_an_english_student(bot: Running) -> None:
    api = bot.api
    api.languages.update({21: "en-GB", 22: "ru"})
    await _onboard(api, 21, "Cruz", "running")
    code = (await _say(api, 21, "Cruz", "/class create 10B"))[0].text.split(
        "Invite code: ")[1].split()[0]
    await _onboard(api, 22, "Ivan", "футбол")
    await _onboard(api, 23, "Emma", "football")  # no language_code: English
    for uid, name in ((22, "Ivan"), (23, "Emma")):
        await _say(api, uid, name, f"/join {code}")
    sending = (await _say(api, 21, "Cruz", "/broadcast"))[0].text
    assert sending.startswith("Sending today's plan to 2 students of '10B'")
    await api.wait_for(lambda: any("Delivery report" in s.text for s in api.to(21)))
    [russian] = [s for s in api.to(22) if s.text.startswith("От Cruz (10B):")]
    assert "Спроси /why, чтобы узнать причины." in russian.text
    [english] = [s for s in api.to(23) if s.text.startswith("From Cruz (10B):")]
    assert "Ask /why for the reasons." in english.text
