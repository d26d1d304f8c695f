"""Day-summary CSV exports (Fitbit, Garmin Connect): steps, resting HR, sleep, HRV per day.

Exports differ in column names, separators (``,`` or ``;``), thousands separators ("10,234")
and date formats, so columns are matched by alias and values parsed leniently. Sleep is read
as hours from columns named in hours, and converted from minutes where the name says minutes
("Minutes Asleep", Fitbit). Rows with an unreadable date are skipped (counted in a warning);
a file with no date column or no recognised measure is refused. A date that appears on several
rows becomes one day: the first value of each field wins, later rows only fill what it lacks.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

from storage.readers.records import DaySummary, ParsedFile, WearableFileError

MAX_ROWS = 100_000

_DATE = ("date", "day", "calendar date", "calendardate", "start date", "summary date")
_STEPS = ("steps", "total steps", "step count", "totalsteps")
_RHR = ("resting heart rate", "resting hr", "rhr", "resting_hr", "restingheartrate",
        "resting heart rate (bpm)")
_SLEEP_MIN = ("minutes asleep", "sleep minutes", "total sleep minutes", "sleep (min)",
              "total minutes asleep")
_SLEEP_H = ("sleep hours", "hours asleep", "sleep (h)", "sleep", "total sleep", "sleep_h",
            "sleep duration (h)")
_HRV = ("hrv", "hrv (ms)", "rmssd", "daily rmssd", "overnight hrv", "hrv rmssd",
        "avg overnight hrv", "hrv_ms")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d",
                 "%b %d, %Y", "%d %b %Y")


def _norm(name: str) -> str:
    return " ".join(name.strip().strip('"').lower().replace("_", " ").split())


def _find(header: list[str], aliases: tuple[str, ...]) -> int | None:
    normalised = [_norm(h) for h in header]
    for alias in aliases:
        alias_n = _norm(alias)
        if alias_n in normalised:
            return normalised.index(alias_n)
    return None


def _date(text: str) -> dt.date | None:
    value = text.strip()[:19]
    for candidate in (value, value[:10]):
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(candidate, fmt).replace(tzinfo=dt.UTC).date()
            except ValueError:
                continue
    return None


def _number(row: list[str], index: int | None) -> float | None:
    if index is None or index >= len(row):
        return None
    text = row[index].strip().replace(",", "").replace(" ", "")
    if text in ("", "-", "--", "n/a", "null"):
        return None
    if ":" in text:  # "7:32" hours:minutes (Garmin sleep)
        hours, _, minutes = text.partition(":")
        try:
            return float(hours) + float(minutes) / 60.0
        except ValueError:
            return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None


def _in(value: float | None, low: float, high: float) -> float | None:
    """Absurd values (resting HR 0, 30 h of sleep) become missing, never stored."""
    return value if value is not None and low <= value <= high else None


def _fill(first: DaySummary, later: DaySummary) -> DaySummary:
    """``first`` with the fields it lacks taken from ``later`` (a repeated date)."""
    missing = {
        f.name: getattr(later, f.name)
        for f in dataclasses.fields(first)
        if getattr(first, f.name) is None and getattr(later, f.name) is not None
    }
    return dataclasses.replace(first, **missing)


def read_day_csv(data: bytes) -> ParsedFile:
    """Parse a day-summary CSV into ``DaySummary`` rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise WearableFileError("this CSV file is empty")
    # Fitbit exports start with a title line ("Activities"); the header is the first line
    # that names a date column.
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(io.StringIO("\n".join(lines[: MAX_ROWS + 5])), delimiter=delimiter))
    header_at = next((i for i, r in enumerate(rows[:5]) if _find(r, _DATE) is not None), None)
    if header_at is None:
        raise WearableFileError(
            "this CSV has no date column; expected a Fitbit/Garmin day export with 'Date'"
        )
    header = rows[header_at]
    cols = {
        "date": _find(header, _DATE),
        "steps": _find(header, _STEPS),
        "rhr": _find(header, _RHR),
        "sleep_min": _find(header, _SLEEP_MIN),
        "sleep_h": _find(header, _SLEEP_H),
        "hrv": _find(header, _HRV),
    }
    if all(cols[k] is None for k in ("steps", "rhr", "sleep_min", "sleep_h", "hrv")):
        raise WearableFileError(
            "this CSV has a date but none of: steps, resting heart rate, sleep, HRV"
        )
    parsed = ParsedFile(file_type="csv")
    by_day: dict[dt.date, DaySummary] = {}
    skipped = repeated = 0
    for row in rows[header_at + 1 :]:
        index = cols["date"]
        day = _date(row[index]) if index is not None and index < len(row) else None
        if day is None:
            skipped += 1
            continue
        sleep = _number(row, cols["sleep_min"])
        sleep_h = sleep / 60.0 if sleep is not None else _number(row, cols["sleep_h"])
        steps = _in(_number(row, cols["steps"]), 0, 200_000)
        summary = DaySummary(
            day=day,
            steps=int(steps) if steps is not None else None,
            resting_hr=_in(_number(row, cols["rhr"]), 25, 150),
            sleep_h=_in(sleep_h, 0, 24),
            hrv_ms=_in(_number(row, cols["hrv"]), 1, 500),
        )
        if not any(v is not None for v in (summary.steps, summary.resting_hr, summary.sleep_h,
                                           summary.hrv_ms)):
            skipped += 1
        elif day in by_day:
            repeated += 1
            by_day[day] = _fill(by_day[day], summary)
        else:
            by_day[day] = summary
    parsed.days.extend(by_day.values())
    if repeated:
        parsed.warnings.append(f"{repeated} rows repeated a date already in the file; merged")
    if skipped:
        parsed.warnings.append(f"{skipped} rows had no readable date or values and were skipped")
    if not parsed.days:
        raise WearableFileError("this CSV has no day with a readable value")
    return parsed
