"""Coach approval at the dialogue level, on SQLite and PostgreSQL: drafts, decisions, undo,
the pain guard, bad input, and a restart in the middle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from bot.dialogue import Dialogue
from bot.dialogue.core import private_only
from bot.dialogue.features import default_features
from bot.outbox import decode
from bot.replies import Reply
from nlu import NluEngine
from storage import outbox
from storage.db import Database
from storage.schema import (
    ApprovalSetting,
    AuditLog,
    Person,
    PlanRevision,
    PrescribedSession,
)
from tests.bot_roles.conftest import NOW, User, code_of

GROUP_CHAT = -100777
DAY = NOW.date()


def _team(dialogue: Dialogue) -> tuple[User, User]:
    ben = User(dialogue, 1, "Ben")
    ben.onboard("M")
    code = code_of(ben.send("/team create Rowing"))
    ana = User(dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    ana.send("/schedule 3 45 mon wed fri")  # NOW is a Monday: a training day, with a dose
    return ben, ana


def _to(database: Database, chat_id: int) -> list[Reply]:
    """Messages no update caused (the drafts), for one chat, taken once."""
    def work(s: object) -> list[Reply]:
        rows = outbox.loose(s, chat_id=chat_id)  # type: ignore[arg-type]
        replies = [decode(dict(r.body)) for r in rows]
        for r in rows:
            outbox.mark(s, r.id, outbox.SENT)  # type: ignore[arg-type]
        return replies
    return database.run(work)


def _data(reply: Reply) -> list[str]:
    return [b.data for row in reply.buttons for b in row]


def _stored(database: Database, day: dt.date = DAY) -> PrescribedSession | None:
    with database.session() as s:
        row = s.scalar(select(PrescribedSession).where(PrescribedSession.day == day,
                                                       PrescribedSession.person_id == _id(s)))
        if row is not None:
            s.expunge(row)
        return row


def _id(s: object, telegram_id: int = 2) -> int:
    found = s.scalar(  # type: ignore[attr-defined]
        select(Person.id).where(Person.telegram_user_id == telegram_id))
    return int(found)


def _audit(database: Database) -> list[tuple[str, int | None]]:
    with database.session() as s:
        return [(a.action, a.actor_id) for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_review_all_holds_the_plan_until_the_coach_approves(full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    assert "Ana: new plans are review all" in ben.texts(ben.send("/approval @ana all"))
    waiting = ana.texts(ana.send("/today"))
    assert "Awaiting your coach's approval" in waiting and _stored(full_dialogue.database) is None
    [draft] = _to(full_dialogue.database, 1)
    assert draft.text.startswith(f"📝 Draft for Ana, {DAY:%a %d %b} (review all): ")
    assert "Why:" in draft.text and "Until you decide Ana sees: nothing yet." in draft.text
    approve, edit, reject = _data(draft)
    assert approve.startswith("appr:") and edit.startswith("apredit:")
    assert reject.startswith("aprrej:")
    assert "⏳ Awaiting your coach" in ana.texts(ana.send("/today"))
    assert _to(full_dialogue.database, 1) == [], "the same plan is not drafted twice"

    # Ana cannot approve her own draft; Ben can, and she is told
    assert "only the athlete's coach" in ana.texts(ana.send(button=approve))
    replies = ben.send(button=approve)
    assert replies[0].text.startswith(f"Approved: Ana on {DAY:%a %d %b} gets ")
    assert replies[1].chat_id == 2 and "Your coach Ben approved your session" in replies[1].text
    stored = _stored(full_dialogue.database)
    assert stored is not None and stored.title in replies[0].text
    assert "Awaiting" not in ana.texts(ana.send("/today"))
    assert "approved already" in ben.texts(ben.send(button=approve))
    ben_id = _id_of(full_dialogue.database, 1)
    trail = _audit(full_dialogue.database)
    assert ("plan_drafted", None) in trail and ("plan_approved", ben_id) in trail


def _id_of(database: Database, telegram_id: int) -> int:
    with database.session() as s:
        return _id(s, telegram_id)


def test_review_changes_holds_a_load_change_beyond_the_threshold_and_reject_keeps_it(
        full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    ana.send("/today")  # auto: stored at once
    first = _stored(full_dialogue.database)
    assert first is not None
    ben.send("/approval team changes 10%")
    # the stored plan was 30 % harder than what the planner now proposes: a -23 % change
    with full_dialogue.database.session() as s, s.begin():
        s.execute(update(PrescribedSession).where(PrescribedSession.id == first.id)
                  .values(intensity_factor=first.intensity_factor * 1.3))
    shown = ana.texts(ana.send("/today"))
    assert "⏳ Awaiting your coach" in shown
    [draft] = _to(full_dialogue.database, 1)
    assert "(review changes (±10% load)): load -23% (beyond ±10%)" in draft.text
    reject = _data(draft)[2]
    replies = ben.send(button=reject)
    assert replies[0].text == f"Rejected: Ana keeps the previous plan of {DAY:%a %d %b}."
    assert "Your coach Ben kept your session" in replies[1].text
    again = ana.texts(ana.send("/today"))
    assert "Awaiting" not in again and _to(full_dialogue.database, 1) == []
    stored = _stored(full_dialogue.database)
    assert stored is not None and abs(stored.intensity_factor - first.intensity_factor * 1.3) < 1e-6


def test_edit_sets_the_dose_as_an_override_and_approve_all_clears_a_team(
        full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    ben.send("/approval team all")
    ana.send("/today")
    [draft] = _to(full_dialogue.database, 1)
    choices = ben.send(button=_data(draft)[1])
    assert _data(choices[0])[-1].endswith(":0")  # rest is one of the doses
    replies = ben.send(button=_data(choices[0])[1])  # 80 %
    assert replies[0].text == f"Edited: Ana on {DAY:%a %d %b} gets 80% of the planned intensity."
    assert "set to 80% of the planned intensity" in replies[1].text
    stored = _stored(full_dialogue.database)
    assert stored is not None and "coach_override" in stored.reason_codes

    tomorrow = DAY + dt.timedelta(days=1)
    ana.send("/week")  # a week planned: each new day is a draft
    drafts = ben.send("/drafts")
    assert any(_data(r) and _data(r)[0].startswith("aprall:") for r in drafts)
    approve_all = next(_data(r)[0] for r in drafts
                       if _data(r) and _data(r)[0].startswith("aprall:"))
    done = ben.send(button=approve_all)
    assert done[0].text.startswith("Approved ") and "for Rowing" in done[0].text
    assert all(r.chat_id == 2 for r in done[1:]) and len(done) > 2
    assert _stored(full_dialogue.database, tomorrow) is not None
    assert ben.texts(ben.send("/drafts")).startswith("No drafts waiting")


def test_pain_guard_applies_at_once_and_is_shown_to_the_coach(full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    ben.send("/approval @ana all")
    ana.send("RPE 5, 30 min, my knee hurts")
    tomorrow = DAY + dt.timedelta(days=1)
    stored = _stored(full_dialogue.database, tomorrow)
    assert stored is not None and "pain_guard" in stored.reason_codes
    notes = [r.text for r in _to(full_dialogue.database, 1)]
    assert any(t.startswith(f"🩹 Pain guard applied for Ana on {tomorrow:%a %d %b}, at once")
               for t in notes), notes
    with full_dialogue.database.session() as s:
        pending = s.scalars(select(PlanRevision).where(PlanRevision.day == tomorrow,
                                                       PlanRevision.status == "pending")).all()
    assert pending == []
    assert "pain guard holds" in ben.texts(ben.send(f"/undo @ana {tomorrow.isoformat()}"))


def test_undo_restores_the_previous_plan_and_it_holds(full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    ana.send("/today")
    first = _stored(full_dialogue.database)
    assert first is not None
    assert "no earlier plan" in ana.texts(ana.send("/undo"))
    ben.send("/override @ana 50% today")
    ana.send("/today")
    changed = _stored(full_dialogue.database)
    assert changed is not None and changed.intensity_factor == 0.5
    assert ana.texts(ana.send("/undo today")).startswith(f"Back to your earlier plan of "
                                                         f"{DAY:%a %d %b}.")
    ana.send("/today")  # the planner would apply the override again: the restored plan holds
    held = _stored(full_dialogue.database)
    assert held is not None and held.intensity_factor == first.intensity_factor
    # in review, only the coach undoes; the coach's undo tells the athlete
    ben.send("/approval @ana changes")
    assert "ask them to undo" in ana.texts(ana.send("/undo"))
    replies = ben.send("/undo @ana")
    assert replies[0].text.startswith("Restored: Ana's earlier plan")
    assert replies[1].chat_id == 2 and "restored the earlier version" in replies[1].text
    actions = [a for a, _ in _audit(full_dialogue.database)]
    assert actions.count("plan_restored") == 2


def test_bad_input_is_refused_with_the_form_and_changes_nothing(full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    for command, expected in (("/approval @ana sometimes", "say the mode: /approval @athlete"),
                              ("/approval @ana changes 80%", "the threshold is 1%-50%"),
                              ("/approval @ana all 10%", "say the mode"),
                              ("/approval @zed all", "@zed is not in your team"),
                              ("/approval team quickly", "say the mode")):
        assert expected in ben.texts(ben.send(command)), command
    assert "Only a team's coach" in ana.texts(ana.send("/approval @ana all"))
    for command, expected in (("/undo 2026-13-01", "is not a day: /undo [today"),
                              ("/undo 2027-01-01", "yesterday to two weeks ahead"),
                              ("/undo today tomorrow", "one day at most"),
                              ("/undo @zed", "@zed is not in your team")):
        assert expected in ana.texts(ana.send(command)), command
    assert "Send /drafts alone" in ben.texts(ben.send("/drafts now"))
    assert ben.texts(ben.send("/approval team all", chat=GROUP_CHAT)) == private_only(
        full_dialogue.features)
    assert "not one of mine" in ben.texts(ben.send(button="appr:x"))
    with full_dialogue.database.session() as s:
        assert s.scalars(select(ApprovalSetting)).all() == []
        assert s.scalars(select(PlanRevision)).all() == []


def test_a_draft_survives_a_restart(full_dialogue: Dialogue, nlu_engine: NluEngine) -> None:
    ben, ana = _team(full_dialogue)
    ben.send("/approval @ana all")
    ana.send("/today")
    [draft] = _to(full_dialogue.database, 1)
    url = full_dialogue.database.url
    full_dialogue.database.dispose()

    reopened = Database(url)  # a new process: nothing kept in memory
    try:
        dialogue = Dialogue(reopened, nlu_engine, timezone="UTC", features=default_features())
        ana2, ben2 = User(dialogue, 2, "Ana"), User(dialogue, 1, "Ben")
        assert "Awaiting your coach" in ana2.texts(ana2.send("/today"))
        assert ben2.send("/drafts")[0].text == draft.text
        assert ben2.send(button=_data(draft)[0])[0].text.startswith("Approved: Ana")
        assert "Awaiting" not in ana2.texts(ana2.send("/today"))
    finally:
        reopened.dispose()
