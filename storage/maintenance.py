"""Database maintenance: re-encrypting sensitive fields after a key rotation."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Table, Text, literal, select, type_coerce, update
from sqlalchemy.orm import Session

from storage import crypto
from storage.schema import CheckIn


def rotate_encryption(session: Session) -> int:
    """Re-encrypt every check-in's free text and pain details with the newest key.

    Works on the stored (raw) values, bypassing the columns' own encryption, so rows still
    under an old key, and rows stored before encryption was switched on, all end up under the
    newest key. Returns the number of rows rewritten.
    """
    if not crypto.enabled():
        raise ValueError("set ENCRYPTION_KEY (newest key first) before rotating")
    table = CheckIn.__table__
    if not isinstance(table, Table):
        raise TypeError("check-in table expected")
    raw = session.execute(
        select(table.c.id, type_coerce(table.c.free_text, Text),
               type_coerce(table.c.pain_sites, JSON))
    ).all()
    count = 0
    for row_id, text, pain in raw:
        values: dict[str, Any] = {}
        if text is not None:
            values["free_text"] = literal(crypto.rotate(text), Text)
        if isinstance(pain, dict) and set(pain) == {"enc"}:
            values["pain_sites"] = literal({"enc": crypto.rotate(str(pain["enc"]))}, JSON)
        elif pain:
            values["pain_sites"] = literal({"enc": crypto.encrypt(json.dumps(pain))}, JSON)
        if values:
            session.execute(update(table).where(table.c.id == row_id).values(**values))
            count += 1
    return count
