"""Every role's day through real polling: what the fake Bot API received, and what was stored.

One running bot per test (the `bot` fixture). An athlete's check-in through the inline
keyboards, plan questions, week schedule and reminders; a coach's team from the deep link to
the red alert, roster, chart and override; a teacher's class joined by code and broadcast to;
and the group chat, where nothing personal is answered, pressed or stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dialogue import texts
from bot.dialogue.checkin_report import HOOPER_ITEMS
from bot.dialogue.core import command_menu, private_only
from storage import checkins, groups, people
from storage.db import Database
from storage.schema import BroadcastDelivery, CheckIn, ConversationState, Group, Override, Person
from tests.e2e.conftest import Running
from tests.e2e.fake_bot_api import FakeBotApi, Sent

GROUP = -1009876


async def _say(api: FakeBotApi, uid: int, name: str, text: str, n: int = 1,
               chat: int | None = None, timeout: float = 20.0) -> list[Sent]:
    """Send ``text`` and wait for ``n`` messages back in that chat."""
    target = chat or uid
    before = len(api.to(target))
    update_id = api.say(uid, name, text, chat_id=chat)
    return await api.reply_to(target, before, n, timeout, update_id=update_id)


async def _press(api: FakeBotApi, uid: int, name: str, data: str, n: int = 1,
                 chat: int | None = None) -> list[Sent]:
    """Press a button with ``data`` and wait for ``n`` messages back in that chat."""
    target = chat or uid
    before = len(api.to(target))
    update_id = api.press(uid, name, data, chat_id=chat)
    return await api.reply_to(target, before, n, update_id=update_id)


async def _onboard(api: FakeBotApi, uid: int, name: str) -> None:
    await _say(api, uid, name, "/start")
    await _press(api, uid, name, "consent:yes", 2)
    await _press(api, uid, name, "sex:F")
    await _say(api, uid, name, "2006")
    await _say(api, uid, name, "rowing")


async def _team(api: FakeBotApi) -> str:
    """Ben's team "Rowing", linked to the group chat GROUP, with Ana in it; its invite code."""
    await _onboard(api, 1, "Ben")
    code = _code((await _say(api, 1, "Ben", "/team create Rowing"))[0].text)
    api.members[(GROUP, 1)] = "administrator"
    await _say(api, 1, "Ben", f"/team link {code}", chat=GROUP)
    await _onboard(api, 2, "Ana")
    await _say(api, 2, "Ana", f"/join {code}")
    return code


def _buttons(sent: Sent) -> list[str]:
    """The callback data of a message's inline keyboard, row by row."""
    rows = sent.params["reply_markup"]["inline_keyboard"]
    return [b["callback_data"] for row in rows for b in row]


def _code(text: str) -> str:
    return text.split("Invite code: ")[1].split()[0]


def _callback_ids(api: FakeBotApi, uid: int) -> set[str]:
    return {u["callback_query"]["id"] for u in api.updates
            if "callback_query" in u and u["callback_query"]["from"]["id"] == uid}


def _person(database: Database, telegram_id: int) -> Person:
    with database.session() as s:
        person = s.scalar(select(Person).where(Person.telegram_user_id == telegram_id))
        assert person is not None
        s.expunge(person)
        return person


def _checkins_of(database: Database, telegram_id: int) -> list[CheckIn]:
    with database.session() as s:
        rows = s.scalars(select(CheckIn).join(Person, Person.id == CheckIn.person_id)
                         .where(Person.telegram_user_id == telegram_id)).all()
        s.expunge_all()
        return list(rows)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _week_days(text: str) -> dict[str, str]:
    """``/week``'s lines as {"Tue": "rest", "Wed": "Endurance (50 min)", ...}."""
    lines = text.splitlines()[1:8]
    return {line[2:5]: line.split(": ", 1)[1] for line in lines}


