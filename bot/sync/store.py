"""Storing what a provider sent, through the path an uploaded file takes.

A provider's file (intervals.icu's original FIT) goes through `bot.uploads.import_upload`
exactly as a file sent in chat; a provider's streams (Strava's) become samples that
`bot.uploads.build_rows` turns into a row as it does a file's; a provider's summary (no
file, no streams) becomes the same kind of activity row, its Banister TRIMP from the mean
heart rate (`planner.session_metrics.summary_trimp`); days of wellness become day-summary
rows as a day-summary file's do. Either way `bot.services.matching` stores a session
recorded several times once. Each item is
stored in a transaction of its own that also moves the connection's cursor past it, so an
import that stops resumes from the last stored item.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.services.matching import store_rows
from bot.sync import strava_streams
from bot.sync.records import ActivitySummary
from bot.uploads import build_rows, day_rows, import_upload, tag
from planner.session_metrics import AthleteProfile, summary_trimp
from storage import connections
from storage.activities import NewActivity, set_aside_stored_days
from storage.db import Database
from storage.people import has_consent
from storage.readers import DaySummary, WearableFileError
from storage.schema import Person

Progress = Callable[[int, int], None]
SUMMARY = "summary"  # file_type of a row built from a provider's summary (no samples)
API_DAYS = "api"  # file_type of a provider's wellness days


@dataclass(slots=True)
class SyncReport:
    """What one import did, for /sync, the job's follow-up and `coachloop sync`."""

    provider: str
    imported: int = 0
    matched: int = 0
    already: int = 0
    days: int = 0
    error: str | None = None

    def text(self) -> str:
        """One line in words."""
        label = {"intervals": "intervals.icu", "strava": "Strava", "oura": "Oura"}.get(
            self.provider, self.provider
        )
        parts = [f"{self.imported} new session(s)"]
        if self.matched:
            parts.append(f"{self.matched} already recorded from another source (stored once)")
        if self.already:
            parts.append(f"{self.already} imported before")
        if self.days:
            parts.append(f"{self.days} day(s) of sleep/HRV/resting HR")
        line = f"{label}: " + ", ".join(parts)
        return line + (f". Stopped: {self.error}" if self.error else ".")


@dataclass(frozen=True, slots=True)
class Link:
    """What an import needs of a connection, read in a short transaction."""

    person_id: int
    provider: str
    credentials: dict[str, object]
    external_athlete_id: str | None
    cursor: dt.datetime | None
    profile: AthleteProfile


def read_link(db: Session, person_id: int, provider: str) -> Link:
    """The connection's credentials and cursor and the athlete's profile; `ValueError` in
    words when there is nothing to sync (no connection, access withdrawn, no consent)."""
    connection = connections.get(db, person_id, provider)
    person = db.get(Person, person_id)
    if connection is None or person is None:
        raise ValueError(f"no {provider} connection: send /connect {provider} first")
    if connection.status in (connections.REVOKED, connections.REVOKING) or not (
        connection.credentials
    ):
        raise ValueError(f"the {provider} connection was withdrawn: /connect {provider} again")
    if not has_consent(person):
        raise ValueError("no consent to store health data")
    profile = AthleteProfile(
        sex=person.sex, hr_rest=person.hr_rest, hr_max=person.hr_max, birth_year=person.birth_year
    )
    return Link(
        person_id,
        provider,
        dict(connection.credentials),
        connection.external_athlete_id,
        connection.cursor,
        profile,
    )


def window(link: Link, since: dt.date | None, today: dt.date, days: int) -> dt.date:
    """The first day to ask for: ``since``, else the day of the cursor, else ``days`` ago."""
    if since is not None:
        return since
    if link.cursor is not None:
        return link.cursor.date()
    return today - dt.timedelta(days=days)


def move_cursor(db: Session, link: Link, start: dt.datetime | None) -> None:
    """Move the connection's cursor past ``start``, in the transaction storing that item."""
    connection = connections.get(db, link.person_id, link.provider)
    if (
        connection is not None
        and start is not None
        and (connection.cursor is None or start > connection.cursor)
    ):
        connection.cursor = start


