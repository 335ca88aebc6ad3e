"""The embedder a server uses for questions: remembered vectors, and concurrent ones batched.

Wraps any embedder. Passages go straight through (ingest, uploads). Queries are looked up in
an LRU cache keyed by (model, text) — a repeated question, or the same English rendering of
two questions, is embedded once — and the misses go through the micro-batcher
(index/query_batcher.py), so questions from concurrent requests share one model call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from index.embedder import Embedder
from index.query_batcher import QueryBatcher
from index.vectors import Vectors


class QueryEmbedder:
    def __init__(
        self,
        inner: Embedder,
        cache_size: int = 2048,
        max_batch: int = 32,
        max_wait: float = 0.0,
    ) -> None:
        """`cache_size` 0 remembers nothing; `max_batch` below 2 embeds each call alone."""
        self.inner = inner
        self._cache: OrderedDict[tuple[str, str], Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.batcher = (
            QueryBatcher(inner.embed_queries, max_batch, max_wait) if max_batch > 1 else None
        )

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                cached = self._cache.get((self.name, text))
                if cached is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end((self.name, text))
                    out[i] = cached
        if missing:
            fresh = self._embed(list(missing))
            with self._lock:
                for text, row in zip(missing, fresh, strict=True):
                    for i in missing[text]:
                        out[i] = row
                    self._remember(text, row)
        return out

    def _embed(self, texts: list[str]) -> Vectors:
        if self.batcher is None:
            return self.inner.embed_queries(texts)
        return self.batcher.embed(texts)

    def _remember(self, text: str, row: Vectors) -> None:
        if self._cache_size <= 0:
            return
        self._cache[(self.name, text)] = row.copy()
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def close(self) -> None:
        if self.batcher is not None:
            self.batcher.close()
