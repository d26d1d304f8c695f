"""Database maintenance: re-encrypting sensitive fields after a key rotation."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Column, Table, Text, and_, literal, select, type_coerce, update
from sqlalchemy.orm import Session

from storage import crypto
from storage.schema import Base


def encrypted_columns() -> dict[str, list[Column[Any]]]:
    """Every `EncryptedText` / `EncryptedJSON` column, by table name.

    Found by walking the schema, as erasure and export do, so a column made encrypted later is
    rotated without anyone remembering to add it here.
    """
    found: dict[str, list[Column[Any]]] = {}
    for table in Base.metadata.sorted_tables:
        cols = [c for c in table.columns
                if isinstance(c.type, crypto.EncryptedText | crypto.EncryptedJSON)]
        if cols:
            found[table.name] = cols
    return found


def _rotated(column: Column[Any], raw: Any) -> Any | None:
    """The raw value under the newest key, or None when there is nothing to rewrite."""
    if raw is None:
        return None
    if isinstance(column.type, crypto.EncryptedText):
        return literal(crypto.rotate(str(raw)), Text)
    if isinstance(raw, dict) and set(raw) == {"enc"}:
        return literal({"enc": crypto.rotate(str(raw["enc"]))}, JSON)
    # stored before encryption was switched on: encrypt it now
    return literal({"enc": crypto.encrypt(json.dumps(raw))}, JSON)


def rotate_encryption(session: Session) -> int:
    """Re-encrypt every encrypted column of every row with the newest key.

    Covers check-ins' free text and pain sites, conversation state (a half-finished check-in),
    prescribed sessions' inputs, explanations and the inbox's raw updates. Works on the stored
    (raw) values, bypassing the columns' own encryption, so rows still under an old key, and
    rows stored before encryption was switched on, all end up under the newest key. Returns
    the number of rows rewritten.
    """
    if not crypto.enabled():
        raise ValueError("set ENCRYPTION_KEY (newest key first) before rotating")
    count = 0
    for name, columns in encrypted_columns().items():
        table = Base.metadata.tables[name]
        if not isinstance(table, Table):
            raise TypeError(f"{name}: table expected")
        keys = list(table.primary_key.columns)
        raw_cols = [type_coerce(c, Text if isinstance(c.type, crypto.EncryptedText) else JSON)
                    for c in columns]
        for row in session.execute(select(*keys, *raw_cols)).all():
            key_values, raw_values = row[: len(keys)], row[len(keys):]
            values = {}
            for column, raw in zip(columns, raw_values, strict=True):
                new = _rotated(column, raw)
                if new is not None:
                    values[column.name] = new
            if values:
                where = and_(*(k == v for k, v in zip(keys, key_values, strict=True)))
                session.execute(update(table).where(where).values(**values))
                count += 1
    return count
