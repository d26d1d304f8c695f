"""The coach's digest, roster, team chart and red alert in the coach's language, through the
real dialogue: a German coach's digest (asked for, and sent by the daily job) and a Chinese
coach's /status, /teamchart and alert carry no English flag sentence or code."""

from __future__ import annotations

import datetime as dt
import warnings

from bot.dialogue import Dialogue
from bot.digest_text import digest_of
from bot.outbox import decode
from bot.services.digest import send_digest, team_day
from storage import outbox, people
from storage.db import Database
from tests.bot_roles.conftest import NOW
from tests.bot_roles.test_languages import Speaker, _team


def _flags_of(database: Database, coach_id: int) -> list[str]:
    """The English sentences of the coach's digest flags (what must not reach a German)."""
    with database.session() as s:
        coach = people.get_by_telegram_id(s, coach_id)
        assert coach is not None
        team = team_day(s, coach, NOW, "UTC")
        assert team is not None
        return [f.message for _p, row in team.rows for f in row.flags]


def test_a_german_coachs_digest_is_german_when_asked_and_when_sent(
        full_dialogue: Dialogue, database: Database) -> None:
    ben = Speaker(full_dialogue, 1201, "Ben", "de")
    ana = Speaker(full_dialogue, 1202, "Ana", None)
    ana.onboard_as("rowing")
    _team(ben, ana, "Einladungscode: ")
    for i in range(20, 1, -1):
        ana.send("RPE 4, 40 min", at=NOW - dt.timedelta(days=i))
    ana.send("RPE 9, 120 min, my left knee hurts", at=NOW - dt.timedelta(days=1))
    english = _flags_of(database, 1201)
    assert "pain: left knee (reported in the last 3 days)" in english

    [digest] = ben.send("/digest now")
    assert digest.text.startswith("☀️ Tigres, Mo., 23. Nov.: Aufmerksamkeit nötig bei 1 von 1.")
    assert "Schmerz: Knie (links) (in den letzten 3 Tagen gemeldet)" in digest.text
    assert not [m for m in english if m in digest.text]
    assert digest.image is not None and digest.image.startswith(b"\x89PNG")

    def job(s: object) -> int:  # the daily job: no turn, the coach's stored language
        coach = people.get_by_telegram_id(s, 1201)  # type: ignore[arg-type]
        assert coach is not None
        return send_digest(s, coach, NOW, "UTC", digest_of)  # type: ignore[arg-type]

    assert database.run(job) == 1
    with database.session() as s:
        [sent] = [decode(dict(r.body)) for r in outbox.loose(s) if r.chat_id == 1201]
    assert sent.text == digest.text


def test_a_chinese_coachs_roster_chart_and_alert_have_no_english_flag(
        full_dialogue: Dialogue) -> None:
    wang = Speaker(full_dialogue, 1301, "Wang", "zh")
    li = Speaker(full_dialogue, 1302, "李明", "zh")
    li.onboard_as("跑步")
    _team(wang, li, "邀请码：")
    start = NOW - dt.timedelta(days=30)
    for i in range(27):
        li.send("RPE 3, 30 min", at=start + dt.timedelta(days=i))
    replies = li.send("RPE 10, 240 min", at=NOW)
    [alert] = [r for r in replies if r.chat_id == 1301]
    assert alert.text.startswith("🔴 李明")
    assert "本周负荷是4周平均的" in alert.text and "This week" not in alert.text

    roster = wang.texts(wang.send("/status"))
    assert roster.startswith("名单（最需要关注的排在前面）：")
    assert "提示：ACWR 骤升" in roster
    assert "acwr_" not in roster and "_high" not in roster

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [chart] = wang.send("/teamchart")
    assert chart.image is not None and chart.image.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from font" in str(w.message)]
