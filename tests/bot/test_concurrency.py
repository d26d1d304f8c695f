"""Updates of different chats at once; each chat's and each person's strictly in order.

The slow part of a message on the reply path is reading it (NLU), done before the handler's
transaction; planning runs as a background job. The pipeline drains the inbox through
python-telegram-bot's update processor (its bound is ``concurrent_updates``), starting an
update only after the same chat's and the same person's earlier updates finished. A slow
update of athlete A must not delay athlete B; two messages of one athlete are applied in the
order they were sent, even from two chats.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.pipeline import UpdatePipeline, ordering_keys
from bot.telegram_app import build_application, pipeline_for
from bot.update_shape import chat_and_sender
from nlu import NluEngine
from storage import inbox, people
from storage.db import Database
from storage.schema import CheckIn, Person
from tests.bot.fakes import RecordingRequest, Updates

SLOW_SECONDS = 2.5  # long beside a handler on a busy 2-core machine
UNTIL_SECONDS = 60.0  # a reading waiting for another update gives up after this


@contextlib.asynccontextmanager
async def _bot(dialogue: Dialogue, concurrent: int = 8
               ) -> AsyncIterator[tuple[RecordingRequest, UpdatePipeline]]:
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=SecretStr("1:T"),
                                     concurrent_updates=concurrent),
                            dialogue, request=request, rate_limit=False)
    pipeline = pipeline_for(app, retry_delay=0.0)
    async with app:
        yield request, pipeline


class SlowReading:
    """The NLU engine, with texts containing "slow" taking SLOW_SECONDS to read, or, given
    ``until``, as long as it takes ``until`` to hold (at most `UNTIL_SECONDS`): a test then
    orders on what happened, never on how fast a busy machine got there."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.started: list[float] = []  # when each slow reading began
        self.until: Callable[[], bool] | None = None

    def parse(self, text: str) -> Any:
        if "slow" in text:
            self.started.append(time.monotonic())
            if self.until is None:
                time.sleep(SLOW_SECONDS)
            else:
                deadline = time.monotonic() + UNTIL_SECONDS
                while not self.until() and time.monotonic() < deadline:
                    time.sleep(0.01)
        return self.engine.parse(text)


@pytest.fixture
def dialogue(database: Database, nlu_engine: NluEngine) -> Dialogue:
    """The dialogue on SQLite and on PostgreSQL, its reading slowed for "slow" texts."""
    slowed = Dialogue(database, nlu_engine, timezone="UTC")
    slowed.nlu = SlowReading(nlu_engine)
    return slowed


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, float]]]:
    """Every handled text, with when its handler ran (in the order handlers ran)."""
    handled: list[tuple[str, float]] = []
    lock = threading.Lock()
    original = Dialogue._dispatch

    def dispatch(self: Dialogue, turn: Any) -> Any:
        with lock:
            handled.append((turn.inc.text or "", time.monotonic()))
        return original(self, turn)

    monkeypatch.setattr(Dialogue, "_dispatch", dispatch)
    yield handled


def _consent(dialogue: Dialogue, *user_ids: int) -> None:
    with dialogue.database.session() as s:
        for user_id in user_ids:
            people.give_consent(s, people.get_or_create_person(s, user_id, f"U{user_id}"), {})


def _put(dialogue: Dialogue, *updates: dict[str, Any]) -> None:
    def work(s: Any) -> None:
        for update in updates:
            inbox.record_update(s, update["update_id"], json.dumps(update))

    dialogue.database.run(work)


def _in_group(update: dict[str, Any], chat_id: int = -1001) -> dict[str, Any]:
    update["message"]["chat"] = {"id": chat_id, "type": "group", "title": "Team"}
    return update


def test_an_update_orders_against_its_chat_and_its_sender() -> None:
    a = Updates(user_id=1, start_id=1)
    assert chat_and_sender(a.message("hi")) == (1, 1)
    assert chat_and_sender(_in_group(a.message("hi"))) == (-1001, 1)
    assert chat_and_sender(a.press("rpe:5")) == (1, 1)
    assert chat_and_sender("not json") == (None, None)
    assert chat_and_sender({"message": 5}) == (None, None)
    assert chat_and_sender({"message": {"chat": {"id": True}}}) == (None, None)
    assert ordering_keys(-1001, 1) == ("chat:-1001", "user:1")
    assert ordering_keys(None, None) == ()


