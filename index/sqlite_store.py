"""Documents and chunks in SQLite, with an FTS5 table for keyword (BM25) search.

A chunk's rowid is also its position in the FAISS index, so one integer joins the two stores.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.embedder import Vectors
from ingest.records import Chunk, DocumentInfo

SCHEMA = """
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    publisher TEXT NOT NULL DEFAULT '',
    year TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    file TEXT NOT NULL,
    pages TEXT NOT NULL DEFAULT 'none',
    sha256 TEXT NOT NULL,
    chunk_count INTEGER NOT NULL DEFAULT 0,
    aliases TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE chunks (
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id),
    ordinal INTEGER NOT NULL,
    section TEXT NOT NULL,
    page_start INTEGER,
    page_end INTEGER,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX chunks_doc ON chunks(doc_id, ordinal);
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, section, content='chunks', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TABLE questions (
    rowid INTEGER PRIMARY KEY,
    chunk_rowid INTEGER NOT NULL REFERENCES chunks(rowid),
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    vector BLOB  -- NULL when the question's language gets no vector
);
CREATE INDEX questions_chunk ON questions(chunk_rowid);
CREATE VIRTUAL TABLE questions_fts USING fts5(
    text, content='questions', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2'
);
-- Thai is written without spaces between words: character trigrams stand in for words.
CREATE VIRTUAL TABLE questions_trigram USING fts5(
    text, content='questions', content_rowid='rowid', tokenize='trigram'
);
"""

# (chunk rowid, language, question, vector or None): one hypothetical question of a passage.
QuestionRow = tuple[int, str, str, bytes | None]

_CHUNK_COLUMNS = (
    "rowid, chunk_id, doc_id, ordinal, section, page_start, page_end, "
    "char_start, char_end, lang, kind, text"
)


@dataclass(frozen=True)
class StoredDocument:
    info: DocumentInfo
    sha256: str
    chunk_count: int


def _row_to_chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"],
        doc_id=row["doc_id"],
        ordinal=row["ordinal"],
        section=tuple(json.loads(row["section"])),
        page_start=row["page_start"],
        page_end=row["page_end"],
        char_start=row["char_start"],
        char_end=row["char_end"],
        lang=row["lang"],
        kind=row["kind"],
        text=row["text"],
    )


class ChunkWriter:
    """Writes a new build's database; used only by the index builder."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path)
        self._conn.executescript(SCHEMA)
        self._next_rowid = 0

    def add_document(self, info: DocumentInfo, sha256: str, chunk_count: int) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                info.doc_id,
                info.title,
                info.publisher,
                info.year,
                info.language,
                info.file,
                info.pages,
                sha256,
                chunk_count,
                json.dumps(list(info.aliases), ensure_ascii=False),
            ),
        )

    @property
    def next_rowid(self) -> int:
        return self._next_rowid

    def add_chunks(self, chunks: Sequence[Chunk], vectors: Vectors) -> int:
        """Returns the rowid of the first chunk added; the rest follow in order."""
        first = self._next_rowid
        rows = []
        for chunk, vector in zip(chunks, vectors, strict=True):
            rows.append(
                (
                    self._next_rowid,
                    chunk.chunk_id,
                    chunk.doc_id,
                    chunk.ordinal,
                    json.dumps(list(chunk.section), ensure_ascii=False),
                    chunk.page_start,
                    chunk.page_end,
                    chunk.char_start,
                    chunk.char_end,
                    chunk.lang,
                    chunk.kind,
                    chunk.text,
                    np.asarray(vector, dtype=np.float32).tobytes(),
                )
            )
            self._next_rowid += 1
        self._conn.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        return first

    def add_questions(self, rows: Sequence[QuestionRow]) -> None:
        self._conn.executemany(
            "INSERT INTO questions (chunk_rowid, lang, text, vector) VALUES (?,?,?,?)", rows
        )

    def question_vectors(self, dim: int) -> tuple[Vectors, list[int]]:
        """The questions that have vectors, in rowid order, and their question rowids."""
        rows = self._conn.execute(
            "SELECT rowid, vector FROM questions WHERE vector IS NOT NULL ORDER BY rowid"
        ).fetchall()
        if not rows:
            return np.zeros((0, dim), dtype=np.float32), []
        blob = b"".join(r[1] for r in rows)
        return np.frombuffer(blob, dtype=np.float32).reshape(-1, dim), [r[0] for r in rows]

    def vectors(self, dim: int) -> Vectors:
        """All vectors in rowid order, for building the FAISS index."""
        blobs = self._conn.execute("SELECT vector FROM chunks ORDER BY rowid").fetchall()
        if not blobs:
            return np.zeros((0, dim), dtype=np.float32)
        return np.frombuffer(b"".join(b[0] for b in blobs), dtype=np.float32).reshape(-1, dim)

    def close(self) -> None:
        for table in ("chunks_fts", "questions_fts", "questions_trigram"):
            self._conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        self._conn.commit()
        self._conn.execute("VACUUM")
        self._conn.close()


