"""SQLite's one writer: reentrant, and a short urgent write goes ahead of those waiting."""

from __future__ import annotations

import threading
import time

from storage.db import WriterLock


def test_an_urgent_writer_goes_ahead_of_the_queue() -> None:
    lock = WriterLock()
    order: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with lock.hold():
            holding.set()
            release.wait(5)

    def waiter(name: str, urgent: bool) -> None:
        with lock.hold(urgent=urgent):
            order.append(name)

    first = threading.Thread(target=holder)
    first.start()
    holding.wait(5)
    queued = [threading.Thread(target=waiter, args=(f"handler{i}", False)) for i in range(3)]
    for thread in queued:
        thread.start()
    time.sleep(0.1)  # the handlers are waiting
    mark = threading.Thread(target=waiter, args=("mark", True))
    mark.start()
    time.sleep(0.1)
    release.set()
    for thread in (first, *queued, mark):
        thread.join(5)
    assert order[0] == "mark" and sorted(order[1:]) == ["handler0", "handler1", "handler2"]


def test_the_writer_is_reentrant_in_its_thread() -> None:
    lock = WriterLock()
    with lock.hold(), lock.hold(urgent=True), lock.hold():
        pass
    done = threading.Event()

    def other() -> None:
        with lock.hold():
            done.set()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(5)
    assert done.is_set()  # released fully after the nested holds
