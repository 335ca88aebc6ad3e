"""Optional second-stage reranking of fused candidates by a cross-encoder.

No cross-encoder ships on the registries this project can reach, so none is on by default;
users who have one set HAVEN_RETRIEVAL__RERANKER_MODEL to its id or local path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from index.errors import EmbedderUnavailableError


class Reranker(Protocol):
    @property
    def name(self) -> str: ...

    def scores(self, query: str, passages: Sequence[str]) -> list[float]: ...


class CrossEncoderReranker:
    def __init__(self, model: str, max_length: int = 256) -> None:
        try:
            from sentence_transformers import CrossEncoder  # lazy: pulls in torch

            self._model: Any = CrossEncoder(model, device="cpu", max_length=max_length)
        except Exception as exc:  # any load failure means the same thing to the user
            raise EmbedderUnavailableError(f"Cannot load the reranker {model!r}: {exc}") from exc
        self._name = model

    @property
    def name(self) -> str:
        return f"cross-encoder:{self._name}"

    def scores(self, query: str, passages: Sequence[str]) -> list[float]:
        if not passages:
            return []
        raw = self._model.predict([(query, p) for p in passages], show_progress_bar=False)
        return [float(s) for s in raw]


class FakeReranker:
    """Scores by shared words: deterministic, for tests of the reranking step."""

    @property
    def name(self) -> str:
        return "fake"

    def scores(self, query: str, passages: Sequence[str]) -> list[float]:
        words = set(query.lower().split())
        return [float(len(words & set(p.lower().split()))) for p in passages]
