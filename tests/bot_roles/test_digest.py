"""/digest, the digest's claim and nudges, and planned vs done on the roster and /history, at
the dialogue level on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.dialogue import Dialogue
from bot.dialogue.core import private_only
from bot.digest_text import digest_of
from bot.outbox import decode
from bot.services.digest import send_digest
from storage import outbox, people
from storage.db import Database
from storage.schema import DailyClaim, Person
from tests.bot_roles.conftest import NOW, User, code_of

GROUP_CHAT = -100778


def _team(dialogue: Dialogue) -> tuple[User, User]:
    ben = User(dialogue, 1, "Ben")
    ben.onboard("M")
    code = code_of(ben.send("/team create Rowing"))
    ana = User(dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    return ben, ana


def _coach(database: Database) -> tuple[str | None, str]:
    with database.session() as s:
        ben = people.get_by_telegram_id(s, 1)
        assert ben is not None
        return ben.digest_time, ben.timezone


def test_digest_time_in_the_coachs_zone_and_bad_times_refused(full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    for bad in ("/digest 25:00", "/digest 7.30", "/digest 07:30 Mars/Olympus",
                "/digest 07:30 Europe/Rome extra", "/digest soon"):
        text = ben.texts(ben.send(bad))
        assert "/digest 07:30 [Area/City] (24-hour clock)" in text, bad
    assert _coach(full_dialogue.database) == (None, "UTC")
    assert "Only a team's coach" in ana.texts(ana.send("/digest 07:30"))
    set_to = ben.send("/digest 7:30 Europe/Rome")
    assert set_to[0].text.startswith("Your digest comes every day at 07:30 (Europe/Rome)")
    assert set_to[0].meta == {"digest": "07:30 Europe/Rome"}
    assert _coach(full_dialogue.database) == ("07:30", "Europe/Rome")
    assert ben.send("/digest", chat=GROUP_CHAT)[0].text == private_only(full_dialogue.features)
    assert ben.send("/digest off")[0].meta == {"digest": "off"}
    assert _coach(full_dialogue.database)[0] is None


def test_digest_now_ranks_flags_and_its_buttons_open_status(full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    for i in range(20, 0, -1):
        ana.send("RPE 4, 40 min", at=NOW - dt.timedelta(days=i))
    ana.send("RPE 9, 120 min, my left knee hurts", at=NOW - dt.timedelta(days=1))
    [digest] = ben.send("/digest now")
    assert digest.text.startswith(f"☀️ Rowing, {NOW:%a %d %b}: 1 of 1 need attention.")
    assert "pain: left knee" in digest.text and "last 28 days" in digest.text
    assert digest.image is not None and digest.image.startswith(b"\x89PNG")
    [[button]] = digest.buttons
    assert button.label == "Ana: /status" and button.data.startswith("dgst:")
    status = ben.texts(ben.send(button=button.data))
    assert status.startswith("Roster (who needs attention first):\nAna:")
    assert "That button is not one of mine." in ben.texts(ben.send(button="dgst:x"))


def test_the_digest_is_claimed_once_a_day_and_a_silent_athlete_nudged_once(
        full_dialogue: Dialogue) -> None:
    _ben, ana = _team(full_dialogue)
    ana.send("RPE 5, 45 min", at=NOW - dt.timedelta(days=4))
    database = full_dialogue.database

    def send(at: dt.datetime) -> int:
        def work(s: object) -> int:
            coach = people.get_by_telegram_id(s, 1)  # type: ignore[arg-type]
            assert coach is not None
            return send_digest(s, coach, at, "UTC", digest_of)  # type: ignore[arg-type]
        return database.run(work)

    assert send(NOW) == 2  # the digest and Ana's nudge
    assert send(NOW) == 0  # claimed: another process, or a restart, sends nothing
    assert send(NOW + dt.timedelta(days=1)) == 1  # the next day: the digest, no second nudge
    with database.session() as s:
        rows = outbox.loose(s)
        to = [(r.chat_id, decode(dict(r.body)).text) for r in rows]
        kinds = sorted(c.kind for c in s.scalars(select(DailyClaim)))
    assert [chat for chat, _ in to] == [1, 2, 1]
    assert to[1][1].startswith("Hi Ana, I haven't had a check-in from you for 4 days.")
    assert kinds == ["digest", "digest", "nudge"]


def test_roster_and_history_show_planned_vs_done(full_dialogue: Dialogue) -> None:
    ben, ana = _team(full_dialogue)
    ana.send("/schedule 3 45 mon wed fri")
    monday = NOW - dt.timedelta(days=7)
    ana.send("/today", at=monday)  # a planned Monday, then reported at twice its minutes
    with full_dialogue.database.session() as s:
        ana_row = s.scalar(select(Person).where(Person.telegram_user_id == 2))
        assert ana_row is not None
    ana.send("RPE 6, 200 min", at=monday + dt.timedelta(hours=2))
    history = ana.send("/history")
    assert history[-1].text.startswith("Planned vs done (compliance 50% over these days):")
    assert f"{monday:%a %d %b}: planned" in history[-1].text
    assert "done 200 min, 1200 AU -> overdone" in history[-1].text
    assert "compliance 50%/7d" in ben.texts(ben.send("/status"))
