"""Coach approval through real polling: the draft reaches the coach's private chat with its
buttons, the approve button makes it the athlete's plan, and the athlete is told."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from storage.schema import AuditLog, PlanRevision, PrescribedSession
from tests.e2e.conftest import Running
from tests.e2e.test_role_flows import GROUP, _buttons, _press, _say, _team


async def test_a_draft_is_approved_with_its_button(bot: Running) -> None:
    api = bot.api
    await _team(api)
    set_to = (await _say(api, 1, "Ben", "/approval @ana all"))[0].text
    assert set_to.startswith("Ana: new plans are review all.")

    to_ben, to_group = len(api.to(1)), len(api.to(GROUP))
    shown = (await _say(api, 2, "Ana", "/today", timeout=90))[0].text
    assert "Awaiting your coach's approval" in shown
    [draft] = await api.reply_to(1, to_ben)  # the draft, sent from the outbox
    today = dt.datetime.now(dt.UTC).date()
    assert draft.text.startswith(f"📝 Draft for Ana, {today:%a %d %b} (review all): ")
    approve, edit, reject = _buttons(draft)
    assert (approve.split(":")[0], edit.split(":")[0], reject.split(":")[0]) == (
        "appr", "apredit", "aprrej")
    assert len(api.to(GROUP)) == to_group, "nothing of a draft reaches the group"

    to_ana = len(api.to(2))
    approved = (await _press(api, 1, "Ben", approve))[0].text
    assert approved.startswith(f"Approved: Ana on {today:%a %d %b} gets ")
    told = (await api.reply_to(2, to_ana))[0].text
    assert told.startswith(f"Your coach Ben approved your session on "
                           f"{today:%a %d %b}.")
    assert "Awaiting" not in (await _say(api, 2, "Ana", "/today"))[0].text
    with bot.database.session() as s:
        [row] = s.scalars(select(PlanRevision).where(PlanRevision.status != "replaced")).all()
        assert row.status == "approved" and row.decided_by is not None
        stored = s.scalar(select(PrescribedSession).where(PrescribedSession.day == today))
        assert stored is not None and stored.title == row.session["title"]
        actions = [a.action for a in s.scalars(select(AuditLog))]
        assert "plan_drafted" in actions and "plan_approved" in actions
