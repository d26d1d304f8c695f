"""Fixtures of the sync tests: a fake provider on a local port, a consenting athlete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sync import SyncConfig, budgets
from tests.sync.fake_intervals import FakeIntervals
from tests.sync.fake_server import serving


@pytest.fixture(autouse=True)
def fresh_budgets() -> Iterator[None]:
    """Each test starts with the providers' budgets untouched (they are per process)."""
    budgets._BUDGETS.clear()
    yield
    budgets._BUDGETS.clear()


@pytest.fixture()
def fake_intervals() -> Iterator[FakeIntervals]:
    with serving(FakeIntervals()) as fake:
        yield fake


@pytest.fixture()
def sync_config(fake_intervals: FakeIntervals) -> SyncConfig:
    """The real clients, pointed at the fakes by configuration only."""
    return SyncConfig(intervals_url=fake_intervals.base_url, timeout_s=5, max_wait_s=1.5)
