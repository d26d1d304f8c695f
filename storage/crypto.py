"""Encryption at rest for the most sensitive free-form fields (free text, pain details).

When ENCRYPTION_KEY is configured (one or more Fernet keys, comma-separated, newest first),
values of `EncryptedText` / `EncryptedJSON` columns are stored as ``enc:v1:<token>``; without a
key they are stored as they are. Reading accepts both, so a key can be introduced on a live
database. Rotation: put the new key first and the old ones after it, then run
``coachloop db rotate-key``, which re-encrypts every value with the new key (Fernet's
MultiFernet.rotate); then drop the old key.

Why a module-level keyring: column types are built once at import, before settings are read;
`configure` is called once at start-up by the application shell.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import JSON, Text
from sqlalchemy.types import TypeDecorator

PREFIX = "enc:v1:"
_keyring: MultiFernet | None = None


class DecryptionError(RuntimeError):
    """A stored value is encrypted with a key that is not configured."""


def configure(keys: str | None) -> None:
    """Set the keys (comma-separated Fernet keys, newest first); None or "" disables."""
    global _keyring
    if not keys:
        _keyring = None
        return
    try:
        _keyring = MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    except ValueError as exc:
        raise ValueError(
            "ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated; "
            "make one with `coachloop db new-key`"
        ) from exc


def new_key() -> str:
    """A fresh Fernet key."""
    return Fernet.generate_key().decode()


def enabled() -> bool:
    """True when values are being encrypted."""
    return _keyring is not None


def encrypt(text: str) -> str:
    """Encrypt with the newest key (identity without keys)."""
    if _keyring is None:
        return text
    return PREFIX + _keyring.encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(value: str) -> str:
    """Decrypt an ``enc:v1:`` value with any configured key; plain values pass through."""
    if not value.startswith(PREFIX):
        return value
    if _keyring is None:
        raise DecryptionError("an encrypted value was read but no ENCRYPTION_KEY is configured")
    try:
        return _keyring.decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("an encrypted value does not match any configured key") from exc


def rotate(value: str) -> str:
    """Re-encrypt a stored value with the newest key (plain values get encrypted)."""
    if _keyring is None:
        raise DecryptionError("no ENCRYPTION_KEY configured")
    if not value.startswith(PREFIX):
        return encrypt(value)
    token = _keyring.rotate(value[len(PREFIX):].encode("ascii"))
    return PREFIX + token.decode("ascii")


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest when a key is configured."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """JSON encrypted at rest when a key is configured (stored as ``{"enc": token}``)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None or _keyring is None:
            return value
        return {"enc": encrypt(json.dumps(value))}

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"enc"}:
            return json.loads(decrypt(str(value["enc"])))
        return value
