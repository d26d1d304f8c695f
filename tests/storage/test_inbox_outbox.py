"""The inbox and the outbox on SQLite and PostgreSQL: recorded once, attempts counted before
handling, quarantine keeps the payload, settled with the effects or not at all."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from storage import inbox, outbox
from storage.db import Database
from storage.outbox import COPY, REPORT, Outgoing
from storage.schema import OutboxMessage, ProcessedUpdate


def test_a_batch_fetched_twice_is_recorded_once(database: Database) -> None:
    first = database.run(lambda s: inbox.record_batch(s, [(3, "{c}"), (1, "{a}"), (2, "{b}")]))
    again = database.run(lambda s: inbox.record_batch(s, [(2, "{b}"), (3, "{c}"), (4, "{d}")]))
    assert (first, again) == ([1, 2, 3], [4])
    with database.session() as s:
        assert [r.update_id for r in inbox.pending(s)] == [1, 2, 3, 4]
        assert s.get(ProcessedUpdate, 2).payload == "{b}"  # type: ignore[union-attr]


def test_attempts_are_counted_before_handling_and_survive_a_rollback(database: Database) -> None:
    database.run(lambda s: inbox.record_update(s, 10, "{}"))
    assert database.run(lambda s: inbox.begin_attempt(s, 10)) == 1

    def handling_that_fails(s: object) -> None:
        raise RuntimeError("the handler's transaction rolls back")

    with pytest.raises(RuntimeError):
        database.run(handling_that_fails)
    assert database.run(lambda s: inbox.begin_attempt(s, 10)) == 2
    database.run(lambda s: inbox.record_error(s, 10, "RuntimeError at bot.x:y:1" + "z" * 300))
    with database.session() as s:
        row = s.get(ProcessedUpdate, 10)
        assert row is not None and row.status == "received" and len(row.error or "") == 200


def test_quarantine_keeps_the_payload_for_a_retry_and_drop_deletes_it(database: Database) -> None:
    database.run(lambda s: inbox.record_batch(s, [(20, '{"bad": 1}'), (21, "{}")]))
    database.run(lambda s: inbox.quarantine(s, 20, "InvalidUpdate: not an Update"))
    with database.session() as s:
        assert [r.update_id for r in inbox.pending(s)] == [21]
        [failed] = inbox.listing(s, "failed")
        assert (failed.payload, failed.error) == ('{"bad": 1}', "InvalidUpdate: not an Update")
        assert inbox.counts(s) == {"failed": 1, "received": 1}
    database.run(lambda s: inbox.retry(s, 20))
    with database.session() as s:
        assert [r.update_id for r in inbox.pending(s)] == [20, 21]
    with pytest.raises(ValueError, match="not failed"):
        database.run(lambda s: inbox.retry(s, 21))
    database.run(lambda s: inbox.drop(s, 20))
    with database.session() as s:
        row = s.get(ProcessedUpdate, 20)
        assert row is not None and (row.status, row.payload) == ("dropped", None)
    with pytest.raises(ValueError, match="status must be one of"):
        database.run(lambda s: inbox.listing(s, "bogus"))


def test_settle_marks_done_with_the_replies_in_one_transaction(database: Database) -> None:
    database.run(lambda s: inbox.record_update(s, 30, "{}"))

    def settle_then_fail(s: object) -> None:
        outbox.add(s, 30, [Outgoing(5, {"text": "Saved"})])  # type: ignore[arg-type]
        inbox.settle(s, 30)  # type: ignore[arg-type]
        raise RuntimeError("the effects did not commit")

    with pytest.raises(RuntimeError):
        database.run(settle_then_fail)
    with database.session() as s:
        assert inbox.status_of(s, 30) == "received"
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    database.run(lambda s: (outbox.add(s, 30, [Outgoing(5, {"text": "Saved"}),
                                               Outgoing(5, {"text": "Next"})]),
                            inbox.settle(s, 30)))
    with database.session() as s:
        assert inbox.status_of(s, 30) == "done"
        assert s.get(ProcessedUpdate, 30).payload is None  # type: ignore[union-attr]
        assert [r.body["text"] for r in outbox.unsent(s, update_id=30)] == ["Saved", "Next"]
    database.run(lambda s: inbox.settle(s, 31))  # fed without the inbox: recorded done
    with database.session() as s:
        assert inbox.status_of(s, 31) == "done"


def test_outbox_rows_are_marked_and_broadcasts_found_until_finished(database: Database) -> None:
    ids = database.run(lambda s: outbox.add(s, 40, [
        Outgoing(1, {"text": "Sending to 2 students"}, broadcast_id=9),
        Outgoing(2, {"text": ""}, COPY, 9), Outgoing(3, {"text": ""}, COPY, 9),
        Outgoing(1, {}, REPORT, 9)]))
    with database.session() as s:
        assert outbox.broadcasts_open(s) == [9]
        assert len(outbox.unsent(s)) == 1  # replies only, by default
        assert len(outbox.unsent(s, kind=COPY, broadcast_id=9)) == 2
    for row_id, status in zip(ids, ("sent", "sent", "blocked", "sent"), strict=True):
        database.run(lambda s, i=row_id, st=status: outbox.mark(s, i, st, None))
    with database.session() as s:
        assert outbox.broadcasts_open(s) == []
        assert outbox.outcomes(s, 9) == {2: ("sent", None), 3: ("blocked", None)}
        assert all(r.body == {} for r in s.scalars(select(OutboxMessage)))
        assert outbox.prune(s, older_than=dt.timedelta(0)) == 4
