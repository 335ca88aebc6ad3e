"""The shipped hypothetical questions on the real index (real model, FAISS, SQLite): questions
in the asker's own words and language reach the passage, and the documents say they are
enriched. The queries are written for these tests, not taken from any evaluation set."""

from __future__ import annotations

import dataclasses

import pytest

from index.config import load_retriever

pytestmark = pytest.mark.integration

# (question, language, a verbatim piece of the passage that answers it)
CASES = [
    (
        "ควรแยกคุยกับเด็กโดยไม่มีผู้ใหญ่ที่มาด้วยไหม",  # talk to the child apart from the adult?
        "th",
        "interviewed alone without the person who is accompanying them",
    ),
    (
        "Có nên nói chuyện riêng với em nhỏ, không có người lớn đi cùng không?",
        "vi",
        "interviewed alone without the person who is accompanying them",
    ),
    (
        "Я постоянно думаю о делах детей и не сплю: как справляться с выгоранием?",
        "ru",
        "vicarious trauma",
    ),
    ("I'm worn out and keep dreaming about the kids' cases", "en", "vicarious trauma"),
]
NO_QUESTIONS = {
    "question_keyword_weight": 0.0,
    "question_english_weight": 0.0,
    "question_vector_weight": 0.0,
}


def _rank(hits: list, evidence: str) -> int | None:
    for i, hit in enumerate(hits, start=1):
        if evidence.lower() in " ".join(hit.chunk.text.lower().split()):
            return i
    return None


@pytest.mark.parametrize(("question", "lang", "evidence"), CASES)
def test_questions_bring_the_answering_passage_up(
    full_settings, real_embedder, question: str, lang: str, evidence: str
) -> None:
    retriever = load_retriever(full_settings, real_embedder)
    try:
        with_questions = _rank(retriever.search(question, 10, lang=lang), evidence)
        retriever.config = dataclasses.replace(retriever.config, **NO_QUESTIONS)
        without = _rank(retriever.search(question, 10, lang=lang), evidence)
    finally:
        retriever.close()
    assert with_questions is not None and with_questions <= 5, (with_questions, without)
    assert without is None or with_questions <= without


def test_every_shipped_passage_is_enriched(full_settings, real_embedder) -> None:
    retriever = load_retriever(full_settings, real_embedder)
    try:
        enrichment = retriever.enrichment
        assert retriever.question_vectors is not None
        assert retriever.question_vectors.size >= 3 * 1900  # English questions embedded
    finally:
        retriever.close()
    assert set(enrichment) == {
        "asean-do-no-harm",
        "iom-ilo-migration-leaflet",
        "nexus-practitioner-guide",
        "osce-nrm-handbook",
        "rso-first-responders",
    }
    assert all(done == total > 0 for done, total in enrichment.values())
