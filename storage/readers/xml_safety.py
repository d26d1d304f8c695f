"""Guards for XML uploads (GPX, TCX): no DTD, hence no entities, hence no XML bombs.

Why a DTD ban is enough: entity expansion (billion laughs, quadratic blow-up) and external
entities (file or network reads) can only be declared inside a document type definition. No
real GPX or TCX export carries one, so refusing ``<!DOCTYPE`` costs nothing legitimate.
"""

from __future__ import annotations

from storage.readers.records import WearableFileError


def decode_xml_text(data: bytes) -> str:
    """Bytes -> text (UTF-8 with or without BOM, or UTF-16 with BOM), DTD refused."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise WearableFileError(
            "this file is not valid UTF-8/UTF-16 text, so it cannot be GPX or TCX"
        ) from exc
    if "<!doctype" in text[:65536].lower() or "<!entity" in text.lower():
        raise WearableFileError(
            "this XML file declares a DOCTYPE/entities, which GPX and TCX exports never do; "
            "refused for safety (export the activity again from the device's app)"
        )
    return text
