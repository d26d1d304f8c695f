"""What kind of wearable file is this? Decided by content; the extension only breaks ties.

Why content first: chat clients rename uploads ("document.bin"), and a ``.fit`` that is really
an HTML error page must be refused with a clear reason, not fed to a binary decoder.
"""

from __future__ import annotations

import re

from storage.readers.records import WearableFileError

FILE_TYPES = ("fit", "gpx", "tcx", "hrm", "rr", "csv")
_NUMBER_LINE = re.compile(rb"^\s*\d{2,5}(\.\d+)?\s*$")


def _is_fit(data: bytes) -> bool:
    """FIT header: size byte 12 or 14, then ``.FIT`` at offset 8 (FIT protocol, sec. 3.3.1)."""
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


def _xml_root(data: bytes) -> str | None:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = head.decode("utf-16", errors="ignore")
        except UnicodeDecodeError:
            return None
    else:
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    if not text.lstrip().startswith("<"):
        return None
    match = re.search(r"<(?![?!])([A-Za-z_][\w.:-]*)", text)
    return match.group(1).rsplit(":", 1)[-1] if match else None


def detect_type(file_name: str, data: bytes) -> str:
    """One of ``FILE_TYPES``; raise ``WearableFileError`` saying what the file seems to be."""
    if not data:
        raise WearableFileError("the file is empty")
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if _is_fit(data):
        return "fit"
    root = _xml_root(data)
    if root is not None:
        if root.lower() == "gpx":
            return "gpx"
        if root == "TrainingCenterDatabase":
            return "tcx"
        raise WearableFileError(
            f"this is an XML file ({root}), not a GPX or TCX activity export"
        )
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"[Params]"):
        return "hrm"
    if extension == "fit":
        raise WearableFileError("this file is named .fit but is not a FIT file (no FIT header)")
    if b"\x00" in data[:4096]:
        raise WearableFileError(
            "this is a binary file we do not read; send a FIT, GPX, TCX, CSV or RR file"
        )
    lines = [line for line in data[:8192].splitlines()[:50] if line.strip()]
    if lines and all(_NUMBER_LINE.match(line) for line in lines):
        return "rr"
    if lines and (b"," in lines[0] or b";" in lines[0] or extension == "csv"):
        return "csv"
    raise WearableFileError(
        "unknown file type; send a FIT, GPX or TCX activity, a day-summary CSV, or RR intervals"
    )
