"""Who may see what (bot.services.access), and erasure that leaves no row of the person."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dialogue import Dialogue
from bot.services.access import WHAT, can_view
from storage import groups, people, privacy
from storage.db import Database
from storage.schema import Base, Person
from tests.bot_roles.conftest import NOW, User, code_of
from tests.bot_roles.test_roles import training_day_done

SHARED = {"readiness"}  # the athlete's default team visibility


def _people(s: Session) -> dict[str, Person]:
    def make(tid: int, name: str) -> Person:
        p = people.get_or_create_person(s, tid, name)
        people.give_consent(s, p, {"health_data": True})
        return p

    cast = {n: make(i, n) for i, n in enumerate(
        ["athlete", "teammate", "coach", "other_coach", "teacher", "stranger"], 1)}
    team = groups.create_group(s, cast["coach"], "team", "A")
    other = groups.create_group(s, cast["other_coach"], "team", "B")
    klass = groups.create_group(s, cast["teacher"], "class", "10B")
    groups.join(s, cast["athlete"], team)
    groups.join(s, cast["teammate"], team)
    groups.join(s, cast["athlete"], klass)
    groups.join(s, cast["stranger"], other)
    return cast


EXPECTED_PRIVATE = {
    "athlete": set(WHAT),
    "teammate": SHARED,
    "coach": set(WHAT),
    "other_coach": set(),
    "teacher": set(WHAT),
    "stranger": set(),
}


@pytest.mark.parametrize("viewer", list(EXPECTED_PRIVATE))
def test_access_matrix(database: Database, viewer: str) -> None:
    with database.session() as s:
        cast = _people(s)
        subject = cast["athlete"]
        seen = {w for w in WHAT if can_view(s, cast[viewer], subject, w)}
        assert seen == EXPECTED_PRIVATE[viewer]
        in_group = {w for w in WHAT if can_view(s, cast[viewer], subject, w, audience="group")}
        expected_group = SHARED if viewer in ("athlete", "teammate", "coach", "teacher") else set()
        assert in_group == expected_group, "a group chat never gets free text or pain"


def test_privacy_choice_widens_the_group_view_but_never_to_pain(database: Database) -> None:
    from bot.services.access import set_visibility

    with database.session() as s:
        cast = _people(s)
        set_visibility(cast["athlete"], "load", True)
        with pytest.raises(ValueError):
            set_visibility(cast["athlete"], "pain", True)
        seen = {w for w in WHAT if can_view(s, cast["teammate"], cast["athlete"], w)}
        assert seen == {"readiness", "load"}


def test_nobody_without_consent_sees_anything(database: Database) -> None:
    with database.session() as s:
        cast = _people(s)
        cast["coach"].consent_at = None
        assert not any(can_view(s, cast["coach"], cast["athlete"], w) for w in WHAT)
        assert not any(can_view(s, None, cast["athlete"], w) for w in WHAT)


def _values(s: Session) -> list[tuple[str, str, object]]:
    out = []
    for table in Base.metadata.sorted_tables:
        for row in s.execute(select(table)).mappings():
            out += [(table.name, k, v) for k, v in row.items()]
    return out


def test_forget_erases_every_row_and_reference(full_dialogue: Dialogue) -> None:
    coach = User(full_dialogue, 1, "Ben")
    coach.onboard("M")
    code = code_of(coach.send("/team create Rowing"))
    coach.send(f"/team link {code}", chat=-100, admin=True)
    ana = User(full_dialogue, 777001, "Zelda")
    ana.onboard()
    ana.send(f"/join {code}")
    ana.send("RPE 7, 60 min, knee hurts, zorblax feeling")
    ana.send("/test pull_ups 9")
    at, replies = training_day_done(ana)
    ana.send(button=replies[1].buttons[0][0].data, at=at)
    ana.send("/reminders 07:00")
    coach.send("/override @zelda rest tomorrow zorblax note")
    coach.send("/status", chat=-100)
    with full_dialogue.database.session() as s:
        ana_id = s.scalar(select(Person.id).where(Person.telegram_user_id == 777001))
    # a forged confirmation (no nonce of this chat) erases nothing
    assert "expired" in ana.send(button="forget:yes:deadbeef")[0].text
    question = ana.send("/forget")[0]
    yes = question.buttons[0][0].data
    assert "erased" in ana.send(button=yes)[0].text
    with full_dialogue.database.session() as s:
        for table, column, value in _values(s):
            if column.endswith("person_id") or column in ("coach_id", "actor_id", "subject_id",
                                                          "sender_id"):
                assert value != ana_id, f"{table}.{column} still points at the person"
            assert value != 777001, f"{table}.{column} holds the Telegram id"
            if isinstance(value, str):
                assert "zorblax" not in value and "Zelda" not in value, f"{table}.{column}"
            if isinstance(value, str) and column == "chat_key":
                assert not value.endswith(":777001")
        assert s.scalar(select(Person).where(Person.telegram_user_id == 1)) is not None
    assert "/start" in ana.send("/today", at=NOW)[0].text


def test_erase_unknown_person_is_a_no_op(database: Database) -> None:
    with database.session() as s:
        assert privacy.erase_person(s, 12345) == 0


@pytest.mark.parametrize("viewer", list(EXPECTED_PRIVATE))
def test_roster_and_overrides_check_the_viewer_in_the_service(database: Database,
                                                              viewer: str) -> None:
    """The roster service itself refuses anyone but the athlete's staff (not only handlers)."""
    import datetime as dt

    from bot.services import roster
    from bot.services.access import AccessDenied, require_staff
    with database.session() as s:
        cast = _people(s)
        athlete, who = cast["athlete"], cast[viewer]
        team = next(g for g in groups.groups_of(s, cast["coach"].id) if g.kind == "team")
        staff = viewer in ("coach", "teacher")
        if staff:
            status = roster.athlete_status(s, athlete, NOW.date(), viewer=who)
            assert status.person_id == athlete.id
            require_staff(s, who, athlete)
        else:
            with pytest.raises(AccessDenied):
                roster.athlete_status(s, athlete, NOW.date(), viewer=who)
            with pytest.raises(AccessDenied):
                require_staff(s, who, athlete)
        if viewer == "coach":
            rows = roster.team_status(s, team.id, dt.datetime.now(dt.UTC), "UTC",
                                      viewer=who)
            assert {p.id for p, _ in rows} == {athlete.id, cast["teammate"].id}
        else:
            with pytest.raises(AccessDenied):
                roster.team_status(s, team.id, dt.datetime.now(dt.UTC), "UTC",
                                   viewer=who)
