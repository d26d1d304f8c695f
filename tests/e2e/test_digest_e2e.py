"""The morning digest through real polling: set for the coming minute in the coach's time
zone, it arrives by itself as one photo (the PNG table) with a /status button per athlete,
the button opens the roster privately, and nothing of it reaches the team's group chat."""

from __future__ import annotations

import datetime as dt
import json

from tests.e2e.conftest import Running
from tests.e2e.fake_bot_api import Sent
from tests.e2e.test_role_flows import GROUP, _press, _say, _team


def _buttons(sent: Sent) -> list[tuple[str, str]]:
    markup = sent.params["reply_markup"]
    if isinstance(markup, str | bytes):  # multipart (sendPhoto): the markup is JSON text
        markup = json.loads(markup)
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


async def test_the_scheduled_digest_arrives_with_its_table_and_status_buttons(
    bot: Running,
) -> None:
    api = bot.api
    await _team(api)
    await _say(api, 2, "Ana", "RPE 6, 45 min, my left knee hurts", timeout=60)

    refused = (await _say(api, 1, "Ben", "/digest 25:00"))[0].text
    assert "Say the time like this" in refused
    now = dt.datetime.now(dt.UTC)
    if now.second > 50:  # leave the job a whole minute to be scheduled before it is due
        now += dt.timedelta(seconds=15)
    at = (now + dt.timedelta(minutes=1)).strftime("%H:%M")
    set_to = (await _say(api, 1, "Ben", f"/digest {at} UTC"))[0].text
    assert at in set_to
    to_ben, to_group = len(api.to(1)), len(api.to(GROUP))
    [digest] = await api.reply_to(1, to_ben, timeout=100)
    assert digest.method == "sendPhoto" and digest.data is not None
    assert digest.data.startswith(b"\x89PNG")
    assert "need attention" in digest.text and "pain: left knee" in digest.text
    [(label, data)] = _buttons(digest)
    assert label == "Ana: /status"
    status = (await _press(api, 1, "Ben", data))[0].text
    assert status.startswith("Roster (who needs attention first):\nAna:")
    assert len(api.to(GROUP)) == to_group, "nothing of the digest reaches the group"
