"""API keys, stored hashed in SQLite so every worker process sees a revocation at once.

A key reads `hvn_<id>_<secret>`. Only its SHA-256 is stored: a key is 160 random bits, so a
slow password hash would add latency to every request and no security.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PREFIX = "hvn"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
)
"""


class KeyError_(Exception):
    """Base for key problems; the message is safe to show."""


class UnknownKeyError(KeyError_):
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
    parts = key.split("_")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1]


class KeyStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=10)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)

    def create(self, name: str) -> tuple[ApiKey, str]:
        """A new key: the record, and the secret, which is shown once and never stored."""
        key_id = secrets.token_hex(4)
        key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(20)}"
        record = ApiKey(key_id=key_id, name=name, created_at=_now(), revoked_at=None)
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO api_keys (key_id, name, digest, created_at) VALUES (?, ?, ?, ?)",
                (key_id, name, _digest(key), record.created_at),
            )
        return record, key

    def list(self) -> list[ApiKey]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key_id, name, created_at, revoked_at FROM api_keys ORDER BY created_at"
            ).fetchall()
        return [ApiKey(*row) for row in rows]

    def revoke(self, key_id: str) -> ApiKey:
        with self._lock, self._db:
            updated = self._db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (_now(), key_id),
            ).rowcount
            row = self._db.execute(
                "SELECT key_id, name, created_at, revoked_at FROM api_keys WHERE key_id = ?",
                (key_id,),
            ).fetchone()
        if row is None:
            raise UnknownKeyError(f"no API key with id {key_id!r}")
        del updated  # revoking twice is harmless: the first revocation time stays
        return ApiKey(*row)

    def check(self, key: str) -> tuple[ApiKey | None, bool]:
        """(record, matches): None when no such key; matches False when the secret is wrong."""
        key_id = parse_key_id(key)
        if key_id is None:
            return None, False
        with self._lock:
            row = self._db.execute(
                "SELECT key_id, name, created_at, revoked_at, digest FROM api_keys "
                "WHERE key_id = ?",
                (key_id,),
            ).fetchone()
        if row is None:
            return None, False
        return ApiKey(*row[:4]), hmac.compare_digest(row[4], _digest(key))

    def close(self) -> None:
        with self._lock:
            self._db.close()
