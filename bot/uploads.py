"""Import one wearable file sent in chat (or named on the command line) for one person.

The channel-agnostic service the Telegram and terminal adapters and ``coachloop import`` call:
read (``storage.readers``) -> clean and derive (``planner.session_metrics``) -> store
(``storage.activities``) in one transaction. It never half-stores: parsing and metrics happen
before the write, and all sessions of a file are added in a single unit of work. Log lines
carry the person id, file type, sizes and refusal reasons, never a health value; refusals log
at WARNING. Sizes are in MiB (2^20 bytes) everywhere, the unit the limit is set in.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import i18n
from bot.i18n import _, ngettext
from bot.services.matching import Stored, store_rows
from planner.session_metrics import (
    AthleteProfile,
    SessionMetrics,
    SessionSeries,
    compute_session_metrics,
    series_from_rr,
)
from planner.signals import knn_impute_marked
from storage.activities import (
    DAY_FIELDS,
    DAY_SUMMARY,
    NewActivity,
    file_sha256,
    is_imported,
    set_aside_stored_days,
)
from storage.db import Database
from storage.people import has_consent
from storage.readers import (
    ActivityData,
    DaySummary,
    ParsedFile,
    WearableFileError,
    detect_type,
    read_wearable,
)
from storage.schema import Person

log = logging.getLogger(__name__)

MAX_SESSION_S = 48 * 3600.0  # longer is a device clock fault, not a training session
_CHANNELS = ("hr", "speed", "cadence", "power", "altitude", "distance", "lat", "lon")
#: Day-summary imputation: k nearest days of the same file (Bo 2025, sec. 3.2, KNN); the
#: guards (2k complete days, half the fields measured) are in ``knn_impute_marked``.
DAY_IMPUTE_K = 3
_DAY_DIGITS = {"steps": 0, "resting_hr": 1, "sleep_h": 2, "hrv_ms": 1}
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


@dataclass(slots=True)
class UploadResult:
    """What happened to one file: ``status`` is "imported", "duplicate" or "refused"."""

    status: str
    message: str
    file_name: str
    activity_ids: list[int] = field(default_factory=list)
    records: int = 0
    warnings: list[str] = field(default_factory=list)
    days_already_imported: int = 0
    matched: int = 0  # sessions already stored from another recording (kept as they were)

    @property
    def ok(self) -> bool:
        """True when the file is now stored (freshly or from before)."""
        return self.status in ("imported", "duplicate")


def series_from_activity(activity: ActivityData) -> SessionSeries:
    """Aligned arrays (seconds from the first sample, NaN for missing) for the planner."""
    if not activity.samples:
        return series_from_rr(np.asarray(activity.rr_ms, dtype=np.float64))
    t0 = activity.samples[0].timestamp
    series = SessionSeries.empty(len(activity.samples))
    series.t_s = np.array([(s.timestamp - t0).total_seconds() for s in activity.samples])
    for name in _CHANNELS:
        values = [getattr(s, name) for s in activity.samples]
        setattr(series, name, np.array([np.nan if v is None else v for v in values], float))
    series.rr_ms = np.asarray(activity.rr_ms, dtype=np.float64)
    if activity.accel is not None and len(activity.accel):
        series.accel_t_s = activity.accel.t - t0.timestamp()
        series.accel_g = (activity.accel.x, activity.accel.y, activity.accel.z)
    return series


def _profile(person: Person) -> AthleteProfile:
    return AthleteProfile(
        sex=person.sex, hr_rest=person.hr_rest, hr_max=person.hr_max, birth_year=person.birth_year
    )


def _device_totals(activity: ActivityData) -> dict[str, float]:
    if activity.summary is None:
        return {}
    names = ("elapsed_s", "timer_s", "distance_m", "hr_avg", "hr_max", "ascent_m", "cadence_avg")
    totals = {n: getattr(activity.summary, n) for n in names}
    return {k: v for k, v in totals.items() if v is not None}


def _activity_row(
    activity: ActivityData, kind: str, file_name: str, profile: AthleteProfile
) -> tuple[NewActivity | None, str | None]:
    """(row, None) for a usable session, (None, reason) otherwise."""
    start = activity.start
    year = start.year if start else dt.datetime.now(dt.UTC).year
    metrics: SessionMetrics = compute_session_metrics(series_from_activity(activity), profile, year)
    if not metrics.duration_s or metrics.duration_s <= 0:
        return None, "no time span (fewer than two timed samples)"
    if metrics.duration_s > MAX_SESSION_S:
        return None, "longer than 48 hours (a device clock fault)"
    if all(
        v is None for v in (metrics.hr_avg, metrics.distance_m, metrics.rmssd_ms, metrics.moving_s)
    ):
        return None, "neither heart rate, distance nor movement data"
    extra: dict[str, object] = {"notes": metrics.notes}
    extra.update({"hr_rest_used": metrics.hr_rest_used, "hr_max_used": metrics.hr_max_used})
    if device := _device_totals(activity):
        extra["device"] = device
    if activity.sub_sport:
        extra["sub_sport"] = activity.sub_sport
    # which channels the recording has: matching keeps the richest of several recordings
    extra["channels"] = [c for c in ("hr", "power", "cadence", "speed")
                         if any(getattr(s, c) is not None for s in activity.samples)]
    if metrics.rr_kept_fraction is not None:
        extra["rr_kept_fraction"] = metrics.rr_kept_fraction
    if start is None:
        extra["start_unknown"] = True
    if metrics.gait is not None and activity.accel is not None:
        extra["imu"] = {**metrics.gait.as_dict(), "source": activity.accel.source}
    row = NewActivity(
        file_type=kind,
        file_name=file_name[:255],
        sport=activity.sport,
        start_time=start,
        day=start.date() if start else None,
        duration_s=metrics.duration_s,
        moving_s=metrics.moving_s,
        distance_m=metrics.distance_m,
        elevation_gain_m=metrics.elevation_gain_m,
        hr_avg=metrics.hr_avg,
        hr_max=metrics.hr_max,
        trimp_banister=metrics.trimp_banister,
        trimp_edwards=metrics.trimp_edwards,
        rmssd_ms=metrics.rmssd_ms,
        sdnn_ms=metrics.sdnn_ms,
        cadence_avg=metrics.cadence_avg,
        pace_s_per_km=metrics.pace_s_per_km,
        zones_s=metrics.zones_s,
        extra=extra,
    )
    return row, None


def day_rows(days: list[DaySummary], file_name: str) -> list[NewActivity]:
    """One row per day; missing fields KNN-imputed across the file's days, kept apart.

    Measured values stay where they always were (``extra[field]``, HRV also in ``rmssd_ms``,
    which the planner reads); an imputed value goes only to ``extra["imputed"][field]``, so a
    reader that wants measurements never gets an estimate by mistake.
    """
    table = np.array(
        [[np.nan if getattr(d, f) is None else float(getattr(d, f)) for f in DAY_FIELDS]
         for d in days],
        dtype=np.float64,
    ).reshape(len(days), len(DAY_FIELDS))
    filled, imputed = knn_impute_marked(table, k=DAY_IMPUTE_K)
    rows = []
    for i, day in enumerate(days):
        extra: dict[str, object] = {f: getattr(day, f) for f in DAY_FIELDS}
        estimates = {
            f: round(float(filled[i, j]), _DAY_DIGITS[f])
            for j, f in enumerate(DAY_FIELDS) if imputed[i, j]
        }
        if estimates:
            if "steps" in estimates:
                estimates["steps"] = int(estimates["steps"])
            extra["imputed"] = estimates
            extra["imputation"] = {"method": "knn", "k": DAY_IMPUTE_K, "days_in_file": len(days)}
        rows.append(
            NewActivity(
                file_type="csv", file_name=file_name[:255], sport=DAY_SUMMARY, day=day.day,
                rmssd_ms=day.hrv_ms, extra=extra,
            )
        )
    return rows


def _is_data_fault(note: str) -> bool:
    """Notes the athlete should hear about (a broken sensor), not routine default notices."""
    return note.startswith(("heart rate ignored", "fewer than", "too few"))


def build_rows(
    parsed: ParsedFile, file_name: str, profile: AthleteProfile
) -> tuple[list[NewActivity], list[str]]:
    """Rows to store and the reasons sessions were skipped (raise when nothing is usable)."""
    rows: list[NewActivity] = []
    skipped: list[str] = []
    for number, activity in enumerate(parsed.activities, start=1):
        row, reason = _activity_row(activity, parsed.file_type, file_name, profile)
        if row is None:
            label = activity.sport or "session"
            skipped.append(f"skipped {label} {number}: {reason}")
        else:
            rows.append(row)
            notes = row.extra.get("notes", [])
            skipped.extend(n for n in notes if isinstance(n, str) and _is_data_fault(n))
    if parsed.days:
        rows.extend(day_rows(parsed.days, file_name))
    if not rows:
        detail = "; ".join(skipped) or "no sessions or days"
        raise WearableFileError(f"nothing usable in this file ({detail})")
    return rows, skipped


def _summary_line(rows: list[NewActivity]) -> str:
    if rows[0].sport == DAY_SUMMARY:
        imputed = sum(1 for r in rows if "imputed" in r.extra)
        line = ngettext("{n} day summary", "{n} day summaries", len(rows)).format(n=len(rows))
        return line + (" " + _("({n} with estimated missing values)").format(n=imputed)
                       if imputed else "")
    parts = []
    for row in rows:
        bits = [row.sport or _("session")]
        if row.day:
            bits.append(_("on {day}").format(day=row.day.isoformat()))
        if row.duration_s:
            bits.append(_("{n} min").format(n=f"{row.duration_s / 60:.0f}"))
        if row.distance_m:
            bits.append(_("{km} km").format(km=i18n.decimal(row.distance_m / 1000, 2)))
        parts.append(" ".join(bits))
    return "; ".join(parts)


def format_size(size: int) -> str:
    """Bytes as MiB (binary), the one unit size limits are shown in: 20 * 2**20 -> "20.0 MiB"."""
    return f"{size / 2**20:.1f} MiB"


def _loggable(reason: str) -> str:
    """A refusal reason without quoted file content (a line of the file may be a health value)."""
    return _QUOTED.sub("'...'", reason)


def _kind(name: str, head: bytes) -> str:
    """The file type for a log line: detected from the first bytes, else the extension."""
    try:
        return detect_type(name, head[:8192])
    except WearableFileError:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return extension[:8] or "unknown"


def refuse(
    person_id: int, name: str, size: int, head: bytes, reason: str, message: str
) -> UploadResult:
    """A refused upload: one WARNING line (person, type, size, reason), the athlete's message."""
    log.warning(
        "upload refused: person=%s type=%s bytes=%d reason=%s",
        person_id, _kind(name, head), size, _loggable(reason),
    )
    return UploadResult("refused", message, name)