async def test_a_slow_update_of_one_athlete_does_not_delay_another(
    dialogue: Dialogue, slow: list[tuple[str, float]]
) -> None:
    _consent(dialogue, 1, 2)
    a, b = Updates(user_id=1, start_id=10), Updates(user_id=2, start_id=20)
    _put(dialogue, a.message("slow rpe 6, 40 min"), b.message("rpe 5, 30 min, fine"))
    async with _bot(dialogue) as (request, pipeline):
        # A's reading lasts until B's confirmation went out: were B waiting for A, A would
        # give up after UNTIL_SECONDS and run first, and the orders below would fail
        dialogue.nlu.until = lambda: any(  # type: ignore[attr-defined]
            int(p["chat_id"]) == 2 for p in request.sent("sendMessage"))
        await pipeline.drain()
    order = [text for text, _ in slow]
    # B's handler ran while A's message was still being read: B never waited for A
    assert order == ["rpe 5, 30 min, fine", "slow rpe 6, 40 min"]
    chats = [int(p["chat_id"]) for p in request.sent("sendMessage")
             if str(p["text"]).startswith("Saved")]
    assert chats == [2, 1]  # B's confirmation went out first


async def test_one_athletes_messages_apply_in_order_even_from_two_chats(
    dialogue: Dialogue, slow: list[tuple[str, float]]
) -> None:
    """The first message is slow and said in a group; the second, private, waits for it."""
    _consent(dialogue, 1)
    a = Updates(user_id=1, start_id=30)
    first = _in_group(a.message("slow hello team"))
    _put(dialogue, first, a.message("rpe 7, 60 min"), a.message("rpe 4, 20 min"))
    async with _bot(dialogue) as (_, pipeline):
        await pipeline.drain()
    assert [text for text, _ in slow] == ["slow hello team", "rpe 7, 60 min", "rpe 4, 20 min"]
    with dialogue.database.session() as s:
        rows = s.scalars(select(CheckIn).join(Person).where(Person.telegram_user_id == 1)
                         .order_by(CheckIn.id)).all()
        assert [(r.rpe, r.minutes) for r in rows] == [(7, 60), (4, 20)]


async def test_concurrency_is_bounded_by_the_update_processor(
    dialogue: Dialogue, slow: list[tuple[str, float]]
) -> None:
    """Three slow athletes with a bound of 2: the third starts only when one has finished."""
    _consent(dialogue, 1, 2, 3)
    updates = [Updates(user_id=u, start_id=40 + 10 * u).message(f"slow rpe 5, 30 min {u}")
               for u in (1, 2, 3)]
    _put(dialogue, *updates)
    async with _bot(dialogue, concurrent=2) as (_, pipeline):
        await pipeline.drain()
    began = sorted(dialogue.nlu.started)  # type: ignore[attr-defined]
    assert len(began) == 3 and len(slow) == 3
    # the first two were read together; the third only once a slot was free, which takes at
    # least one whole reading (ordering by the readings, not by how fast a handler commits)
    assert began[1] - began[0] < SLOW_SECONDS / 2, began
    assert began[2] - began[0] >= SLOW_SECONDS, began


async def test_an_update_left_for_a_moment_holds_back_its_chats_later_ones(
    dialogue: Dialogue, slow: list[tuple[str, float]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sender holds a chat's key while it sends a background job's follow-up; an update
    of that chat arriving then is left for a moment. Its chat's next update must not jump
    ahead of it: the two halves of a check-in would be read the wrong way round, and the
    check-in lost without an error (seen in a 2,000-update replay on SQLite)."""
    _consent(dialogue, 1)
    a = Updates(user_id=1, start_id=60)
    _put(dialogue, a.message("legs heavy after intervals, rpe 8"), a.message("45"))
    async with _bot(dialogue) as (request, pipeline):
        keeper = pipeline.sender.keys
        assert keeper.try_hold(("chat:1",))  # a follow-up being sent to athlete 1
        leave = pipeline._leave

        def left(update_id: int) -> str:
            outcome = leave(update_id)
            keeper.release(("chat:1",))  # the follow-up went out just after
            return outcome

        monkeypatch.setattr(pipeline, "_leave", left)
        for _ in range(100):  # as `process_forever` does: drain again after a pause
            await pipeline.drain()
            if not dialogue.database.run(lambda s: inbox.pending(s, limit=1)):
                break
            await asyncio.sleep(0.1)
    assert [text for text, _ in slow] == ["legs heavy after intervals, rpe 8", "45"]
    with dialogue.database.session() as s:
        rows = s.scalars(select(CheckIn).join(Person).where(Person.telegram_user_id == 1)).all()
        assert [(r.rpe, r.minutes) for r in rows] == [(8, 45)]
    assert any(str(p["text"]).startswith("Saved") for p in request.sent("sendMessage"))
