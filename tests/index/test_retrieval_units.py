"""Fusion and keyword query building."""

from __future__ import annotations

from index.keywords import fts_query, terms
from index.retriever import fuse


def test_fusion_rewards_agreement() -> None:
    fused = fuse([(1.0, [1, 2, 3]), (1.0, [3, 4, 1])], rrf_k=60)
    assert [rowid for rowid, _ in fused][:2] == [1, 3]
    assert {rowid for rowid, _ in fused} == {1, 2, 3, 4}


def test_fusion_weights() -> None:
    fused = fuse([(0.0, [1]), (1.0, [2])], rrf_k=60)
    assert fused[0][0] == 2


def test_terms_drop_stopwords_keep_acronyms() -> None:
    assert terms("What is the NRM and who runs it?") == ["nrm", "runs"]
    assert terms("child's best interests (BIC)") == ["child", "best", "interests", "bic"]


def test_fts_query_quotes_terms_and_survives_syntax() -> None:
    assert fts_query('NEAR("abc" def) AND * OR') == '"near" OR "abc" OR "def"'
    assert fts_query("the and of") == ""
    assert fts_query("shelter AND beds") == '"shelter" OR "beds"'