class ChunkStore:
    """Read-only access to a build's database, one connection per thread."""

    def __init__(self, path: Path) -> None:
        self._uri = f"file:{path}?mode=ro"
        self._local = threading.local()
        # Read once on first use; the build is read-only, so they never go stale.
        self._spans: dict[str, tuple[int, int]] | None = None
        self._passages: np.ndarray | None = None
        self._conn()  # fail early if the file cannot be opened

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def documents(self) -> list[StoredDocument]:
        rows = self._conn().execute("SELECT * FROM documents ORDER BY doc_id").fetchall()
        return [
            StoredDocument(
                info=DocumentInfo(
                    doc_id=r["doc_id"],
                    title=r["title"],
                    file=r["file"],
                    publisher=r["publisher"],
                    year=r["year"],
                    language=r["language"],
                    pages=r["pages"],
                    aliases=tuple(json.loads(r["aliases"])),
                ),
                sha256=r["sha256"],
                chunk_count=r["chunk_count"],
            )
            for r in rows
        ]

    def chunks_by_rowid(self, rowids: Sequence[int]) -> dict[int, Chunk]:
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self._conn().execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE rowid IN ({marks})", list(rowids)
        )
        return {r["rowid"]: _row_to_chunk(r) for r in rows}

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._conn().execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})", list(chunk_ids)
        )
        return {r["chunk_id"]: _row_to_chunk(r) for r in rows}

    def questions_of(self, chunk_ids: Sequence[str], lang: str) -> dict[str, list[str]]:
        """The hypothetical questions in `lang` of each passage that has some."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._conn().execute(
            "SELECT c.chunk_id, q.text FROM questions q JOIN chunks c ON c.rowid = q.chunk_rowid"
            f" WHERE q.lang = ? AND c.chunk_id IN ({marks}) ORDER BY q.rowid",
            [lang, *chunk_ids],
        )
        found: dict[str, list[str]] = {}
        for chunk_id, text in rows:
            found.setdefault(chunk_id, []).append(text)
        return found

    def neighbours(self, chunk: Chunk, before: int = 1, after: int = 1) -> list[Chunk]:
        rows = self._conn().execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE doc_id = ? AND ordinal BETWEEN ? AND ? "
            "ORDER BY ordinal",
            (chunk.doc_id, chunk.ordinal - before, chunk.ordinal + after),
        )
        return [_row_to_chunk(r) for r in rows]

    def rowids_for_documents(self, doc_ids: Iterable[str]) -> list[int]:
        ids = list(doc_ids)
        marks = ",".join("?" * len(ids))
        rows = (
            self._conn()
            .execute(f"SELECT rowid FROM chunks WHERE doc_id IN ({marks})", ids)
            .fetchall()
        )
        return [r[0] for r in rows]

    def keyword_search(
        self, match: str, limit: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[int, float]]:
        """(rowid, bm25) best first; bm25 from FTS5 is lower-is-better, so it is negated."""
        sql = "SELECT chunks_fts.rowid, bm25(chunks_fts, 1.0, 0.4) AS score FROM chunks_fts"
        params: list[object] = [match]
        if doc_ids:
            # The join only when filtering: without one the search takes half the time.
            sql += (
                " JOIN chunks ON chunks.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ?"
                f" AND chunks.doc_id IN ({','.join('?' * len(doc_ids))})"
            )
            params.extend(doc_ids)
        else:
            sql += " WHERE chunks_fts MATCH ?"
        sql += " ORDER BY score LIMIT ?"
        params.append(limit)
        try:
            rows = self._conn().execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []  # a query FTS5 cannot parse finds nothing by keyword; vectors still answer
        return [(r[0], -float(r[1])) for r in rows]

    def question_search(
        self,
        match: str,
        langs: Sequence[str],
        limit: int,
        doc_ids: Sequence[str] | None = None,
        trigram: bool = False,
    ) -> list[tuple[int, float]]:
        """Passages ranked by their best-matching hypothetical question in the given
        languages: (chunk rowid, bm25) best first. `trigram` searches the trigram table
        (Thai); otherwise the word table."""
        table = "questions_trigram" if trigram else "questions_fts"
        span = self._question_spans().get(langs[0]) if len(langs) == 1 else None
        if span is not None and not doc_ids:
            return self._question_range_search(table, match, span, limit)
        sql = (
            f"SELECT q.chunk_rowid, bm25({table}) AS score FROM {table} "
            f"JOIN questions q ON q.rowid = {table}.rowid "
            f"WHERE {table} MATCH ? AND q.lang IN ({','.join('?' * len(langs))})"
        )
        params: list[object] = [match, *langs]
        if doc_ids:
            sql += (
                " AND q.chunk_rowid IN (SELECT rowid FROM chunks "
                f"WHERE doc_id IN ({','.join('?' * len(doc_ids))}))"
            )
            params.extend(doc_ids)
        # Several questions of one passage may match: fetch more rows than passages wanted.
        sql += " ORDER BY score LIMIT ?"
        params.append(limit * 4)
        try:
            rows = self._conn().execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []
        best: dict[int, float] = {}
        for rowid, score in rows:
            best.setdefault(rowid, -float(score))
        return list(best.items())[:limit]

    def _question_range_search(
        self, table: str, match: str, span: tuple[int, int], limit: int
    ) -> list[tuple[int, float]]:
        """question_search within one language's rowids: FTS5 skips the other languages' rows
        itself, and no join is needed (each question's passage is looked up in memory)."""
        sql = (
            f"SELECT rowid, bm25({table}) AS score FROM {table} "
            f"WHERE {table} MATCH ? AND rowid BETWEEN ? AND ? ORDER BY score LIMIT ?"
        )
        try:
            rows = self._conn().execute(sql, (match, span[0], span[1], limit * 4)).fetchall()
        except sqlite3.OperationalError:
            return []
        passage = self._question_passages()
        best: dict[int, float] = {}
        for rowid, score in rows:
            best.setdefault(int(passage[rowid]), -float(score))
        return list(best.items())[:limit]

    def _question_spans(self) -> dict[str, tuple[int, int]]:
        """Each language's (first, last) question rowid, where its questions are contiguous
        (builds since the questions were grouped by language; older builds have none)."""
        if self._spans is None:
            rows = self._conn().execute(
                "SELECT lang, MIN(rowid), MAX(rowid), COUNT(*) FROM questions GROUP BY lang"
            )
            # As many rows as rowids in the span: no other language's question lies inside.
            self._spans = {r[0]: (r[1], r[2]) for r in rows if r[2] - r[1] + 1 == r[3]}
        return self._spans

    def _question_passages(self) -> np.ndarray:
        """Question rowid -> passage rowid, for every question (about 0.3 MB)."""
        if self._passages is None:
            rows = self._conn().execute("SELECT rowid, chunk_rowid FROM questions").fetchall()
            table = np.full(max((r[0] for r in rows), default=0) + 1, -1, dtype=np.int64)
            for rowid, chunk_rowid in rows:
                table[rowid] = chunk_rowid
            self._passages = table
        return self._passages

    def question_chunks(self) -> tuple[list[int], list[str]]:
        """For the questions that have vectors, in vector order: their passage rowids and
        languages."""
        rows = (
            self._conn()
            .execute(
                "SELECT chunk_rowid, lang FROM questions WHERE vector IS NOT NULL ORDER BY rowid"
            )
            .fetchall()
        )
        return [r[0] for r in rows], [r[1] for r in rows]

    def question_vectors_of(self, doc_id: str) -> dict[tuple[str, str], bytes]:
        """A document's embedded questions, (language, text) -> vector: what a rebuild can
        reuse instead of embedding again."""
        rows = self._conn().execute(
            "SELECT q.lang, q.text, q.vector FROM questions q JOIN chunks c "
            "ON c.rowid = q.chunk_rowid WHERE c.doc_id = ? AND q.vector IS NOT NULL",
            (doc_id,),
        )
        return {(r[0], r[1]): r[2] for r in rows}

    def enrichment_counts(self) -> dict[str, tuple[int, int]]:
        """Per document: (passages with hypothetical questions, content passages)."""
        rows = (
            self._conn()
            .execute(
                "SELECT c.doc_id, COUNT(DISTINCT q.chunk_rowid), "
                "(SELECT COUNT(*) FROM chunks b WHERE b.doc_id = c.doc_id AND b.kind = 'body') "
                "FROM chunks c LEFT JOIN questions q ON q.chunk_rowid = c.rowid "
                "GROUP BY c.doc_id"
            )
            .fetchall()
        )
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    def all_texts(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT text FROM chunks WHERE kind = 'body'")]

    def chunk_count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def body_chunk_ids(self, doc_id: str) -> list[str]:
        rows = self._conn().execute(
            "SELECT chunk_id FROM chunks WHERE doc_id = ? AND kind = 'body' ORDER BY ordinal",
            (doc_id,),
        )
        return [r[0] for r in rows]

    def iter_chunks(self, doc_id: str) -> Iterator[tuple[Chunk, bytes]]:
        rows = self._conn().execute(
            f"SELECT {_CHUNK_COLUMNS}, vector FROM chunks WHERE doc_id = ? ORDER BY ordinal",
            (doc_id,),
        )
        for r in rows:
            yield _row_to_chunk(r), r["vector"]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
