"""API keys, stored hashed in SQLite so every worker process sees a revocation at once.

A key reads `hvn_<id>_<secret>`: the id is hex, the secret URL-safe base64 (which may itself
contain `_`). Only the key's SHA-256 is stored: a key is 160 random bits, so a slow password
hash would add latency to every request and no security.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import string
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PREFIX = "hvn"
MAX_NAME_CHARS = 100
_ID_BYTES = 4
_SECRET_BYTES = 20
_HEX = frozenset(string.hexdigits.lower())

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
)
"""
_COLUMNS = "key_id, name, created_at, revoked_at"


class KeyStoreError(Exception):
    """Base for key problems; the message is safe to show."""


class UnknownKeyError(KeyStoreError):
    pass


class InvalidKeyNameError(KeyStoreError):
    pass


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    name: str
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: the key's id and name (never the key itself)."""

    key_id: str
    name: str


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse_key_id(key: str) -> str | None:
    """The id part of a well-formed key, without checking the key; None when malformed."""
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")  # the secret may contain "_" itself
    if prefix != PREFIX or len(key_id) != 2 * _ID_BYTES or not secret:
        return None
    return key_id if set(key_id) <= _HEX else None


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME_CHARS:
        raise InvalidKeyNameError(f"a key's name is 1 to {MAX_NAME_CHARS} characters")
    return cleaned


def _private(path: Path) -> None:
    # Digests are not secrets, but key names and revocation times are nobody else's business.
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            os.chmod(file, 0o600)


class KeyStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=10)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
        _private(path)

    def create(self, name: str) -> tuple[ApiKey, str]:
        """A new key: the record, and the key itself, which is shown once and never stored."""
        name = _clean_name(name)
        with self._lock, self._db:
            while True:
                key_id = secrets.token_hex(_ID_BYTES)
                taken = self._db.execute(
                    "SELECT 1 FROM api_keys WHERE key_id = ?", (key_id,)
                ).fetchone()
                if not taken:
                    break
            key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(_SECRET_BYTES)}"
            record = ApiKey(key_id=key_id, name=name, created_at=_now(), revoked_at=None)
            self._db.execute(
                "INSERT INTO api_keys (key_id, name, digest, created_at) VALUES (?, ?, ?, ?)",
                (key_id, name, _digest(key), record.created_at),
            )
        return record, key

    def list(self) -> list[ApiKey]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM api_keys ORDER BY rowid").fetchall()
        return [ApiKey(*row) for row in rows]

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key; revoking it again is harmless (the first revocation time stays)."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (_now(), key_id),
            )
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM api_keys WHERE key_id = ?", (key_id,)
            ).fetchone()
        if row is None:
            raise UnknownKeyError(f"no API key with id {key_id!r}")
        return ApiKey(*row)

    def check(self, key: str) -> tuple[ApiKey | None, bool]:
        """(record, matches): None when no such key; matches False when the secret is wrong."""
        key_id = parse_key_id(key)
        if key_id is None:
            return None, False
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS}, digest FROM api_keys WHERE key_id = ?", (key_id,)
            ).fetchone()
        if row is None:
            return None, False
        return ApiKey(*row[:4]), hmac.compare_digest(row[4], _digest(key))

    def close(self) -> None:
        with self._lock:
            self._db.close()