def summary_row(link: Link, source: str, summary: ActivitySummary) -> NewActivity:
    """An activity row from a provider's summary: what an upload's row holds, no samples."""
    trimp = rest = hr_max = None
    if summary.hr_avg is not None:
        trimp, rest, hr_max = summary_trimp(
            summary.elapsed_s, summary.hr_avg, link.profile, summary.start.year
        )
    extra: dict[str, object] = {
        "provider": dict(summary.own),
        "notes": ["from the provider's summary: TRIMP from the mean heart rate"],
    }
    extra["channels"] = [
        c
        for c, present in (("hr", summary.hr_avg is not None), ("power", summary.power))
        if present
    ]
    if rest is not None:
        extra.update({"hr_rest_used": rest, "hr_max_used": hr_max})
    pace = (
        (summary.moving_s or summary.elapsed_s) / (summary.distance_m / 1000)
        if (summary.distance_m and summary.distance_m > 0)
        else None
    )
    row = NewActivity(
        file_type=SUMMARY,
        file_name=f"{source}-{summary.external_id}"[:255],
        sport=summary.sport,
        start_time=summary.start,
        day=summary.local_day,
        duration_s=summary.elapsed_s,
        moving_s=summary.moving_s,
        distance_m=summary.distance_m,
        elevation_gain_m=summary.elevation_m,
        hr_avg=summary.hr_avg,
        hr_max=summary.hr_max,
        trimp_banister=trimp,
        pace_s_per_km=pace,
        extra=extra,
    )
    tag([row], source, summary.external_id)
    return row


def streams_row(
    link: Link, source: str, summary: ActivitySummary, series: Mapping[str, list[object]]
) -> NewActivity | None:
    """An activity row from a provider's streams, built by the upload path from samples
    (`bot.uploads.build_rows`: TRIMP, zones and the rest exactly as from an uploaded file);
    None when the streams hold nothing usable (the summary is stored instead)."""
    try:
        rows, _ = build_rows(strava_streams.as_parsed(summary, series), "", link.profile)
    except WearableFileError:
        return None
    row = rows[0]
    row.file_name = f"{source}-{summary.external_id}"[:255]
    row.day = summary.local_day  # the athlete's day, as the provider's summary says
    row.extra["provider"] = dict(summary.own)
    tag([row], source, summary.external_id)
    return row


def item_seen(database: Database, person_id: int, source: str, external_id: str) -> bool:
    """True when the item was stored, matched or skipped by an earlier import."""
    return database.run(lambda db: connections.seen(db, person_id, source, external_id))


def store_summary(database: Database, link: Link, row: NewActivity) -> str:
    """Store one row built here (a summary or streams), matched against what is stored;
    "stored" or "matched" ("already" when a concurrent import stored it first)."""
    source, external_id = row.source, row.external_id or ""

    def work(db: Session) -> str:
        if connections.seen(db, link.person_id, source, external_id):
            return "already"
        digest = hashlib.sha256(f"{source}:{external_id}".encode()).hexdigest()
        stored = store_rows(db, link.person_id, digest, [row])
        move_cursor(db, link, row.start_time)
        return "stored" if stored.added else "matched"

    return database.run(work)


def store_file(
    database: Database,
    link: Link,
    source: str,
    external_id: str,
    name: str,
    data: bytes,
    max_bytes: int,
    start: dt.datetime,
) -> str | None:
    """A provider's file through the upload path; None when it is unusable (use the summary).

    "stored" (new or richer than what was stored), "matched" (the same file or session was
    stored before, e.g. the athlete had sent it in chat).
    """
    result = import_upload(
        database,
        link.person_id,
        name,
        data,
        max_bytes,
        origin=(source, external_id),
        on_stored=lambda db, _: move_cursor(db, link, start),
    )
    if result.status == "refused":
        return None
    if result.status == "duplicate":

        def remember(db: Session) -> None:
            if not connections.seen(db, link.person_id, source, external_id):
                first = result.activity_ids[0] if result.activity_ids else None
                connections.mark_seen(
                    db, link.person_id, source, external_id, outcome="matched", activity_id=first
                )
            move_cursor(db, link, start)

        database.run(remember)
        return "matched"
    return (
        "matched" if result.matched and len(result.activity_ids) == result.matched else ("stored")
    )


def store_days(
    database: Database,
    link: Link,
    source: str,
    days: list[DaySummary],
    own: dict[dt.date, dict[str, object]],
) -> int:
    """Days of wellness as day-summary rows (a stored day only gains what it lacked)."""
    if not days:
        return 0
    rows = day_rows(days, f"{source} wellness")
    for row in rows:
        row.file_type, row.source = API_DAYS, source
        row.external_id = f"wellness:{row.day.isoformat() if row.day else ''}"
        mine = own.get(row.day) if row.day is not None else None
        if mine:
            row.extra["provider"] = mine
    payload = json.dumps(
        [[d.day.isoformat(), d.resting_hr, d.hrv_ms, d.sleep_h, d.steps] for d in days]
    ).encode()
    batch = hashlib.sha256(f"{source}:wellness:".encode() + payload).hexdigest()

    def work(db: Session) -> int:
        fresh, already, filled = set_aside_stored_days(db, link.person_id, rows, batch)
        if fresh:
            store_rows(db, link.person_id, batch, fresh)
        return len(fresh) + (already if filled else 0)

    return database.run(work)


def count(report: SyncReport, outcome: str) -> None:
    """Add one item's outcome ("stored", "matched", "already") to the report."""
    if outcome == "stored":
        report.imported += 1
    elif outcome == "matched":
        report.matched += 1
    else:
        report.already += 1
