"""The handbook vocabulary in retrieval, on the real index: a question in a language no
translation backend covers still finds the English passages its words point to."""

from __future__ import annotations

import dataclasses

import pytest

from index.config import load_retriever

pytestmark = pytest.mark.integration

# "May we hold child victims in a police station?" — no backend translates Russian here.
QUESTION = "Можно ли задерживать пострадавших детей в полицейском участке?"


def _mentions(hits: list, word: str) -> int:
    return sum(word in h.chunk.text.lower() for h in hits)


def test_vocabulary_ranking_brings_up_the_passages_its_words_name(
    full_settings, real_embedder
) -> None:
    retriever = load_retriever(full_settings, real_embedder)
    try:
        with_vocabulary = retriever.search(QUESTION, 5, lang="ru")
        retriever.config = dataclasses.replace(
            retriever.config, vocabulary_weight=0.0, vocabulary_vector_weight=0.0
        )
        without = retriever.search(QUESTION, 5, lang="ru")
    finally:
        retriever.close()
    assert _mentions(with_vocabulary, "detention") >= 3
    assert _mentions(with_vocabulary, "detention") > _mentions(without, "detention")