def refuse_oversized(
    person_id: int, name: str, size: int, max_bytes: int, head: bytes = b""
) -> UploadResult:
    """Refuse a file over the limit before reading it (``head``: its first bytes, if read)."""
    return refuse(
        person_id, name, size, head, f"over the {format_size(max_bytes)} limit",
        _("{name} is {size}; the limit is {limit}. Export a single activity (FIT files are "
          "usually under 1 MiB).").format(name=name, size=format_size(size),
                                          limit=format_size(max_bytes)),
    )


def import_upload(
    db: Database, person_id: int, file_name: str, data: bytes, max_bytes: int,
    *, on_stored: Callable[[Session, str], None] | None = None,
    origin: tuple[str, str] | None = None,
) -> UploadResult:
    """Validate, parse, derive and store one file for one person; never raises for bad input.

    Refused: over ``max_bytes``, empty, unknown type, damaged, nothing usable, unknown person,
    or no consent to store health data. ``on_stored(session, message)`` runs inside the
    transaction that stores the sessions (the durable pipeline settles the update there).
    Importing the same bytes again is a "duplicate"; so is
    a day-summary file whose every day is stored already (days of overlapping exports are
    stored once; a stored day only gains the fields it lacked, see
    ``storage.activities.set_aside_stored_days``). A session already stored from another
    recording (the same ride synced from a provider) is stored once, the richest recording
    kept (`bot.services.matching`). ``origin`` = (source, external id) for a file a provider
    sent (an intervals.icu FIT download): it takes exactly this path, so it drives load,
    readiness and plans as an upload does.
    """
    name = (file_name or "upload").rsplit("/", 1)[-1]
    if len(data) > max_bytes:
        return refuse_oversized(person_id, name, len(data), max_bytes, data[:8192])
    file_hash = file_sha256(data)
    with db.session() as session:
        person = session.get(Person, person_id)
        if person is None:
            return refuse(person_id, name, len(data), data, "unknown athlete",
                          f"no athlete with id {person_id}")
        if not has_consent(person):
            return refuse(
                person_id, name, len(data), data, "no consent",
                _("I can only store health data after you agree to it; send /start first."),
            )
        if is_imported(session, person_id, file_hash):
            log.info("upload duplicate: person=%s bytes=%d", person_id, len(data))
            return UploadResult("duplicate", _unchanged(name), name)
        profile = _profile(person)
    try:
        parsed = read_wearable(name, data)
        rows, skipped = build_rows(parsed, name, profile)
    except WearableFileError as exc:
        return refuse(person_id, name, len(data), data, str(exc),
                      _("{name} was not imported: {reason}").format(name=name, reason=exc))
    warnings = parsed.warnings + skipped
    if origin is not None:
        tag(rows, *origin)
    try:
        with db.session() as session:
            if is_imported(session, person_id, file_hash):
                return UploadResult("duplicate", _("{name} was already imported.").format(
                    name=name), name)
            new_rows, already, filled = set_aside_stored_days(session, person_id, rows, file_hash)
            stored = store_rows(session, person_id, file_hash, new_rows)
            session.flush()
            ids = [a.id for a in stored.touched]
            overlap = _overlap_note(already, filled)
            if new_rows:
                message = _("Imported {name}: {summary}").format(
                    name=name, summary=_summary_line(new_rows)) + _matched_note(stored)
                message += ("; " + _("{n} days were already imported").format(n=already)
                            + overlap + ".") if already else "."
                if warnings:
                    message += " " + _("Note: {notes}").format(notes="; ".join(warnings[:3]))
                if on_stored is not None:
                    on_stored(session, message)
    except IntegrityError:  # the same file raced in from a second worker
        return UploadResult("duplicate", _unchanged(name), name)
    log.info(
        "upload %s: person=%s type=%s sessions=%d records=%d days_already=%d filled=%d",
        "imported" if new_rows else "duplicate days", person_id, parsed.file_type, len(ids),
        parsed.record_count, already, filled,
    )
    if not new_rows:
        return UploadResult(
            "duplicate", _("{name}: all {n} days were already imported").format(
                name=name, n=already) + overlap + ".", name,
            records=parsed.record_count, warnings=warnings, days_already_imported=already,
        )
    result = UploadResult("imported", message, name, ids, parsed.record_count, warnings, already)
    result.matched = len(stored.matched)
    return result


def tag(rows: list[NewActivity], source: str, external_id: str) -> None:
    """Mark rows as a provider's item: the first carries its id, further sessions ``id#i``."""
    for index, row in enumerate(rows):
        row.source = source
        row.external_id = external_id if index == 0 else f"{external_id}#{index}"[:64]


def _matched_note(stored: Stored) -> str:
    """Sessions that were recorded before by another source (stored once)."""
    if not stored.matched and not stored.replaced:
        return ""
    count = len(stored.matched) + len(stored.replaced)
    kept = " " + _("(this recording, the richer one, is kept)") if stored.replaced else ""
    return " (" + _("{n} session(s) already recorded from another source, stored once").format(
        n=count) + kept + ")"


def _overlap_note(already: int, filled: int) -> str:
    if not already:
        return ""
    if filled:
        return " " + _("({n} missing values filled in from this file)").format(n=filled)
    return " " + _("(kept as they were)")


def _unchanged(name: str) -> str:
    return _("{name} was already imported; nothing changed.").format(name=name)