async def test_athlete_day_checkin_keyboards_plan_schedule_and_reminders(bot: Running) -> None:
    api, app = bot.api, bot.app
    features = app.bot_data["dialogue"].features
    assert [(c["command"], c["description"]) for c in api.commands] == command_menu(features)
    group_menu = [c["command"] for c in api.menus["all_group_chats"]]
    assert group_menu == ["status", "broadcast", "help"]  # team business only
    await _onboard(api, 2, "Ana")

    # /checkin: RPE button, typed minutes, the four Hooper buttons, how do you feel
    ask = (await _say(api, 2, "Ana", "/checkin"))[0]
    assert ask.text == texts.ASK_RPE
    assert _buttons(ask) == [f"rpe:{n}" for n in range(11)]
    assert (await _press(api, 2, "Ana", "rpe:7"))[0].text == texts.ASK_MINUTES
    question = (await _say(api, 2, "Ana", "60"))[0]
    for item, score in zip(HOOPER_ITEMS, (2, 3, 4, 5), strict=True):
        assert question.text == texts.HOOPER_QUESTIONS[item]
        assert _buttons(question) == [f"hooper:{item}:{n}" for n in range(1, 8)]
        question = (await _press(api, 2, "Ana", f"hooper:{item}:{score}"))[0]
    assert question.text == texts.ASK_FEEL
    before = len(api.to(2))
    feel = api.say(2, "Ana", "tired but happy with the session")
    [saved] = await api.reply_to(2, before, 1)  # saved, then tomorrow, in one message
    assert saved.text.startswith("Saved ✅ RPE 7 x 60 min = load 420; sleep quality 2/7; "
                                 "stress 3/7; fatigue 4/7; soreness 5/7")
    assert "(tomorrow)" in saved.text.split("\n\n")[1].splitlines()[0]
    assert _callback_ids(api, 2) <= set(api.answered), "every button press is answered"
    [row] = _checkins_of(bot.database, 2)
    assert (row.rpe, row.minutes, row.day) == (7, 60, _today())
    assert (row.sleep_quality, row.stress, row.fatigue, row.soreness) == (2, 3, 4, 5)
    assert row.free_text == "tired but happy with the session"

    # an edited message is not a new check-in: it updates the one it completed, and says so
    before = len(api.to(2))
    await bot.handled(api.edit(feel, "RPE 9, 90 min, actually it was hard"))
    updated, _next = api.to(2)[before:]
    assert updated.text.startswith(f"Updated your check-in of {_today().isoformat()}: "
                                   "RPE 7 → 9, minutes 60 → 90, your note")
    [row] = _checkins_of(bot.database, 2)
    assert (row.rpe, row.minutes, row.free_text) == (9, 90, "RPE 9, 90 min, actually it was hard")
    assert (row.sleep_quality, row.stress, row.fatigue, row.soreness) == (2, 3, 4, 5)

    # /today, /why, /week
    day = _today().strftime("%a %d %b")
    today = (await _say(api, 2, "Ana", "/today"))[0].text
    assert today.startswith(f"{day}: ") and today.endswith("Ask /why for the reasons.")
    why = (await _say(api, 2, "Ana", "/why"))[0].text
    assert why.startswith(f"Why {day} looks like this:\n- ")
    week = (await _say(api, 2, "Ana", "/week"))[0].text
    assert week.startswith("Your week:\n› ") and len(_week_days(week)) == 7

    # /schedule narrows the week to the days the athlete can train
    reply = (await _say(api, 2, "Ana", "/schedule 3 50 mon wed fri"))[0].text
    assert reply.startswith("Your week: 3 sessions of 50 min on Mon, Wed, Fri.")
    assert _person(bot.database, 2).week_prefs == {"sessions": 3, "minutes": 50.0,
                                                    "days": [1, 3, 5]}
    days = _week_days((await _say(api, 2, "Ana", "/week"))[0].text)
    assert {d for d, what in days.items() if what != "rest"} == {"Mon", "Wed", "Fri"}, days

    # /cancel ends the check-in: its buttons are stale afterwards, nothing is stored
    await _say(api, 2, "Ana", "/checkin")
    assert (await _say(api, 2, "Ana", "/cancel"))[0].text == texts.CANCELLED
    assert (await _press(api, 2, "Ana", "rpe:5"))[0].text == texts.STALE_BUTTON
    assert len(_checkins_of(bot.database, 2)) == 1

    # /reminders 07:30 Europe/Rome: a daily JobQueue job at 07:30 Rome time; off removes it
    assert app.job_queue is not None
    reply = (await _say(api, 2, "Ana", "/reminders 07:30 Europe/Rome"))[0].text
    assert "every day at 07:30 (Europe/Rome)" in reply
    [job] = app.job_queue.get_jobs_by_name("reminder:2")
    assert job.next_t is not None
    at = job.next_t.astimezone(ZoneInfo("Europe/Rome"))
    assert (at.hour, at.minute) == (7, 30) and job.chat_id == 2
    ana = _person(bot.database, 2)
    assert (ana.reminder_time, ana.timezone) == ("07:30", "Europe/Rome")
    assert (await _say(api, 2, "Ana", "/reminders off"))[0].text == "Reminders off."
    await api.wait_for(lambda: not app.job_queue.get_jobs_by_name("reminder:2"))
    assert _person(bot.database, 2).reminder_time is None


