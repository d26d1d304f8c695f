"""The morning digest: who needs attention first, each flag with its rule and baseline."""

from __future__ import annotations

import datetime as dt

from bot.digest_text import digest_text, table_rows
from planner.digest import AthleteDay, digest_rows

TODAY = dt.date(2026, 12, 3)


def _steady(key: int, name: str, last_load: float = 300.0, worse: bool = False,
            **kw: object) -> AthleteDay:
    days = [TODAY - dt.timedelta(days=i) for i in range(40, 0, -1)]
    sessions = [(d, 300.0) for d in days if d.isoweekday() in (1, 3, 5)]
    sessions[-1] = (sessions[-1][0], last_load)
    wellness = [(d, {"sleep_quality": 3 + (d.day % 2), "stress": 3, "fatigue": 3 + (d.day % 3 == 0),
                     "soreness": 3}) for d in days]
    if worse:
        wellness[-1] = (days[-1], {"sleep_quality": 6, "stress": 6, "fatigue": 6, "soreness": 6})
    return AthleteDay(key=key, name=name, sessions=sessions, wellness=wellness,
                      checkin_days=days, **kw)  # type: ignore[arg-type]


def test_the_athletes_who_need_attention_come_first_with_their_rules() -> None:
    rows = digest_rows([_steady(1, "Ana"), _steady(2, "Ben", worse=True),
                        _steady(3, "Cleo", pain_sites=("left_knee",)),
                        _steady(4, "Dev", last_load=1500.0)], TODAY)
    assert [r.name for r in rows][-1] == "Ana" and rows[-1].level == "green"
    ben = next(r for r in rows if r.name == "Ben")
    assert ben.level == "red" and any("worse than this athlete's last 28 days" in f.message
                                      for f in ben.flags)
    cleo = next(r for r in rows if r.name == "Cleo")
    assert [f.message for f in cleo.flags] == ["pain: left knee (reported in the last 3 days)"]
    dev = next(r for r in rows if r.name == "Dev")
    assert any(f.code == "load_spike" and "SD above this athlete's last 28 days" in f.message
               for f in dev.flags)
    assert rows.index(ben) < rows.index(cleo)


def test_no_checkin_and_no_wearable_when_the_athlete_usually_syncs() -> None:
    quiet = _steady(1, "Ana")
    quiet = AthleteDay(quiet.key, quiet.name, quiet.sessions, quiet.wellness,
                       checkin_days=[d for d in quiet.checkin_days if (TODAY - d).days > 3],
                       file_days=[TODAY - dt.timedelta(days=i) for i in range(4, 20)])
    [row] = digest_rows([quiet], TODAY)
    codes = {f.code: f.message for f in row.flags}
    assert codes["no_checkin"].startswith("no check-in for 4 days")
    assert "usually syncs: 16 of the last 28 days" in codes["no_wearable"]
    assert row.no_checkin_days == 4


def test_the_text_and_the_table_list_every_athlete() -> None:
    rows = digest_rows([_steady(1, "Ana"), _steady(2, "Ben", worse=True)], TODAY)
    text = digest_text(rows, TODAY, "Rowing")
    assert text.startswith("☀️ Rowing, Thu 03 Dec: 1 of 2 need attention.\nWho needs attention:")
    assert "No flag: Ana" in text
    assert [cells[0] for cells in table_rows(rows)] == ["Ben", "Ana"]


def test_days_away_are_not_silence_and_an_athlete_away_is_not_flagged() -> None:
    quiet = _steady(1, "Ana")
    checkins = [d for d in quiet.checkin_days if (TODAY - d).days > 3]  # last: 4 days ago
    files = [TODAY - dt.timedelta(days=i) for i in range(4, 20)]
    away = frozenset(TODAY - dt.timedelta(days=i) for i in range(0, 3))  # away since 2 days
    [now_away] = digest_rows([AthleteDay(1, "Ana", quiet.sessions, quiet.wellness,
                                         checkin_days=checkins, file_days=files,
                                         away_days=away, away_until=TODAY)], TODAY)
    assert [f.code for f in now_away.flags] == ["away"] and now_away.level == "green"
    assert now_away.away and now_away.no_checkin_days == 1
    assert "away until Thu 03 Dec" in digest_text([now_away], TODAY, "Rowing")
    # back today after two days away: only the days here count towards the gap
    back = frozenset(TODAY - dt.timedelta(days=i) for i in (1, 2))
    [row] = digest_rows([AthleteDay(1, "Ana", quiet.sessions, quiet.wellness,
                                    checkin_days=checkins, file_days=files, away_days=back)],
                        TODAY)
    assert row.no_checkin_days == 2 and row.last_checkin == TODAY - dt.timedelta(days=4)
    assert "no check-in for 2 days" in {f.code: f.message for f in row.flags}["no_checkin"]
    assert "no_wearable" not in {f.code for f in row.flags}  # no file expected while away
