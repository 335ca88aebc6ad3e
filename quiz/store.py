"""Saved quizzes in SQLite (<data_dir>/quizzes.sqlite), so a trainer can come back to one,
edit it and export it. One short-lived connection per call: no lifespan to manage."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quiz.constants import QUIZ_FILE
from quiz.schemas import QuizItem, QuizOut, QuizSummary

SCHEMA = """
CREATE TABLE IF NOT EXISTS quizzes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quiz_items (
    quiz_id TEXT NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (quiz_id, item_id)
);
CREATE INDEX IF NOT EXISTS quiz_items_order ON quiz_items(quiz_id, position);
"""
_META_FIELDS = (
    "topic",
    "doc_ids",
    "sections",
    "kinds",
    "n",
    "lang",
    "requested_lang",
    "seed",
    "generator",
    "notes",
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_quiz_id() -> str:
    return uuid.uuid4().hex


class QuizStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            if not self._ready:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(SCHEMA)
                self._ready = True
            with conn:  # one transaction, committed on success
                yield conn
        finally:
            conn.close()

    def save(self, quiz: QuizOut) -> None:
        meta = {f: getattr(quiz, f) for f in _META_FIELDS}
        with self._conn() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO quizzes VALUES (?,?,?,?,?)",
                (quiz.quiz_id, quiz.title, quiz.created_at, quiz.updated_at, json.dumps(meta)),
            )
            conn.execute("DELETE FROM quiz_items WHERE quiz_id = ?", (quiz.quiz_id,))
            conn.executemany(
                "INSERT INTO quiz_items VALUES (?,?,?,?)",
                [
                    (quiz.quiz_id, item.id, i, item.model_dump_json())
                    for i, item in enumerate(quiz.items)
                ],
            )

    def get(self, quiz_id: str) -> QuizOut | None:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT id, title, created_at, updated_at, meta FROM quizzes WHERE id = ?",
                (quiz_id,),
            ).fetchone()
            if row is None:
                return None
            items = conn.execute(
                "SELECT data FROM quiz_items WHERE quiz_id = ? ORDER BY position", (quiz_id,)
            ).fetchall()
        meta: dict[str, Any] = json.loads(row[4])
        return QuizOut(
            quiz_id=row[0],
            title=row[1],
            created_at=row[2],
            updated_at=row[3],
            items=[QuizItem.model_validate_json(r[0]) for r in items],
            **meta,
        )

    def list(self) -> list[QuizSummary]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT q.id, q.title, q.created_at, q.updated_at, q.meta, "
                "(SELECT COUNT(*) FROM quiz_items i WHERE i.quiz_id = q.id) "
                "FROM quizzes q ORDER BY q.updated_at DESC, q.rowid DESC"
            ).fetchall()
        out = []
        for r in rows:
            meta = json.loads(r[4])
            out.append(
                QuizSummary(
                    quiz_id=r[0],
                    title=r[1],
                    topic=meta.get("topic"),
                    lang=meta.get("lang", "en"),
                    created_at=r[2],
                    updated_at=r[3],
                    item_count=r[5],
                )
            )
        return out

    def replace_items(self, quiz_id: str, title: str, items: Sequence[QuizItem]) -> bool:
        with self._conn() as conn:
            found = conn.execute(
                "UPDATE quizzes SET title = ?, updated_at = ? WHERE id = ?",
                (title, now(), quiz_id),
            ).rowcount
            if not found:
                return False
            conn.execute("DELETE FROM quiz_items WHERE quiz_id = ?", (quiz_id,))
            conn.executemany(
                "INSERT INTO quiz_items VALUES (?,?,?,?)",
                [(quiz_id, item.id, i, item.model_dump_json()) for i, item in enumerate(items)],
            )
        return True

    def update_item(self, quiz_id: str, item: QuizItem) -> bool:
        with self._conn() as conn:
            changed = conn.execute(
                "UPDATE quiz_items SET data = ? WHERE quiz_id = ? AND item_id = ?",
                (item.model_dump_json(), quiz_id, item.id),
            ).rowcount
            if changed:
                conn.execute("UPDATE quizzes SET updated_at = ? WHERE id = ?", (now(), quiz_id))
        return bool(changed)

    def delete_item(self, quiz_id: str, item_id: str) -> bool:
        with self._conn() as conn:
            deleted = conn.execute(
                "DELETE FROM quiz_items WHERE quiz_id = ? AND item_id = ?", (quiz_id, item_id)
            ).rowcount
            if deleted:
                conn.execute("UPDATE quizzes SET updated_at = ? WHERE id = ?", (now(), quiz_id))
        return bool(deleted)

    def delete(self, quiz_id: str) -> bool:
        with self._conn() as conn:
            return bool(conn.execute("DELETE FROM quizzes WHERE id = ?", (quiz_id,)).rowcount)


def store_for(data_dir: Path) -> QuizStore:
    """The store of a data folder (its database is created on first use)."""
    return QuizStore((data_dir / QUIZ_FILE).resolve())
