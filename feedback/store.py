"""Practitioners' ratings of answers, kept in a small SQLite file beside the index.

The question text is kept only when the practitioner ticks "include my question"; nothing here
is ever logged, because comments and questions may name victims.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.settings import Settings

FEEDBACK_FILE = "feedback.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    comment TEXT,
    answer TEXT,
    citations TEXT NOT NULL DEFAULT '[]',
    question TEXT
);
"""


@dataclass(frozen=True)
class FeedbackRecord:
    id: str
    created_at: str
    helpful: bool
    comment: str | None
    answer: str | None
    citations: list[str]
    question: str | None


class FeedbackStore:
    """One connection shared by all threads, serialised by a lock; opened on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)
            conn.commit()
            self._conn = conn
        return self._conn

    def add(
        self,
        helpful: bool,
        comment: str | None = None,
        answer: str | None = None,
        citations: Sequence[str] = (),
        question: str | None = None,
    ) -> str:
        """Store one rating and return its id. Pass `question` only when the user opted in."""
        feedback_id = uuid.uuid4().hex
        created = datetime.now(UTC).isoformat(timespec="seconds")
        row = (
            feedback_id,
            created,
            int(helpful),
            comment or None,
            answer or None,
            json.dumps(list(citations), ensure_ascii=False),
            question or None,
        )
        with self._lock:
            conn = self._connect()
            conn.execute("INSERT INTO feedback VALUES (?,?,?,?,?,?,?)", row)
            conn.commit()
        return feedback_id

    def all(self) -> list[FeedbackRecord]:
        """Every rating, oldest first (for maintainers and tests; no route exposes this)."""
        with self._lock:
            rows = (
                self._connect()
                .execute(
                    "SELECT id, created_at, helpful, comment, answer, citations, question "
                    "FROM feedback ORDER BY created_at, rowid"
                )
                .fetchall()
            )
        return [
            FeedbackRecord(r[0], r[1], bool(r[2]), r[3], r[4], json.loads(r[5]), r[6]) for r in rows
        ]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def feedback_path(settings: Settings) -> Path:
    """Where the feedback database of these settings lives: beside the index, in the data folder."""
    return settings.data_dir / FEEDBACK_FILE
