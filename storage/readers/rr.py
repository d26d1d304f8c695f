"""Beat-to-beat (RR) interval files: plain text (one interval in ms per line) and Polar .hrm.

Polar HRM: ``[Params]`` holds ``Date=YYYYMMDD``, ``StartTime=HH:MM:SS.s`` and ``Interval``;
``Interval=238`` means the ``[HRData]`` rows are R-R intervals in ms (Polar HRM format
specification), any other value is the sampling period in seconds and the first column of each
row is the heart rate in bpm. Times in .hrm files are local without a zone; we read them as UTC
and say so in a warning.
"""

from __future__ import annotations

import datetime as dt

from storage.readers.records import ActivityData, ParsedFile, Sample, WearableFileError

POLAR_RR_INTERVAL = 238
MAX_RR_LINES = 500_000  # ~5 days of beats; more is not an RR export


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _numbers(lines: list[str], what: str) -> list[float]:
    values: list[float] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        fields = line.replace(",", "\t").split()
        if not fields:  # only separators, e.g. ","
            raise WearableFileError(f"line {number} of the {what} is not a number: {line[:20]!r}")
        first = fields[0]
        try:
            values.append(float(first))
        except ValueError as exc:
            raise WearableFileError(
                f"line {number} of the {what} is not a number: {line[:20]!r}"
            ) from exc
        if len(values) > MAX_RR_LINES:
            raise WearableFileError(f"the {what} has more than {MAX_RR_LINES} rows")
    return values


def _rr_activity(rr: list[float], start: dt.datetime | None) -> ActivityData:
    if len(rr) < 2:
        raise WearableFileError("this RR file holds fewer than two intervals")
    plausible = sum(200.0 <= v <= 3000.0 for v in rr)
    if plausible < 0.5 * len(rr):
        raise WearableFileError(
            "most values are outside 200-3000 ms, so these are not RR intervals in milliseconds"
        )
    return ActivityData(sport=None, rr_ms=rr, rr_start=start)


def read_rr_text(data: bytes) -> ParsedFile:
    """One RR interval in ms per line (blank lines ignored); the file has no start time."""
    rr = _numbers(_text(data).splitlines(), "RR file")
    parsed = ParsedFile(file_type="rr", activities=[_rr_activity(rr, None)])
    parsed.warnings.append("plain RR files carry no date: the session is stored without one")
    return parsed


def _sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1]
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return sections


def _hrm_start(params: dict[str, str]) -> dt.datetime | None:
    try:
        day = dt.datetime.strptime(params.get("Date", ""), "%Y%m%d").replace(tzinfo=dt.UTC)
        hh, mm, ss = params.get("StartTime", "00:00:00").split(":")
        return day + dt.timedelta(hours=int(hh), minutes=int(mm), seconds=float(ss))
    except ValueError:
        return None


def read_hrm(data: bytes) -> ParsedFile:
    """Polar .hrm: RR intervals (Interval=238) or a sampled heart-rate series."""
    sections = _sections(_text(data))
    if "Params" not in sections or "HRData" not in sections:
        raise WearableFileError("this Polar .hrm file lacks its [Params] or [HRData] section")
    params = dict(
        line.split("=", 1) for line in sections["Params"] if "=" in line
    )
    params = {k.strip(): v.strip() for k, v in params.items()}
    start = _hrm_start(params)
    try:
        interval = int(params.get("Interval", str(POLAR_RR_INTERVAL)))
    except ValueError as exc:
        raise WearableFileError("the .hrm Interval parameter is not a number") from exc
    values = _numbers(sections["HRData"], ".hrm [HRData] section")
    parsed = ParsedFile(file_type="hrm")
    if interval == POLAR_RR_INTERVAL:
        parsed.activities.append(_rr_activity(values, start))
    else:
        if start is None or interval <= 0:
            raise WearableFileError("this .hrm file has no valid Date/StartTime or Interval")
        samples = [
            Sample(timestamp=start + dt.timedelta(seconds=i * interval), hr=bpm)
            for i, bpm in enumerate(values)
        ]
        if len(samples) < 2:
            raise WearableFileError("this .hrm file holds fewer than two heart-rate samples")
        parsed.activities.append(ActivityData(sport=None, samples=samples))
    if start is not None:
        parsed.warnings.append(".hrm times have no time zone; read as UTC")
    return parsed
