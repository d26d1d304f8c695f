"""Through real long polling: poison elements of a getUpdates batch are quarantined (or, with
no usable id, skipped) and never stop the bot; a file posted in a team chat is not fetched."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.dialogue import texts
from storage import inbox, people
from storage.schema import Activity, ProcessedUpdate
from tests.e2e.conftest import Running

GROUP = -1004242


async def test_poison_updates_in_a_polled_batch_are_quarantined_and_the_bot_goes_on(
    bot: Running,
) -> None:
    api = bot.api
    api.push_raw({"update_id": 9_001, "message": "notadict"})
    api.push_raw({"message": {"text": "no update_id at all"}})
    api.push_raw("just a string")
    api.push_raw({"update_id": 9_002, "callback_query": {"id": "1", "data": {"x": 1}}})
    api._update_ids = iter(range(9_003, 9_100))  # type: ignore[assignment]
    good = api.say(5, "Eve", "/start")
    await bot.handled(good)
    assert "Do you agree?" in api.to(5)[-1].text
    with bot.database.session() as s:
        first = s.get(ProcessedUpdate, 9_001)
        assert first is not None and first.status == "failed"
        assert first.error == "InvalidUpdate: message must be an object"
        assert inbox.status_of(s, 9_002) == "failed"
        assert inbox.counts(s) == {"failed": 2, "done": 1}
    assert api.confirmed > good  # the whole batch, poison included, was confirmed


async def test_a_file_posted_in_a_team_chat_is_not_downloaded_nor_summarised_there(
    bot: Running,
) -> None:
    api = bot.api
    with bot.database.session() as s:
        people.give_consent(s, people.get_or_create_person(s, 7, "Ana"), {})
    gpx = b"<gpx><trk><trkseg></trkseg></trk></gpx>"
    update_id = api.document(7, "Ana", "group_run.gpx", gpx, chat_id=GROUP)
    await bot.handled(update_id)
    assert "getFile" not in api.calls
    assert [m.text for m in api.to(GROUP)] == [texts.PRIVATE_FILE]
    with bot.database.session() as s:
        assert s.scalar(select(func.count()).select_from(Activity)) == 0
