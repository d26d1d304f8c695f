"""The CSVs ``coachloop readiness`` reads, checked before anything is computed.

Every file is untrusted: a problem is refused with `InputError`, whose message names the file,
the line (the header is line 1) and the right form, so nothing half-read is ever reported.
One exception, because real exports have it: a session row with an empty RPE or minutes cell
is a session without a rating; it is left out and counted, not refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from planner.wellness_scales import WellnessItem

RPE_SCALES = {"0-10": 1.0, "0-100": 0.1}
"""CR-10, or Borg's CR100 (centiMax, about 10 x CR-10): the factor onto CR-10."""
MAX_MINUTES = 1440.0
DATE_FORM = (
    "an ISO date YYYY-MM-DD or timestamp YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM] (the date as "
    "written is the day), or give --date-format, e.g. --date-format %d/%m/%Y"
)
_ISO = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
SHOWN = 3
"""Bad lines quoted in a message (the count says how many more)."""


class InputError(ValueError):
    """A CSV or option the command refuses; the message says what the right form is."""


@dataclass(frozen=True, slots=True)
class Sessions:
    """Valid sessions (athlete, date, load in AU) and how many rows were read and left out."""

    frame: pd.DataFrame
    read: int
    unrated: int


def read_table(path: Path, required: Sequence[str], what: str,
               hints: dict[str, str] | None = None) -> pd.DataFrame:
    """The CSV as text cells with stripped headers; refuses unreadable, empty or short files.

    ``hints`` adds, for a missing column, the option that names it (e.g. the wellness file's
    own date column)."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(
            f"{path.name} is empty: it needs a header line naming the columns "
            f"({', '.join(required)}) and one row per {what}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name} is not UTF-8 text: save it as UTF-8 CSV") from exc
    except (OSError, pd.errors.ParserError) as exc:
        raise InputError(f"{path.name} cannot be read as CSV: {exc}") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in required if c not in raw.columns]
    if missing:
        hint = "".join(f"; {hints[c]}" for c in missing if hints and c in hints)
        if len(raw.columns) == 1 and ";" in raw.columns[0]:
            hint = " (it looks separated by ';': save it comma-separated)"
        raise InputError(
            f"column(s) {', '.join(repr(c) for c in missing)} not in {path.name}; its columns "
            f"are {', '.join(repr(c) for c in raw.columns)}{hint}"
        )
    if raw.empty:
        raise InputError(f"{path.name} has a header but no rows: one row per {what} is needed")
    return raw


def _refuse(path: Path, bad: NDArray[np.bool_], cells: pd.Series, problem: str) -> None:
    """Raise naming the first bad lines, if any row is bad."""
    where = np.nonzero(bad)[0]
    if where.size == 0:
        return
    shown = "; ".join(f"line {i + 2}: {cells.iloc[i]!r}" for i in where[:SHOWN])
    more = f" (and {where.size - SHOWN} more)" if where.size > SHOWN else ""
    raise InputError(f"{path.name}: {problem} - {shown}{more}")


def parse_days(path: Path, cells: pd.Series, column: str, date_format: str | None
               ) -> NDArray[np.datetime64]:
    """Calendar days of a date column; refuses a cell that is not a date, naming its line."""
    if date_format is None:
        day_text = cells.str.extract(_ISO, expand=False)
        days = pd.to_datetime(day_text, format="%Y-%m-%d", errors="coerce")
    else:
        days = pd.to_datetime(pd.Series([_strptime(t.strip(), date_format) for t in cells]))
    bad = days.isna().to_numpy()
    _refuse(path, bad, cells, f"{column!r} is not a date; write {DATE_FORM}")
    return days.to_numpy(dtype="datetime64[D]")


def _strptime(text: str, date_format: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, date_format).date()  # noqa: DTZ007 - the day as written
    except ValueError:
        return None


def _numbers(cells: pd.Series) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """(values with NaN for empty cells, True where a non-empty cell is not a finite number).

    ``to_numeric`` reads surrounding spaces; only the cells it could not read are stripped to
    tell an empty cell from a bad one (stripping every cell would cost more than the parse).
    """
    values = np.array(pd.to_numeric(cells, errors="coerce"), dtype=np.float64)  # a copy
    unread = np.isnan(values)
    empty = np.zeros(len(values), dtype=bool)
    empty[unread] = (cells[unread].str.strip() == "").to_numpy()
    values[empty] = np.nan
    return values, ~empty & ~np.isfinite(values)


def _athletes(path: Path, cells: pd.Series, column: str) -> NDArray[np.object_]:
    """Athlete names, stripped (once per distinct name: a team has few, rows are many)."""
    codes, uniques = pd.factorize(cells)
    names = np.array([str(u).strip() for u in uniques], dtype=object)[codes]
    _refuse(path, names == "", cells, f"{column!r} is empty; every row names its athlete")
    return names


def read_sessions(
    path: Path, athlete_col: str, date_col: str, rpe_col: str, minutes_col: str,
    rpe_scale: str = "0-10", date_format: str | None = None,
) -> Sessions:
    """Sessions as (athlete, date, load = CR-10 RPE x minutes, Foster et al. 2001)."""
    if rpe_scale not in RPE_SCALES:
        raise InputError(f"--rpe-scale is one of {', '.join(RPE_SCALES)}; got {rpe_scale!r}")
    raw = read_table(path, (athlete_col, date_col, rpe_col, minutes_col), "session")
    athletes = _athletes(path, raw[athlete_col], athlete_col)
    days = parse_days(path, raw[date_col], date_col, date_format)
    rpe, rpe_bad = _numbers(raw[rpe_col])
    top = 10.0 / RPE_SCALES[rpe_scale]
    with np.errstate(invalid="ignore"):
        rpe_bad |= (rpe < 0) | (rpe > top)
    _refuse(path, rpe_bad, raw[rpe_col],
            f"{rpe_col!r} must be a session RPE from 0 to {top:g} (--rpe-scale {rpe_scale})")
    minutes, minutes_bad = _numbers(raw[minutes_col])
    with np.errstate(invalid="ignore"):
        minutes_bad |= (minutes < 0) | (minutes > MAX_MINUTES)
    _refuse(path, minutes_bad, raw[minutes_col],
            f"{minutes_col!r} must be the session's minutes, 0 to {MAX_MINUTES:g} (one day)")
    rated = ~np.isnan(rpe) & ~np.isnan(minutes)
    frame = pd.DataFrame({
        "athlete": athletes[rated], "date": days[rated],
        "load": rpe[rated] * RPE_SCALES[rpe_scale] * minutes[rated],
    })
    return Sessions(frame=frame, read=len(raw), unrated=int((~rated).sum()))


def read_wellness(
    path: Path, athlete_col: str, date_col: str, items: Sequence[WellnessItem],
    date_format: str | None = None,
) -> pd.DataFrame:
    """Wellness rows as (athlete, date, one column per item name), answers as given."""
    columns = (athlete_col, date_col, *(item.column for item in items))
    hints = {athlete_col: "name this file's athlete column with --wellness-athlete-col",
             date_col: "name this file's date column with --wellness-date-col"}
    raw = read_table(path, columns, "wellness report", hints)
    frame = pd.DataFrame({
        "athlete": _athletes(path, raw[athlete_col], athlete_col),
        "date": parse_days(path, raw[date_col], date_col, date_format),
    })
    for item in items:
        values, bad = _numbers(raw[item.column])
        scale = item.scale
        with np.errstate(invalid="ignore"):
            bad |= (values < scale.low) | (values > scale.high)
        _refuse(path, bad, raw[item.column],
                f"{item.column!r} ({item.name}) must be a number on {scale.label()} or empty")
        frame[item.name] = values
    return frame
