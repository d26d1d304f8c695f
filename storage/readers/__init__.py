"""Wearable file readers: bytes in, normalized records out (``read_wearable``).

Readers do I/O-shaped work only (decoding formats); cleaning and metrics live in ``planner``.
Every failure is a ``WearableFileError`` whose message an athlete can act on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from storage.readers.day_csv import read_day_csv
from storage.readers.detect import FILE_TYPES, detect_type
from storage.readers.fit import read_fit
from storage.readers.gpx import read_gpx
from storage.readers.records import (
    AccelSeries,
    ActivityData,
    DaySummary,
    ParsedFile,
    Sample,
    Summary,
    WearableFileError,
)
from storage.readers.rr import read_hrm, read_rr_text
from storage.readers.tcx import read_tcx

__all__ = [
    "FILE_TYPES",
    "AccelSeries",
    "ActivityData",
    "DaySummary",
    "ParsedFile",
    "Sample",
    "Summary",
    "WearableFileError",
    "detect_type",
    "read_wearable",
]

log = logging.getLogger(__name__)

READERS: dict[str, Callable[[bytes], ParsedFile]] = {
    "fit": read_fit,
    "gpx": read_gpx,
    "tcx": read_tcx,
    "hrm": read_hrm,
    "rr": read_rr_text,
    "csv": read_day_csv,
}


def read_wearable(file_name: str, data: bytes) -> ParsedFile:
    """Detect the type of ``data`` and parse it; only ``WearableFileError`` escapes."""
    kind = detect_type(file_name, data)
    try:
        return READERS[kind](data)
    except WearableFileError:
        raise
    except (RecursionError, MemoryError, Exception) as exc:  # last line of defence
        log.warning("%s reader failed unexpectedly: %s", kind, type(exc).__name__)
        raise WearableFileError(
            f"this {kind.upper()} file could not be read; export it again from the device's app"
        ) from exc
