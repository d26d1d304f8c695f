"""Every handler, triggered from a team's group chat: nothing personal is posted there.

The commands and button kinds are enumerated from the dialogue itself (its core and every
feature's declarations), so a command added later is covered without anyone remembering to
list it. Each is sent by an athlete with stored health data and by the team's coach, with and
without arguments; so are a wearable file, a reply to the bot and an edit. A reply that stays
in the group may carry only team business: never a picture or a file, never the athlete's
free text, pain, check-in numbers or session.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from bot.dialogue import Dialogue, texts
from bot.dialogue.core import private_only
from bot.dialogue.features import default_features
from bot.replies import Incoming, Reply, Upload
from storage.schema import Activity, CheckIn
from tests.bot_roles.conftest import NOW, User, code_of

GROUP_CHAT = -100777
# what Ana's check-in and plan say: none of it may appear in the group
PERSONAL = ("knee", "legs heavy", "rpe 6", "50 min", "load 300", "pain", "said:", "next:",
            "warm-up", "sets", "acwr")
GPX = b"""<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">
<trk><trkseg><trkpt lat="46.0" lon="14.5"><time>2026-11-23T07:00:00Z</time></trkpt>
<trkpt lat="46.01" lon="14.5"><time>2026-11-23T07:10:00Z</time></trkpt></trkseg></trk></gpx>"""


def _commands(dialogue: Dialogue) -> list[str]:
    return sorted({name for feature in dialogue.features for name in feature.commands})


def _buttons(dialogue: Dialogue) -> list[str]:
    return sorted({kind for feature in dialogue.features for kind in feature.buttons})


def _in_group(reply: Reply) -> bool:
    return reply.chat_id is None or reply.chat_id == GROUP_CHAT


def _leaks(reply: Reply) -> list[str]:
    if reply.image is not None or reply.document is not None:
        return ["a picture or a file"]
    text = reply.text.lower()
    return [word for word in PERSONAL if word in text]


def _group_incoming(user: User, **fields: object) -> Incoming:
    User.counter += 1
    base: dict[str, object] = {
        "user_id": user.user_id, "chat_id": GROUP_CHAT, "display_name": user.name,
        "username": user.name.lower(), "received_at": NOW, "chat_type": "supergroup",
        "update_id": User.counter, "sender_is_admin": False,
    }
    base.update(fields)
    return Incoming(**base)  # type: ignore[arg-type]


def test_nothing_personal_is_posted_in_a_group_by_any_handler(full_dialogue: Dialogue) -> None:
    dialogue = full_dialogue
    assert dialogue.features  # the full product, not the bare core
    coach = User(dialogue, 1, "Ben")
    coach.onboard("M")
    code = code_of(coach.send("/team create Rowing U18"))
    coach.send(f"/team link {code}", chat=GROUP_CHAT, admin=True)
    ana = User(dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    for day in range(3):
        ana.send("RPE 6, 50 min, my knee hurts a bit, legs heavy",
                 at=NOW - dt.timedelta(days=day))
    with dialogue.database.session() as s:
        before = s.scalar(select(func.count()).select_from(CheckIn))

    leaks: list[str] = []

    def check(label: str, replies: list[Reply]) -> None:
        for reply in replies:
            if _in_group(reply) and (found := _leaks(reply)):
                leaks.append(f"{label}: {found} in {reply.text[:80]!r}")

    args = ("", " @ana", " 7", " create X", f" link {code}", " off", " @ana 70% tomorrow")
    for name in _commands(dialogue):
        for who in (ana, coach):
            for arg in args:
                check(f"{who.name} /{name}{arg}", who.send(f"/{name}{arg}", chat=GROUP_CHAT))
    for kind in _buttons(dialogue):
        for value in ("yes", "1", "1:done", "load", code, "fatigue:3"):
            check(f"button {kind}:{value}", ana.send(button=f"{kind}:{value}", chat=GROUP_CHAT))
    upload = Upload("group_run.gpx", GPX, "application/gpx+xml")
    file_replies = dialogue.handle(_group_incoming(ana, upload=upload))
    assert [r.text for r in file_replies] == [texts.PRIVATE_FILE]
    answered = dialogue.handle(_group_incoming(
        ana, text="RPE 8, 70 min, knee pain again", reply_to_bot=True, message_id=9))
    assert [r.text for r in answered] == [private_only(dialogue.features)]
    edited = dialogue.handle(_group_incoming(ana, text="RPE 9, knee pain", edited=True,
                                             message_id=9))
    assert edited == []
    check("file", file_replies)
    check("reply to the bot", answered)

    assert not leaks, "\n".join(leaks)
    with dialogue.database.session() as s:  # and nothing was stored from the group either
        assert s.scalar(select(func.count()).select_from(CheckIn)) == before
        assert s.scalar(select(func.count()).select_from(Activity)) == 0


def test_every_command_is_declared_so_the_group_check_covers_it(nlu_engine: object) -> None:
    """Every command the dialogue answers is declared by a feature (the test enumerates them);
    two features may declare one name only where one refines the other (/start, /help)."""
    from storage.db import Database

    dialogue = Dialogue(Database("sqlite://"), nlu_engine,  # type: ignore[arg-type]
                        features=default_features())
    seen: dict[str, int] = {}
    for feature in dialogue.features:
        for name in feature.commands:
            seen[name] = seen.get(name, 0) + 1
    assert {n for n, count in seen.items() if count > 1} <= {"start", "help"}
    assert {"status", "export", "history", "broadcast", "teamchart", "checkin", "today",
            "why", "cancel", "start", "help"} <= set(seen)