def _seed_easy_weeks(database: Database, telegram_id: int) -> None:
    """27 easy days (RPE 3 x 30 min) ending four days ago: a baseline that a huge day breaks."""

    def work(s: Session) -> None:
        person = people.get_by_telegram_id(s, telegram_id)
        assert person is not None
        for i in range(27):
            day = _today() - dt.timedelta(days=30 - i)
            checkins.add_checkin(s, person, checkins.NewCheckIn(
                day=day, rpe=3, minutes=30, source="seed"))

    database.run(work)


async def test_coach_team_flow_deep_link_red_alert_status_chart_override(bot: Running) -> None:
    api = bot.api
    await _onboard(api, 1, "Ben")
    created = (await _say(api, 1, "Ben", "/team create Rowing"))[0].text
    code = _code(created)
    assert f"https://t.me/coachloop_bot?start={code}" in created
    api.members[(GROUP, 1)] = "administrator"
    await _say(api, 1, "Ben", f"/team link {code}", chat=GROUP)

    # Eve opens the deep link: the consent question, whose "I agree" also joins the team
    consent = (await _say(api, 3, "Eve", f"/start {code}"))[0]
    assert consent.text == texts.CONSENT
    assert _buttons(consent) == [f"consentjoin:{code}", "consent:no"]
    joined = [s.text for s in await _press(api, 3, "Eve", f"consentjoin:{code}", 3)]
    assert joined[0] == "Thank you! Consent recorded."
    assert joined[1].startswith("You joined the team 'Rowing'.") and joined[2] == texts.ASK_SEX
    with bot.database.session() as s:
        eve, team = people.get_by_telegram_id(s, 3), s.scalar(select(Group))
        assert eve is not None and eve.consent_at is not None and team is not None
        assert groups.has_role(s, eve.id, team.id, "athlete")
    assert "Only the team's coach" in (await _say(api, 3, "Eve", "/status @ana"))[0].text

    # Ana: weeks of easy days, then a huge one. Her coach is alerted in private only.
    await _onboard(api, 2, "Ana")
    await _say(api, 2, "Ana", f"/join {code}")
    await asyncio.to_thread(_seed_easy_weeks, bot.database, 2)
    to_coach, to_group = len(api.to(1)), len(api.to(GROUP))
    # With a history, planning tomorrow explains the PPO policy with SHAP, whose first call in
    # a process compiles numba code: 10-15 s on this machine, hence the long wait.
    saved = await _say(api, 2, "Ana", "RPE 10, 240 min, my knee hurts", n=1, timeout=90)
    assert saved[0].text.startswith("Saved ✅ RPE 10 x 240 min")
    alert = (await api.reply_to(1, to_coach))[0].text
    assert alert.startswith("🔴 Ana turned red today: ") and "/status @ana" in alert
    assert len(api.to(GROUP)) == to_group
    assert not any("turned red" in s.text for s in api.to(2) + api.to(3))

    # /status @ana in the group: readiness there (her default), the detail to Ben in private
    to_coach = len(api.to(1))
    public = (await _say(api, 1, "Ben", "/status @ana", chat=GROUP))[0].text
    private = (await api.reply_to(1, to_coach))[0].text
    assert public.startswith("Roster (who needs attention first):\nAna: 🔴 alert")
    assert "knee" not in public and "said:" not in public and "Eve" not in public
    assert "Ana: 🔴 alert" in private and "pain: knee" in private
    assert 'said: "RPE 10, 240 min, my knee hurts"' in private

    # /teamchart from the group: a PNG to the coach's private chat, nothing to the group
    to_coach, to_group = len(api.to(1)), len(api.to(GROUP))
    await bot.handled(api.say(1, "Ben", "/teamchart", chat_id=GROUP))
    [chart] = api.to(1)[to_coach:]
    assert chart.method == "sendPhoto" and chart.data is not None
    assert chart.data.startswith(b"\x89PNG") and len(api.to(GROUP)) == to_group

    # /override @ana 70% tomorrow: recorded in the group, explained to Ana, stored
    tomorrow = _today() + dt.timedelta(days=1)
    to_ana = len(api.to(2))
    recorded = (await _say(api, 1, "Ben", "/override @ana 70% tomorrow", chat=GROUP))[0].text
    when = tomorrow.strftime("%a %d %b")
    assert recorded.startswith(f"Recorded: Ana on {when} gets 70% of the planned intensity.")
    told = (await api.reply_to(2, to_ana))[0].text
    assert told.startswith(f"Your coach Ben set your session on {when} to 70%")
    ana, ben = _person(bot.database, 2), _person(bot.database, 1)
    with bot.database.session() as s:
        [row] = s.scalars(select(Override)).all()
        assert (row.person_id, row.coach_id, row.day) == (ana.id, ben.id, tomorrow)
        assert (row.intensity_factor, row.volume_factor) == (0.7, 1.0)


