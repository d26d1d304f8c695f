"""Repository for imported wearable activities and their exercise-level history rows.

A file is imported once per person: the first stored session of a file carries the file's
sha256 as ``content_hash``; further sessions of the same file (multisport, or one day-summary
row per day) carry sha256(file_hash + "#" + index) so the (person, content_hash) unique
constraint holds, and every row keeps the file hash in ``extra["file_sha256"]``. The caller
adds all sessions of one file in one transaction, so "file hash present" means "whole file
stored".

Day summaries are also one per person and day: overlapping exports (last 30 days, exported
weekly) share days but not bytes, so the file hash alone would store each shared day twice.
``set_aside_stored_days`` keeps a stored day and only fills the measured fields it lacks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.schema import Activity, ExerciseLog, SyncedItem

#: Our sport names -> exercise ids of the exercise-level history (ExerciseLog.exercise_id).
EXERCISE_IDS = {
    "running": "run",
    "cycling": "ride",
    "swimming": "swim",
    "walking": "walk",
    "hiking": "hike",
    "rowing": "row",
    "skiing": "ski",
    "paddling": "paddle",
    "transition": "transition",
}
DAY_SUMMARY = "day_summary"
UPLOAD, STRAVA = "upload", "strava"
#: Strava's API agreement (Nov 2024): Strava data is shown to its own athlete only and never
#: used to train or evaluate a model. Every reader goes through `list_activities`, which
#: leaves these rows out unless the caller is the athlete's own view (``include_strava``).
ATHLETE_ONLY_SOURCES = frozenset({STRAVA})
#: Rows computed from per-sample data: a file's, or a provider's streams (Strava's).
STREAM_TYPES = frozenset({"fit", "tcx", "gpx", "rr", "streams"})
#: Measured fields of a day summary, as keys of ``Activity.extra``.
DAY_FIELDS = ("resting_hr", "hrv_ms", "sleep_h", "steps")
_IN_CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit


def file_sha256(data: bytes) -> str:
    """Hex sha256 of the uploaded bytes: the identity of a file."""
    return hashlib.sha256(data).hexdigest()


def session_hash(file_hash: str, index: int) -> str:
    """content_hash of the index-th stored session of a file (index 0 = the file hash)."""
    if index == 0:
        return file_hash
    return hashlib.sha256(f"{file_hash}#{index}".encode()).hexdigest()


@dataclass(slots=True)
class NewActivity:
    """Plain values for one activity row (built by the import service, stored here)."""

    file_type: str
    file_name: str | None = None
    sport: str | None = None
    start_time: dt.datetime | None = None
    day: dt.date | None = None
    duration_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    hr_avg: float | None = None
    hr_max: float | None = None
    trimp_banister: float | None = None
    trimp_edwards: float | None = None
    rmssd_ms: float | None = None
    sdnn_ms: float | None = None
    cadence_avg: float | None = None
    pace_s_per_km: float | None = None
    zones_s: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    source: str = UPLOAD
    external_id: str | None = None


def is_imported(session: Session, person_id: int, file_hash: str) -> bool:
    """True when this person already has this file: its first session stored, or every
    session matched to recordings stored before (remembered as a seen ``upload`` item)."""
    found = session.scalar(
        select(Activity.id).where(
            Activity.person_id == person_id, Activity.content_hash == file_hash
        )
    )
    if found is not None:
        return True
    return session.scalar(select(SyncedItem.id).where(
        SyncedItem.person_id == person_id, SyncedItem.source == UPLOAD,
        SyncedItem.external_id == file_hash)) is not None


def sessions_starting_between(
    session: Session, person_id: int, start: dt.datetime, end: dt.datetime
) -> list[Activity]:
    """The person's stored sessions (not day summaries) starting in [start, end]: the
    candidates a new recording may be another copy of."""
    return list(session.scalars(select(Activity).where(
        Activity.person_id == person_id, Activity.start_time >= start,
        Activity.start_time <= end, Activity.sport.is_distinct_from(DAY_SUMMARY),
    ).order_by(Activity.id)))


def replace_activity(session: Session, stored: Activity, new: NewActivity) -> None:
    """Put a richer recording's values into a stored row of the same session.

    The row keeps its id (the exercise-level history points at it) and its content hash (the
    first file's identity, so uploading that file again stays a duplicate); every measured
    value, the source and the external id are the new recording's. Nothing of the old
    recording's values is kept, so a Strava row replaced by another source's holds no Strava
    data; ``extra["replaced"]`` names what it replaced (source and id, never a value).
    """
    before = {"source": stored.source, "external_id": stored.external_id,
              "file_type": stored.file_type}
    for f in fields(NewActivity):
        if f.name != "extra":
            setattr(stored, f.name, getattr(new, f.name))
    history = list((stored.extra or {}).get("replaced", []))
    stored.extra = {**new.extra, "replaced": [*history, before]}
    logs = list(session.scalars(select(ExerciseLog).where(ExerciseLog.activity_id == stored.id)))
    if not logs and stored.day is not None and stored.source not in ATHLETE_ONLY_SOURCES:
        # a Strava row had none (the plan reads these); the other source's recording may
        log = ExerciseLog(person_id=stored.person_id, day=stored.day, exercise_id="activity",
                          completed=True, status="done", activity_id=stored.id)
        session.add(log)
        logs = [log]
    for log in logs:
        log.seconds = stored.moving_s or stored.duration_s
        log.distance_m = stored.distance_m
        log.exercise_id = EXERCISE_IDS.get(stored.sport or "", stored.sport or "activity")


def stored_days(
    session: Session, person_id: int, days: Collection[dt.date]
) -> dict[dt.date, Activity]:
    """The person's stored day summaries for ``days``, by day (the oldest row if several)."""
    wanted = sorted(set(days))
    found: dict[dt.date, Activity] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        query = (
            select(Activity)
            .where(
                Activity.person_id == person_id,
                Activity.sport == DAY_SUMMARY,
                Activity.day.in_(wanted[start : start + _IN_CHUNK]),
            )
            .order_by(Activity.id)
        )
        for activity in session.scalars(query):
            if activity.day is not None:
                found.setdefault(activity.day, activity)
    return found


def fill_stored_day(stored: Activity, new: NewActivity, file_hash: str) -> int:
    """Copy measured fields ``stored`` lacks from ``new``; return how many were filled.

    A stored measurement is never overwritten (the first export wins); an estimate stored in
    ``extra["imputed"]`` gives way to a measurement; estimates are never copied over.
    """
    extra = dict(stored.extra or {})
    imputed = dict(extra.get("imputed") or {})
    filled = 0
    for name in DAY_FIELDS:
        value = new.extra.get(name)
        if extra.get(name) is None and value is not None:
            extra[name] = value
            imputed.pop(name, None)
            filled += 1
    if not filled:
        return 0
    if imputed:
        extra["imputed"] = imputed
    else:
        extra.pop("imputed", None)
        extra.pop("imputation", None)
    extra["filled_from"] = [*extra.get("filled_from", []), file_hash]
    if stored.rmssd_ms is None and extra.get("hrv_ms") is not None:
        stored.rmssd_ms = extra["hrv_ms"]
    stored.extra = extra  # a new dict: JSON columns do not track in-place changes
    return filled


def set_aside_stored_days(
    session: Session, person_id: int, rows: list[NewActivity], file_hash: str
) -> tuple[list[NewActivity], int, int]:
    """(rows still to add, day rows already stored, fields filled into stored days).

    Run inside the transaction that adds the rows, so the check and the insert see the same
    database (SQLite's ``BEGIN IMMEDIATE`` serialises writers; on PostgreSQL two workers
    importing overlapping exports of one person at the same moment could still both add a day).
    """
    days = [r.day for r in rows if r.sport == DAY_SUMMARY and r.day is not None]
    if not days:
        return rows, 0, 0
    existing = stored_days(session, person_id, days)
    keep: list[NewActivity] = []
    already = filled = 0
    for row in rows:
        stored = existing.get(row.day) if row.sport == DAY_SUMMARY and row.day else None
        if stored is None:
            keep.append(row)
        else:
            already += 1
            filled += fill_stored_day(stored, row, file_hash)
    return keep, already, filled


def add_file_activities(
    session: Session, person_id: int, file_hash: str, rows: list[NewActivity]
) -> list[Activity]:
    """Stage every session of one file (and an ExerciseLog row per sport session).

    Nothing is committed here: the caller's unit of work commits all rows or none.
    """
    stored = []
    for index, row in enumerate(rows):
        values = {f.name: getattr(row, f.name) for f in fields(NewActivity)}
        values["extra"] = {**row.extra, "file_sha256": file_hash, "session_index": index}
        activity = Activity(
            person_id=person_id, content_hash=session_hash(file_hash, index), **values
        )
        session.add(activity)
        stored.append(activity)
    session.flush()
    for activity in stored:
        if activity.sport == DAY_SUMMARY or activity.day is None:
            continue
        if activity.source in ATHLETE_ONLY_SOURCES:  # the plan reads these: never Strava's
            continue
        session.add(
            ExerciseLog(
                person_id=person_id,
                day=activity.day,
                exercise_id=EXERCISE_IDS.get(activity.sport or "", activity.sport or "activity"),
                seconds=activity.moving_s or activity.duration_s,
                distance_m=activity.distance_m,
                completed=True,
                status="done",
                activity_id=activity.id,
            )
        )
    return stored


def list_activities(
    session: Session, person_id: int, *, include_days: bool = False, limit: int | None = None,
    include_strava: bool = False,
) -> list[Activity]:
    """A person's activities, newest first (day summaries only when asked).

    Strava-sourced rows only with ``include_strava=True``, which only the athlete's own views
    pass (`ATHLETE_ONLY_SOURCES`): coaches' views, group chats, planning and the models, the
    research export and the command line never see them.
    """
    query = select(Activity).where(Activity.person_id == person_id)
    if not include_strava:
        query = query.where(Activity.source.not_in(sorted(ATHLETE_ONLY_SOURCES)))
    if not include_days:
        query = query.where((Activity.sport.is_(None)) | (Activity.sport != DAY_SUMMARY))
    query = query.order_by(Activity.start_time.desc().nulls_last(), Activity.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def activity_as_dict(activity: Activity) -> dict[str, Any]:
    """JSON-ready view of one activity (what ``coachloop activities --json`` prints)."""
    return {
        "id": activity.id,
        "start": activity.start_time.isoformat() if activity.start_time else None,
        "day": activity.day.isoformat() if activity.day else None,
        "sport": activity.sport,
        "file_type": activity.file_type,
        "file_name": activity.file_name,
        "duration_s": activity.duration_s,
        "moving_s": activity.moving_s,
        "distance_m": activity.distance_m,
        "elevation_gain_m": activity.elevation_gain_m,
        "hr_avg": activity.hr_avg,
        "hr_max": activity.hr_max,
        "trimp": activity.trimp_banister,
        "trimp_edwards": activity.trimp_edwards,
        "rmssd_ms": activity.rmssd_ms,
        "sdnn_ms": activity.sdnn_ms,
        "cadence_avg": activity.cadence_avg,
        "pace_s_per_km": activity.pace_s_per_km,
        "zones_s": activity.zones_s,
        "source": activity.source,
        "external_id": activity.external_id,
        "extra": activity.extra,
    }


def delete_external(session: Session, person_id: int, source: str, external_id: str
                    ) -> dt.date | None:
    """Delete the row a provider's item is stored as (the athlete deleted it there); its day.

    Only a row holding that provider's values: a session that another source recorded too
    keeps its row (it is that source's data). The exercise-level history row goes with it
    (``ON DELETE CASCADE``; deleted explicitly too, as erasure does).
    """
    row = session.scalar(select(Activity).where(
        Activity.person_id == person_id, Activity.source == source,
        Activity.external_id == external_id))
    if row is None:
        return None
    day = row.day
    session.execute(delete(ExerciseLog).where(ExerciseLog.activity_id == row.id))
    session.execute(delete(Activity).where(Activity.id == row.id))
    return day
