"""The real cross-encoder loading code. No trained cross-encoder is available offline here, so
the test loads the bundled MiniLM weights as a cross-encoder (its classification head is new and
untrained: the scores are meaningless, but loading and scoring run for real)."""

from __future__ import annotations

import pytest

from index.errors import EmbedderUnavailableError
from index.reranker import CrossEncoderReranker
from index.sentence_embedder import bundled_model_path

pytestmark = pytest.mark.integration


def test_cross_encoder_loads_and_scores_offline() -> None:
    reranker = CrossEncoderReranker(str(bundled_model_path()))
    scores = reranker.scores("child victim", ["a child victim of trafficking", "tax law"])
    assert len(scores) == 2
    assert all(isinstance(s, float) for s in scores)
    assert reranker.scores("q", []) == []


def test_missing_reranker_model_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(EmbedderUnavailableError, match="reranker"):
        CrossEncoderReranker(str(tmp_path / "no-such-model"))
