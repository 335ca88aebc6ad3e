"""The naive retrieval pipeline the product is measured against (the issue's yardstick).

Exactly what the issue describes, with nothing of the product's own retrieval: each handbook's
cleaned text cut into fixed windows of 200 words (no regard for sentences or sections), BM25
over them in SQLite FTS5 (every question word OR-ed, no stopword list, no lexicon), MiniLM
vectors with exact cosine search, and the two rankings fused by plain reciprocal rank fusion
(k = 60, equal weights). It answers `search()` like the product's retriever, so the same
evaluation harness scores both.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.embedder import Embedder, Vectors
from index.retriever import SearchHit, fuse
from ingest.catalog import load_catalog
from ingest.chunker import document_text
from ingest.pipeline import discover, outline_file
from ingest.records import Chunk

_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class NaiveConfig:
    window_words: int = 200
    rrf_k: int = 60
    candidates: int = 60


def windows(text: str, doc_id: str, size: int) -> list[Chunk]:
    """Consecutive, non-overlapping windows of `size` words; each keeps the text's own
    whitespace between its first and last word, so evidence matching sees the same text."""
    spans = [m.span() for m in _WORD.finditer(text)]
    out = []
    for ordinal, first in enumerate(range(0, len(spans), size)):
        start, end = spans[first][0], spans[min(first + size, len(spans)) - 1][1]
        piece = text[start:end]
        out.append(
            Chunk(
                chunk_id=f"{doc_id}:{ordinal}",
                doc_id=doc_id,
                ordinal=ordinal,
                section=(),
                page_start=None,
                page_end=None,
                char_start=start,
                char_end=end,
                text=piece,
            )
        )
    return out


def corpus_windows(corpus_dir: Path, catalog_file: Path, size: int) -> list[Chunk]:
    catalog = load_catalog(catalog_file)
    chunks: list[Chunk] = []
    for path in discover([corpus_dir]):
        info = catalog.info_for(path)
        text = document_text(outline_file(path, info)).text
        chunks.extend(windows(text, info.doc_id, size))
    return chunks


def bm25_query(question: str) -> str:
    """Every distinct word of the question, OR-ed: BM25's idf is the only filter."""
    words = dict.fromkeys(t.lower() for t in _TOKEN.findall(question))
    return " OR ".join(f'"{w}"' for w in words)


class NaiveRetriever:
    def __init__(
        self, chunks: list[Chunk], vectors: Vectors, embedder: Embedder, config: NaiveConfig
    ) -> None:
        self.chunks = chunks
        self.vectors = vectors
        self.embedder = embedder
        self.config = config
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE w USING fts5(text, tokenize='porter unicode61')")
        self._db.executemany(
            "INSERT INTO w(rowid, text) VALUES (?, ?)", [(i, c.text) for i, c in enumerate(chunks)]
        )

    def keyword(self, question: str, limit: int) -> list[int]:
        match = bm25_query(question)
        if not match:
            return []
        rows = self._db.execute(
            "SELECT rowid FROM w WHERE w MATCH ? ORDER BY bm25(w) LIMIT ?", (match, limit)
        ).fetchall()
        return [int(r[0]) for r in rows]

    def vector(self, question: str, limit: int) -> list[int]:
        qv = self.embedder.embed_queries([question])[0]
        scores = self.vectors @ qv
        return [int(i) for i in np.argsort(-scores, kind="stable")[:limit]]

    def search(
        self,
        query: str,
        k: int,
        doc_ids: Sequence[str] | None = None,
        mode: str = "hybrid",
        lang: str = "en",
        translations: Sequence[str] = (),
    ) -> list[SearchHit]:
        """Same signature as the product's retriever; `doc_ids`, `lang` and `translations`
        are ignored (the naive pipeline has no filters and no translation)."""
        limit = max(self.config.candidates, k)
        rankings: list[tuple[float, Sequence[int]]] = []
        if mode in ("hybrid", "keyword"):
            rankings.append((1.0, self.keyword(query, limit)))
        if mode in ("hybrid", "vector"):
            rankings.append((1.0, self.vector(query, limit)))
        fused = fuse(rankings, self.config.rrf_k)[:k]
        return [
            SearchHit(chunk=self.chunks[i], title=self.chunks[i].doc_id, score=s) for i, s in fused
        ]


def load_naive(
    corpus_dir: Path,
    catalog_file: Path,
    embedder: Embedder,
    cache_dir: Path,
    config: NaiveConfig | None = None,
) -> NaiveRetriever:
    """Windows from the corpus; their vectors embedded once and cached by content in
    `cache_dir` (about a thousand windows: a minute or two on a laptop CPU)."""
    config = config or NaiveConfig()
    chunks = corpus_windows(corpus_dir, catalog_file, config.window_words)
    digest = hashlib.sha256(embedder.name.encode())
    for c in chunks:
        digest.update(c.text.encode("utf-8") + b"\x1f")
    cached = cache_dir / f"naive-{digest.hexdigest()[:16]}.npy"
    if cached.exists():
        vectors = np.load(cached)
    else:
        vectors = embedder.embed_passages([c.text for c in chunks])
        cache_dir.mkdir(parents=True, exist_ok=True)
        np.save(cached, vectors)
    return NaiveRetriever(chunks, np.asarray(vectors, dtype=np.float32), embedder, config)
