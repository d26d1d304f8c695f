"""Coaches, teachers and athletes at the dialogue level (no Telegram), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from bot.dialogue import Dialogue
from bot.dialogue.broadcasts import render_copy
from bot.dialogue.core import private_only
from bot.replies import Reply
from storage import groups
from storage.schema import (
    AuditLog,
    BroadcastDelivery,
    CheckIn,
    ExerciseLog,
    FitnessTest,
    Group,
    Person,
    PrescribedSession,
)
from tests.bot_roles.conftest import NOW, User, code_of

GROUP_CHAT = -100555


def _team(dialogue: Dialogue) -> tuple[User, str]:
    coach = User(dialogue, 1, "Ben")
    coach.onboard("M")
    return coach, code_of(coach.send("/team create Rowing U18"))


def test_athlete_joins_a_team_by_code(full_dialogue: Dialogue) -> None:
    _coach, code = _team(full_dialogue)
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    assert "joined the team 'Rowing U18'" in ana.texts(ana.send(f"/join {code.lower()}"))
    assert "already" in ana.texts(ana.send(f"/join {code}"))
    assert "don't know that invite code" in ana.texts(ana.send("/join ZZZZ2222"))


def test_deep_link_asks_consent_then_joins(full_dialogue: Dialogue) -> None:
    _, code = _team(full_dialogue)
    eve = User(full_dialogue, 3, "Eve")
    replies = eve.send(f"/start {code}")
    assert "Do you agree?" in replies[0].text
    assert replies[0].buttons[0][0].data == f"consentjoin:{code}"
    texts = eve.texts(eve.send(button=f"consentjoin:{code}"))
    assert "Consent recorded" in texts and "joined the team" in texts
    with full_dialogue.database.session() as s:
        eve_row = s.scalar(select(Person).where(Person.telegram_user_id == 3))
        assert eve_row is not None and eve_row.consent_at is not None


def test_only_an_admin_coach_links_a_group(full_dialogue: Dialogue) -> None:
    coach, code = _team(full_dialogue)
    refused = coach.send(f"/team link {code}", chat=GROUP_CHAT, admin=False)
    assert "Only an admin" in refused[0].text
    unknown = coach.send(f"/team link {code}", chat=GROUP_CHAT, admin=None)
    assert "Only an admin" in unknown[0].text
    stranger = User(full_dialogue, 9, "Sam")
    stranger.onboard()
    assert "not one of your teams" in stranger.send(f"/team link {code}", chat=GROUP_CHAT,
                                                     admin=True)[0].text
    assert "now linked" in coach.send(f"/team link {code}", chat=GROUP_CHAT, admin=True)[0].text
    with full_dialogue.database.session() as s:
        group = s.scalar(select(Group))
        assert group is not None and group.telegram_chat_id == GROUP_CHAT


def _checkins(user: User, days: int, rpe: int, minutes: int, start: dt.datetime) -> None:
    for i in range(days):
        user.send(f"RPE {rpe}, {minutes} min", at=start + dt.timedelta(days=i))


def test_status_in_group_shows_only_what_athletes_allow(full_dialogue: Dialogue) -> None:
    coach, code = _team(full_dialogue)
    coach.send(f"/team link {code}", chat=GROUP_CHAT, admin=True)
    ana, bo = User(full_dialogue, 2, "Ana"), User(full_dialogue, 4, "Bo")
    for u in (ana, bo):
        u.onboard()
        u.send(f"/join {code}")
    ana.send("/privacy")
    ana.send(button="privacy:load")
    bo.send(button="privacy:readiness")  # Bo hides even readiness
    ana.send("RPE 6, 50 min, my knee hurts a bit, tired", at=NOW)
    replies = coach.send("/status", chat=GROUP_CHAT)
    public, private = replies[0], replies[1]
    assert public.chat_id is None and private.chat_id == 1
    assert "Ana:" in public.text and "ACWR" in public.text
    assert "Bo: (keeps their data private)" in public.text
    assert "knee" not in public.text and "said:" not in public.text
    assert "pain: knee" in private.text and "said:" in private.text
    one = coach.send("/status @ana", chat=GROUP_CHAT)
    assert "Bo" not in one[0].text


def test_status_is_a_read_it_plans_and_stores_nothing(full_dialogue: Dialogue) -> None:
    """/status shows the session already stored; it never plans, stores or audits for anyone."""
    coach, code = _team(full_dialogue)
    ana, bo = User(full_dialogue, 2, "Ana"), User(full_dialogue, 4, "Bo")
    for u in (ana, bo):
        u.onboard()
        u.send(f"/join {code}")
    ana.send("RPE 6, 50 min, legs heavy", at=NOW)  # plans Ana's tomorrow, not her today

    def stored() -> tuple[list[tuple[int, dt.date, str]], int]:
        with full_dialogue.database.session() as s:
            plans = [(p.person_id, p.day, p.title) for p in s.scalars(
                select(PrescribedSession).order_by(PrescribedSession.id))]
            audits = len(s.scalars(select(AuditLog)).all())
        return plans, audits

    before = stored()
    text = coach.texts(coach.send("/status"))
    assert stored() == before
    assert text.count("not planned yet today") == 2, text
    ana.send("/today", at=NOW)  # the athlete's own request plans and stores her day
    with full_dialogue.database.session() as s:
        ana_id = s.scalar(select(Person.id).where(Person.telegram_user_id == 2))
        title = s.scalar(select(PrescribedSession.title).where(
            PrescribedSession.person_id == ana_id, PrescribedSession.day == NOW.date()))
    assert title is not None
    after = stored()
    text = coach.texts(coach.send("/status"))
    assert stored() == after
    assert f"plan: {title}" in text and text.count("not planned yet today") == 1, text


def test_teammate_and_other_coach_cannot_ask_status(full_dialogue: Dialogue) -> None:
    coach, code = _team(full_dialogue)
    coach.send(f"/team link {code}", chat=GROUP_CHAT, admin=True)
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    other = User(full_dialogue, 5, "Otto")
    other.onboard()
    other.send("/team create Other")
    for asker in (ana, other):
        assert "Only the team's coach" in asker.send("/status", chat=GROUP_CHAT)[0].text
    assert "not in your team" in other.send("/status @ana")[0].text


def test_coach_alerted_privately_when_athlete_turns_red(full_dialogue: Dialogue) -> None:
    _coach, code = _team(full_dialogue)
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    start = NOW - dt.timedelta(days=30)
    _checkins(ana, 27, 3, 30, start)
    replies = ana.send("RPE 10, 240 min", at=NOW)
    alerts = [r for r in replies if r.chat_id == 1]
    assert alerts and "turned red" in alerts[0].text
    again = ana.send("RPE 10, 200 min", at=NOW + dt.timedelta(hours=1))
    assert not [r for r in again if r.chat_id == 1], "alert only on the flip"


def test_override_is_recorded_and_explained(full_dialogue: Dialogue) -> None:
    coach, code = _team(full_dialogue)
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    replies = coach.send("/override @ana 70% tomorrow sore after the regatta")
    assert "Recorded" in replies[0].text
    assert replies[1].chat_id == 2 and "70%" in replies[1].text
    with full_dialogue.database.session() as s:
        view = groups.override_for(s, s.scalar(select(Person.id).where(
            Person.telegram_user_id == 2)) or 0, NOW.date() + dt.timedelta(days=1))
        assert view is not None and view.intensity_factor == 0.7
        assert view.note == "sore after the regatta" and view.coach_name == "Ben"
    assert "how much" in coach.send("/override @ana tomorrow")[0].text
    assert "Only a coach" in ana.send("/override @ben rest")[0].text


def test_broadcast_personalises_each_student(full_dialogue: Dialogue) -> None:
    teacher = User(full_dialogue, 50, "Cruz")
    teacher.onboard()
    code = code_of(teacher.send("/class create 10B"))
    students = [User(full_dialogue, 60 + i, f"S{i}") for i in range(3)]
    for s in students:
        s.onboard()
        s.send(f"/join {code}")
    students[0].send("RPE 8, 90 min, my ankle hurts")
    replies = teacher.send("/broadcast")
    assert "Sending today's plan to 3 students" in replies[0].text
    assert all(r.text == "" for r in replies[1:]), "copies are planned when sent, not here"
    copies = {r.chat_id: render_copy(full_dialogue, r).text for r in replies[1:]}
    assert all(t.startswith("From Cruz (10B):") for t in copies.values())
    assert set(copies) == {60, 61, 62}
    assert copies[60] != copies[61], "the student with ankle pain gets a different plan"
    with full_dialogue.database.session() as s:
        broadcast_id = int(replies[0].meta["broadcast_report"])
        counts = groups.record_deliveries(s, broadcast_id, {60: ("sent", None),
                                                            61: ("blocked", "Forbidden")})
        assert counts == {"queued": 0, "sent": 1, "failed": 1, "blocked": 1}
        assert len(s.scalars(select(BroadcastDelivery)).all()) == 3


def training_day_done(user: User) -> tuple[dt.datetime, list[Reply]]:
    """/done on the first day of the week plan that is not a rest day."""
    for offset in range(7):
        at = NOW + dt.timedelta(days=offset)
        replies = user.send("/done", at=at)
        if len(replies) > 1:
            return at, replies
    raise AssertionError("no training day in a week")


def test_done_buttons_feed_exercise_history_and_forged_ones_do_nothing(
    full_dialogue: Dialogue,
) -> None:
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    at, replies = training_day_done(ana)
    first = replies[1].buttons[0]
    assert [b.label for b in first] == ["done", "skipped", "too hard"]
    ana.send(button=first[2].data, at=at)
    ana.send(button=first[2].data, at=at)  # pressed twice: one row, updated
    day = at.date().isoformat()
    for forged in (f"ex:{day}:99:done", "ex:2020-01-01:0:done", "ex:x", f"ex:{day}:0:hack"):
        assert "not valid" in ana.send(button=forged, at=at)[0].text
    eve = User(full_dialogue, 3, "Eve")
    eve.onboard()
    eve.send(button=first[0].data, at=at)  # Ana's button data from Eve: only Eve's own plan
    with full_dialogue.database.session() as s:
        rows = s.scalars(select(ExerciseLog)).all()
        ana_id = s.scalar(select(Person.id).where(Person.telegram_user_id == 2))
        ana_rows = [r for r in rows if r.person_id == ana_id]
        assert len(ana_rows) == 1 and ana_rows[0].status == "too_hard"


def test_fitness_tests_are_range_checked(full_dialogue: Dialogue) -> None:
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    assert "Items:" in ana.send("/test")[0].text
    assert "between 0 and 60" in ana.send("/test pull_ups 99")[0].text
    assert "not a number" in ana.send("/test pull_ups many")[0].text
    assert "Saved" in ana.send("/test pull_ups 12 run_50m_s 7,9")[0].text
    with full_dialogue.database.session() as s:
        assert sorted((r.item, r.value) for r in s.scalars(select(FitnessTest))) == [
            ("pull_ups", 12.0), ("run_50m_s", 7.9)]


def test_week_history_reminders(full_dialogue: Dialogue) -> None:
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    assert "No history yet" in ana.send("/history")[0].text
    _checkins(ana, 5, 5, 45, NOW - dt.timedelta(days=5))
    chart = ana.send("/history")[0]
    assert chart.image is not None and chart.image.startswith(b"\x89PNG")
    assert ana.send("/week")[0].text.count("\n") >= 7
    set_ = ana.send("/reminders 7:05 Europe/Rome")[0]
    assert set_.meta["reminder"] == "07:05 Europe/Rome"
    assert "Send a time" in ana.send("/reminders 25:00")[0].text
    assert ana.send("/reminders off")[0].meta["reminder"] == "off"


def test_export_has_own_data_and_nothing_of_others(full_dialogue: Dialogue) -> None:
    coach, code = _team(full_dialogue)
    ana, bo = User(full_dialogue, 2, "Ana"), User(full_dialogue, 4, "Bo")
    for u in (ana, bo):
        u.onboard()
        u.send(f"/join {code}")
    ana.send("RPE 6, 50 min, feeling sharp today")
    bo.send("RPE 7, 40 min, secret words from bo")
    coach.send("/override @ana 80% tomorrow taper")
    doc = ana.send("/export")[0].document
    assert doc is not None
    data = json.loads(doc[1])
    text = doc[1].decode()
    assert data["tables"]["checkin"][0]["free_text"] == "RPE 6, 50 min, feeling sharp today"
    assert data["tables"]["coach_override"][0]["note"] == "taper"
    assert "coach_id" not in data["tables"]["coach_override"][0]
    assert "secret words" not in text and '"Bo"' not in text and '"Ben"' not in text
    assert data["groups"] == [{"title": "Rowing U18", "kind": "team", "role": "athlete"}]


def test_personal_commands_and_buttons_are_refused_in_a_group(full_dialogue: Dialogue) -> None:
    """A group sees every reply: nothing personal may be answered or changed there."""
    coach, code = _team(full_dialogue)
    coach.send(f"/team link {code}", chat=GROUP_CHAT, admin=True)
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    ana.send("RPE 6, 50 min, my knee hurts a bit")
    personal = ("/export", "/history", "/week", "/done", "/test", "/privacy", "/forget",
                "/reminders 07:00", "/checkin", "/today", "/why", "/start", f"/join {code}")
    for command in personal:
        replies = ana.send(command, chat=GROUP_CHAT)
        assert [r.text for r in replies] == [private_only(full_dialogue.features)], command
        assert all(r.document is None and r.image is None for r in replies), command
    for button in ("forget:yes:1", "privacy:load", "ex:1:done", f"consentjoin:{code}"):
        assert [r.text for r in ana.send(button=button, chat=GROUP_CHAT)] == [
            private_only(full_dialogue.features)], button
    assert ana.send("rpe 9, 90 min, legs dead", chat=GROUP_CHAT) == []
    with full_dialogue.database.session() as s:
        assert len(s.scalars(select(CheckIn)).all()) == 1
        assert s.scalar(select(Person).where(Person.telegram_user_id == 2)) is not None
    assert "Roster" in coach.send("/status", chat=GROUP_CHAT)[0].text
    assert "/status" in coach.send("/help", chat=GROUP_CHAT)[0].text


def test_schedule_preferences_shape_the_week(full_dialogue: Dialogue) -> None:
    """/schedule 3 50 mon wed fri: ACO trains on those days only, sessions sized to ~50 min."""
    from bot.services.planning import plan_and_store

    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    assert "default week" in ana.send("/schedule")[0].text
    assert "at least 3 days" in ana.send("/schedule 3 50 mon")[0].text
    assert "3 sessions of 50 min on Mon, Wed, Fri" in ana.send("/schedule 3 50 mon wed fri")[0].text
    with full_dialogue.database.session() as s:
        person = s.scalar(select(Person).where(Person.telegram_user_id == 2))
        assert person is not None and person.week_prefs == {
            "sessions": 3, "minutes": 50.0, "days": [1, 3, 5]}
        week = [plan_and_store(s, person, NOW.date() + dt.timedelta(days=i),
                               full_dialogue.planning) for i in range(7)]
    trained = [p for p in week if not p.session.is_rest]
    assert {p.session.day.isoweekday() for p in trained} == {1, 3, 5}
    for planned in trained:
        assert 35 <= planned.session.estimated_minutes() <= 70, planned.session.title
    assert "default week" in ana.send("/schedule default")[0].text


def test_a_class_plan_is_every_students_base_personalised_per_student(
    full_dialogue: Dialogue,
) -> None:
    """One plan for the class; each student's version still follows their own pain and week."""
    from bot.services.planning import plan_and_store
    from bot.services.prescription import current_plan

    teacher = User(full_dialogue, 50, "Cruz")
    teacher.onboard()
    code = code_of(teacher.send("/class create 10B"))
    assert "none" in teacher.send("/class plan")[0].text
    assert "don't know the plan" in teacher.send("/class plan yoga")[0].text
    assert "class plan: aerobic-base" in teacher.send("/class plan aerobic-base")[0].text
    students = [User(full_dialogue, 60 + i, f"S{i}") for i in range(2)]
    for s in students:
        s.onboard()
        s.send(f"/join {code}")
    students[1].send("RPE 6, 40 min, my knee hurts")
    with full_dialogue.database.session() as s:
        people_ = [s.scalar(select(Person).where(Person.telegram_user_id == 60 + i))
                   for i in range(2)]
        plans = []
        for person in people_:
            assert person is not None
            week = [plan_and_store(s, person, NOW.date() + dt.timedelta(days=i),
                                   full_dialogue.planning) for i in range(7)]
            plan = current_plan(s, person.id)
            assert plan is not None and plan.template == "aerobic-base"
            assert plan.meta["class_plan"] == "10B"
            plans.append(week)
    first = next(p for p in plans[0] if not p.session.is_rest)
    assert any(r.code == "class_plan" for r in first.explanation.rules)
    assert "10B's class plan" in " ".join(first.explanation.sentences)
    hurt_today = plans[1][0]
    assert hurt_today.session != plans[0][0].session, "the student in pain gets another version"
    assert "no class plan" in teacher.send("/class plan off")[0].text


def test_teamchart_tells_a_non_coach_who_may_see_charts(full_dialogue: Dialogue) -> None:
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    [reply] = ana.send("/teamchart")
    assert reply.text.startswith("Only a team's coach or a class's teacher can see its chart")
    assert reply.image is None
    coach, _ = _team(full_dialogue)
    [empty] = coach.send("/teamchart")
    assert empty.text.startswith("Your teams have no athletes yet")