async def test_teacher_class_students_join_by_code_and_get_the_broadcast(bot: Running) -> None:
    api = bot.api
    await _onboard(api, 50, "Cruz")
    created = (await _say(api, 50, "Cruz", "/class create 10B"))[0].text
    assert created.startswith("Class '10B' created. Invite code: ")
    code = _code(created)
    await _onboard(api, 60, "Sam")
    joined = (await _say(api, 60, "Sam", f"/join {code.lower()}"))[0].text
    assert joined.startswith("You joined the class '10B'. Your teacher sees")
    # Tia taps the link: /start CODE, then the consent button joins her
    consent = (await _say(api, 61, "Tia", f"/start {code}"))[0]
    replies = await _press(api, 61, "Tia", _buttons(consent)[0], 3)
    assert replies[1].text.startswith("You joined the class '10B'.")
    assert "Only a class's teacher" in (await _say(api, 60, "Sam", "/broadcast"))[0].text
    listing = (await _say(api, 50, "Cruz", "/class"))[0].text
    assert f"- 10B - code {code} (2 members)" in listing

    sending = (await _say(api, 50, "Cruz", "/broadcast"))[0].text
    assert sending.startswith("Sending today's plan to 2 students of '10B'")
    await api.wait_for(lambda: any("Delivery report" in s.text for s in api.to(50)))
    report = next(s.text for s in api.to(50) if "Delivery report" in s.text)
    assert "2 sent, 0 failed, 0 blocked the bot (of 2)" in report
    for student in (60, 61):
        [copy] = [s for s in api.to(student) if s.text.startswith("From Cruz (10B):")]
        assert copy.method == "sendMessage"
    with bot.database.session() as s:
        group = s.scalar(select(Group).where(Group.kind == "class"))
        assert group is not None and group.title == "10B"
        students = {p.telegram_user_id for p in groups.members(s, group.id)}
        assert students == {60, 61}
        statuses = s.execute(select(BroadcastDelivery.status, func.count())
                             .group_by(BroadcastDelivery.status)).all()
        assert dict(statuses) == {"sent": 2}


async def test_group_chat_answers_no_personal_command_or_button(bot: Running) -> None:
    api = bot.api
    await _onboard(api, 1, "Ben")
    code = _code((await _say(api, 1, "Ben", "/team create Rowing"))[0].text)
    api.members[(GROUP, 1)] = "administrator"
    await _say(api, 1, "Ben", f"/team link {code}", chat=GROUP)
    await _onboard(api, 2, "Ana")
    await _say(api, 2, "Ana", f"/join {code}")
    await _say(api, 2, "Ana", "RPE 6, 45 min, knee a bit sore", n=1)
    nonce = _buttons((await _say(api, 2, "Ana", "/forget"))[0])[0]  # "forget:yes:<nonce>"
    to_ana = len(api.to(2))

    # personal commands in the group: the private-only text, no file, no chart, no question
    refusal = private_only(bot.app.bot_data["dialogue"].features)
    for command in ("/export", "/history", "/checkin", "/today", "/week", "/reminders 07:00"):
        assert (await _say(api, 2, "Ana", command, chat=GROUP))[0].text == refusal
    # buttons pressed in the group (forged or copied from private) are refused, but answered
    pressed = [("Ana", 2, d) for d in ("rpe:7", "privacy:load", "hooper:stress:3", nonce)]
    for name, uid, data in [*pressed, ("Zed", 77, "consent:yes")]:
        before = len(api.answered)
        replies = await _press(api, uid, name, data, chat=GROUP)
        assert replies[0].text == refusal
        assert len(api.answered) == before + 1
    # a check-in written in the group is ignored: not answered, not stored
    await bot.handled(api.say(2, "Ana", "RPE 9, 90 min, my back hurts", chat_id=GROUP))

    to_group = api.to(GROUP)
    assert {s.method for s in to_group} == {"sendMessage"}
    assert not any("knee" in s.text or "back" in s.text for s in to_group)
    assert len(api.to(2)) == to_ana, "nothing was sent to Ana's private chat either"
    [row] = _checkins_of(bot.database, 2)
    assert row.rpe == 6
    ana = _person(bot.database, 2)
    assert ana.team_visibility in ({}, None) and ana.reminder_time is None
    assert bot.app.job_queue is not None and not bot.app.job_queue.get_jobs_by_name("reminder:2")
    with bot.database.session() as s:
        assert s.scalar(select(Person).where(Person.telegram_user_id == 77)) is None
        states = s.scalars(select(ConversationState.chat_key)).all()
    assert not [k for k in states if k.startswith(f"{GROUP}:")], "no dialogue began in the group"
    # Ana's own /forget question still stands in private: the group press did not erase her
    assert "erased" in (await _press(api, 2, "Ana", nonce))[0].text
