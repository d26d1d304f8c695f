"""Availability, days away and the calendar file through real polling: the limits are kept,
the days away come back as cancelled events of the .ics sent with sendDocument, and the
reason of a day away never reaches the team's group chat."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from tests.e2e.conftest import Running
from tests.e2e.test_role_flows import GROUP, _say, _team


async def test_availability_away_and_calendar_over_telegram(bot: Running) -> None:
    api = bot.api
    await _team(api)

    limits = (await _say(api, 2, "Ana", "/availability mon 30; sat 2x40"))[0].text
    assert "Mon: up to 30 min" in limits and "Sat: 2 x 40 min" in limits
    refused = (await _say(api, 2, "Ana", "/availability mon 30; mon 45"))[0].text
    assert "named twice" in refused and "Nothing changed" in refused

    today = dt.datetime.now(dt.UTC).date()
    first, last = today + dt.timedelta(days=2), today + dt.timedelta(days=3)
    away = (await _say(api, 2, "Ana", f"/away {first}..{last} stomach flu"))[0].text
    assert "stomach flu" in away
    backwards = (await _say(api, 2, "Ana", f"/away {last}..{first}"))[0].text
    assert "runs backwards" in backwards

    [sent] = await _say(api, 2, "Ana", "/calendar", timeout=120)
    assert sent.method == "sendDocument" and sent.data is not None
    events = {e.decoded("DTSTART"): e for e in Calendar.from_ical(sent.data).walk("VEVENT")}
    assert len(events) == 14
    assert str(events[first]["STATUS"]) == "CANCELLED"
    assert str(events[last]["STATUS"]) == "CANCELLED"
    assert any(str(e["STATUS"]) == "CONFIRMED" for e in events.values())

    await _say(api, 1, "Ben", "/status", chat=GROUP, timeout=60)
    assert all("flu" not in m.text for m in api.to(GROUP))
