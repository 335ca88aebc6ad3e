"""Vectors in FAISS. Exact inner product by default; any factory string for large corpora."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import Vectors


def _faiss() -> Any:
    import faiss  # lazy: keeps `import index` and `import api` cheap

    return faiss


class VectorStore:
    def __init__(self, index: Any) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: Vectors, factory: str = "Flat") -> VectorStore:
        faiss = _faiss()
        dim = vectors.shape[1]
        index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
        if not index.is_trained and len(vectors):
            index.train(vectors)
        if len(vectors):
            index.add(vectors)
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> VectorStore:
        return cls(_faiss().read_index(str(path)))

    def save(self, path: Path) -> None:
        _faiss().write_index(self._index, str(path))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    def search(
        self, query: Vectors, limit: int, allowed: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """(rowid, cosine) best first, optionally only among the allowed rowids."""
        if self.size == 0 or limit <= 0:
            return []
        faiss = _faiss()
        params = None
        if allowed is not None:
            if not allowed:
                return []
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = faiss.SearchParameters(sel=selector)
        limit = min(limit, self.size)
        scores, ids = self._index.search(query.reshape(1, -1), limit, params=params)
        # A zero vector (a footnote, keyword-only) scores exactly 0: never a vector match.
        return [
            (int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0 and s != 0
        ]
