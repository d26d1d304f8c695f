"""Store a file's or a provider's sessions once: each is matched against what is stored.

The same ride arrives as a FIT upload, an intervals.icu activity and a Strava activity. Before
a session row is added, the person's sessions starting near it are read (`storage`), and
`planner.session_match` decides whether one of them is the same session. If so, the richer
recording is kept (streams over a summary, power and heart rate over heart rate alone), in
the stored row, so its id and the history that points at it stay; a tie keeps what is
stored. One exception holds the Strava rule (docs/wearables.md): a Strava recording never
replaces another source's, and another source's always replaces a Strava one, so a session
that came from elsewhere too is never a Strava-only row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from planner.session_match import START_TOLERANCE_S, Recording, find_match, is_richer
from storage import connections
from storage.activities import (
    ATHLETE_ONLY_SOURCES,
    DAY_SUMMARY,
    STREAM_TYPES,
    UPLOAD,
    NewActivity,
    add_file_activities,
    replace_activity,
    sessions_starting_between,
)
from storage.schema import Activity

MATCHED, REPLACED, STORED = "matched", "replaced", "stored"


@dataclass(slots=True)
class Stored:
    """What became of each row: added (new rows), or matched to / replaced a stored row."""

    added: list[Activity] = field(default_factory=list)
    matched: list[Activity] = field(default_factory=list)
    replaced: list[Activity] = field(default_factory=list)

    @property
    def touched(self) -> list[Activity]:
        """Every row the recordings now live in."""
        return [*self.added, *self.replaced, *self.matched]


def _channels(extra: dict[str, object]) -> set[str]:
    found = extra.get("channels")
    return {str(c) for c in found} if isinstance(found, list) else set()


def recording_of(row: NewActivity | Activity, key: object = None) -> Recording | None:
    """The matching view of a row (None without a start time or a duration)."""
    if row.start_time is None or not row.duration_s:
        return None
    channels = _channels(row.extra or {})
    return Recording(
        row.start_time,
        float(row.duration_s),
        streams=row.file_type in STREAM_TYPES,
        heart_rate=row.hr_avg is not None,
        power="power" in channels,
        key=key,
        channels=len(channels),
    )


def _keep_new(new: NewActivity, stored: Activity, new_rec: Recording, old: Recording) -> bool:
    new_strava = new.source in ATHLETE_ONLY_SOURCES
    old_strava = stored.source in ATHLETE_ONLY_SOURCES
    if new_strava != old_strava:
        return old_strava  # the other source's recording wins, whatever its richness
    return is_richer(new_rec, old)


def _match(session: Session, person_id: int, row: NewActivity) -> tuple[Activity, bool] | None:
    """(stored row of the same session, whether ``row`` should replace it), or None."""
    new_rec = recording_of(row)
    if new_rec is None or row.sport == DAY_SUMMARY:
        return None
    window = dt.timedelta(seconds=START_TOLERANCE_S)
    candidates = sessions_starting_between(
        session, person_id, new_rec.start - window, new_rec.start + window
    )
    recordings = [r for r in (recording_of(a, a.id) for a in candidates) if r is not None]
    found = find_match(new_rec, recordings)
    if found is None:
        return None
    stored = next(a for a in candidates if a.id == found.key)
    return stored, _keep_new(row, stored, new_rec, found)


def store_rows(session: Session, person_id: int, file_hash: str, rows: list[NewActivity]) -> Stored:
    """Add, match or replace each row in the caller's transaction (see the module).

    Every provider item (a row with an ``external_id``) is remembered as seen with what became
    of it, so a re-sync skips it; an upload whose every session matched is remembered by its
    file hash, so sending it again is a duplicate.
    """
    out = Stored()
    fresh: list[NewActivity] = []
    for row in rows:
        matched = _match(session, person_id, row)
        if matched is None:
            fresh.append(row)
            continue
        stored, replace = matched
        if replace:
            replace_activity(session, stored, row)
            out.replaced.append(stored)
        else:
            out.matched.append(stored)
        if row.external_id is not None:
            connections.mark_seen(
                session,
                person_id,
                row.source,
                row.external_id,
                outcome=REPLACED if replace else MATCHED,
                activity_id=stored.id,
            )
    if fresh:
        out.added = add_file_activities(session, person_id, file_hash, fresh)
        for row, activity in zip(fresh, out.added, strict=True):
            if row.external_id is not None:
                connections.mark_seen(
                    session,
                    person_id,
                    row.source,
                    row.external_id,
                    outcome=STORED,
                    activity_id=activity.id,
                )
    elif rows and rows[0].source == UPLOAD:
        first = out.touched[0].id if out.touched else None
        connections.mark_seen(
            session,
            person_id,
            UPLOAD,
            file_hash,
            outcome=REPLACED if out.replaced else MATCHED,
            activity_id=first,
        )
    session.flush()
    return out
