"""Fetch -> match -> store for one connection: the providers' import loops.

Order and resumption: items are taken oldest first and each is stored in a transaction of
its own (`bot.sync.store`), so an import stopped by a rate limit or a fault resumes from the
last stored item; an item seen before (`storage.connections.seen`) is skipped, so a re-sync
changes nothing. Network calls never run inside a transaction (on SQLite the write lock
would wait for the provider). Every provider fault ends the import with words on the
connection (/sync shows them); what was stored before it stays stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.sync import intervals
from bot.sync.budgets import budget_for
from bot.sync.config import SyncConfig
from bot.sync.oura import OuraClient
from bot.sync.records import Wellness
from bot.sync.revocation import WITHDRAWN, deauthorize_strava
from bot.sync.store import (
    Link,
    Progress,
    SyncReport,
    count,
    item_seen,
    read_link,
    store_days,
    store_file,
    store_summary,
    streams_row,
    summary_row,
    window,
)
from bot.sync.strava import StravaClient, StravaOAuth, fresh_tokens
from bot.sync.transport import SyncError
from storage import connections
from storage.db import Database
from storage.readers import DaySummary
from storage.schema import Connection

log = logging.getLogger(__name__)


def _intervals(
    database: Database,
    config: SyncConfig,
    link: Link,
    oldest: dt.date,
    today: dt.date,
    report: SyncReport,
    progress: Progress | None,
    max_bytes: int,
) -> None:
    """intervals.icu: activities oldest first (file, else streams, else summary), then the
    days' wellness."""
    athlete = link.external_athlete_id or "0"
    client = intervals.IntervalsClient(
        config.intervals_url,
        athlete,
        str(link.credentials.get("api_key", "")),
        timeout_s=config.timeout_s,
        max_wait_s=config.max_wait_s,
        budget=budget_for("intervals", config),
    )
    try:
        found = list(client.activities(oldest, today + dt.timedelta(days=1)))
        for number, summary in enumerate(found, start=1):
            if item_seen(database, link.person_id, "intervals", summary.external_id):
                report.already += 1
            else:
                data = client.activity_file(summary.external_id)
                outcome = None
                if data is not None:
                    outcome = store_file(
                        database,
                        link,
                        "intervals",
                        summary.external_id,
                        f"intervals-{summary.external_id}.fit",
                        data,
                        max_bytes,
                        summary.start,
                    )
                if outcome is None:  # no usable file: the recording's streams, else the summary
                    series = client.streams(summary.external_id)
                    row = streams_row(link, "intervals", summary, series) if series else None
                    row = row or summary_row(link, "intervals", summary)
                    outcome = store_summary(database, link, row)
                count(report, outcome)
            if progress is not None:
                progress(number, len(found))
        wellness = client.wellness(oldest, today)
        report.days += _store_wellness(database, link, "intervals", wellness)
    finally:
        client.close()


def _strava_tokens(database: Database, config: SyncConfig, link: Link) -> str:
    """A working access token: the code exchanged (first import) or refreshed near expiry,
    the new tokens stored before any activity is asked for."""
    credentials = dict(link.credentials)
    oauth = StravaOAuth(config)
    try:
        code = credentials.get("code")
        if isinstance(code, str):  # a new authorisation (a first or a repeated /connect)
            tokens: dict[str, object] | None = oauth.exchange(code)
        elif "access_token" not in credentials:
            raise SyncError("Strava has not sent a code yet: finish /connect strava")
        else:
            tokens = fresh_tokens(oauth, credentials)
    finally:
        oauth.close()
    if tokens is None:
        return str(credentials["access_token"])
    athlete = tokens.pop("athlete_id", None)
    new = dict(tokens)
    database.run(
        lambda db: connections.activate(
            db, link.person_id, "strava", new, str(athlete) if athlete else None
        )
    )
    return str(new["access_token"])


def _strava(
    database: Database,
    config: SyncConfig,
    link: Link,
    oldest: dt.date,
    today: dt.date,
    report: SyncReport,
    progress: Progress | None,
    max_bytes: int,
) -> None:
    """Strava: tokens first (exchange or refresh), then activities after the window's start,
    each with its streams (samples, as a file's) or, without streams, its summary."""
    client = StravaClient(config, _strava_tokens(database, config, link))
    after = dt.datetime.combine(oldest, dt.time(), tzinfo=dt.UTC)
    try:
        found = list(client.activities(after))
        for number, summary in enumerate(found, start=1):
            if item_seen(database, link.person_id, "strava", summary.external_id):
                report.already += 1
            else:
                series = client.streams(summary.external_id)
                row = streams_row(link, "strava", summary, series) if series else None
                row = row or summary_row(link, "strava", summary)
                count(report, store_summary(database, link, row))
            if progress is not None:
                progress(number, len(found))
    finally:
        client.close()


def _oura(database: Database, config: SyncConfig, link: Link, oldest: dt.date,
          today: dt.date, report: SyncReport, progress: Progress | None,
          max_bytes: int) -> None:
    """Oura: each night's sleep, HRV and lowest heart rate as day summaries."""
    client = OuraClient(config.oura_url, str(link.credentials.get("token", "")),
                        timeout_s=config.timeout_s, max_wait_s=config.max_wait_s,
                        budget=budget_for("oura", config))
    try:
        nights = client.days(oldest, today)
    finally:
        client.close()
    report.days += _store_wellness(database, link, "oura", nights)
    if progress is not None:
        progress(len(nights), len(nights))


def _store_wellness(database: Database, link: Link, source: str,
                    days: list[Wellness]) -> int:
    """Provider days as day-summary rows, the provider's own fields kept beside them."""
    return store_days(
        database, link, source,
        [DaySummary(w.day, steps=w.steps, resting_hr=w.resting_hr, sleep_h=w.sleep_h,
                    hrv_ms=w.hrv_ms) for w in days],
        {w.day: dict(w.own) for w in days})


def revoke(database: Database, config: SyncConfig, person_id: int, provider: str) -> str:
    """Withdraw access on the provider (best effort), then delete the tokens; in words."""

    def tokens(db: Session) -> dict[str, object]:
        found = connections.get(db, person_id, provider)
        return dict(found.credentials or {}) if found is not None else {}

    credentials = database.run(tokens)
    told = WITHDRAWN
    access = credentials.get("access_token")
    if provider == "strava" and isinstance(access, str):
        told = deauthorize_strava(config, access)

    def delete(db: Session) -> None:
        found = connections.get(db, person_id, provider)
        if found is not None and found.status == connections.REVOKING:
            connections.remove(db, found)

    database.run(delete)
    return f"{told}; the tokens are deleted."


Runner = Callable[
    [Database, SyncConfig, Link, dt.date, dt.date, SyncReport, "Progress | None", int], None
]
RUNNERS: dict[str, Runner] = {"intervals": _intervals, "strava": _strava, "oura": _oura}


def _finish(
    db: Session, person_id: int, provider: str, report: SyncReport, now: dt.datetime
) -> None:
    """Record the import on the connection: when, and the error in words if it stopped."""
    connection: Connection | None = connections.get(db, person_id, provider)
    if connection is None:
        return
    if report.error is None:
        connections.record_import(connection, now, None)
    else:
        connection.last_import_at = (
            now if report.imported or report.days else (connection.last_import_at)
        )
        connections.record_error(connection, report.error)


def sync_person(
    database: Database,
    config: SyncConfig,
    person_id: int,
    provider: str,
    *,
    since: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    max_bytes: int = 20 * 2**20,
) -> SyncReport:
    """Import what is new from one connection; never raises for the provider's faults.

    `ValueError` for what the caller must fix (no such connection, no consent); every
    provider fault ends the import with ``report.error`` in words, stored on the connection
    for /sync, and what was stored before it stays stored.
    """
    moment = now or dt.datetime.now(dt.UTC)
    link = database.run(lambda db: read_link(db, person_id, provider))
    runner = RUNNERS.get(provider)
    if runner is None:
        raise ValueError(f"{provider} sync is not available in this version")
    report = SyncReport(provider)
    oldest = window(link, since, moment.date(), config.days)
    try:
        runner(database, config, link, oldest, moment.date(), report, progress, max_bytes)
    except SyncError as exc:
        report.error = str(exc)
        log.warning(
            "sync stopped: person=%s provider=%s error=%s", person_id, provider, type(exc).__name__
        )
    database.run(lambda db: _finish(db, person_id, provider, report, moment))
    log.info(
        "sync: person=%s provider=%s new=%d matched=%d before=%d days=%d",
        person_id,
        provider,
        report.imported,
        report.matched,
        report.already,
        report.days,
    )
    return report
