"""The naive baseline (eval/baseline.py) and the fixed half split (eval/split.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from eval.answers import summarise
from eval.baseline import NaiveConfig, NaiveRetriever, bm25_query, windows
from eval.questions import Question, load_questions
from eval.retrieval import evaluate_questions
from eval.split import half_of
from index.fake_embedder import FakeEmbedder

DATA = Path(__file__).resolve().parents[2] / "eval" / "data"


def test_windows_are_fixed_word_counts_over_the_text_as_written() -> None:
    words = [f"w{i}" for i in range(450)]
    text = " ".join(words[:100]) + "\n" + " ".join(words[100:])
    chunks = windows(text, "doc", 200)
    assert [len(c.text.split()) for c in chunks] == [200, 200, 50]
    assert all(text[c.char_start : c.char_end] == c.text for c in chunks)
    assert "\n" in chunks[0].text  # the text's own line break, not re-joined words
    assert chunks[1].text.startswith("w200") and chunks[2].text.endswith("w449")


def test_bm25_query_keeps_every_word_once() -> None:
    assert bm25_query("What is the NRM, and what is it for?") == (
        '"what" OR "is" OR "the" OR "nrm" OR "and" OR "it" OR "for"'
    )
    assert bm25_query("?!") == ""


def _naive(texts: list[str]) -> NaiveRetriever:
    chunks = [c for i, t in enumerate(texts) for c in windows(t, f"d{i}", 200)]
    embedder = FakeEmbedder()
    vectors = embedder.embed_passages([c.text for c in chunks])
    return NaiveRetriever(chunks, vectors, embedder, NaiveConfig())


def test_naive_retriever_fuses_keyword_and_vector_rankings() -> None:
    naive = _naive(
        [
            "Shelter staff should never take away a victim's phone.",
            "A guardian is appointed for every unaccompanied child.",
            "Interpreters must be trained and independent of the family.",
        ]
    )
    assert naive.search("guardian for a child", 1, mode="keyword")[0].chunk.doc_id == "d1"
    assert naive.search("guardian for a child", 1, mode="vector")[0].chunk.doc_id == "d1"
    hybrid = naive.search("guardian for a child", 3)
    assert hybrid[0].chunk.doc_id == "d1" and len(hybrid) == 3
    assert isinstance(naive.vectors, np.ndarray)


def test_naive_retriever_is_scored_by_the_same_harness() -> None:
    naive = _naive(["Provide water, food and shelter at once.", "Unrelated text on funding."])
    question = Question("x1", "What should I provide first?", "en", "list", ("water, food and",))
    report = evaluate_questions(naive, [question], "tiny", k=1, modes=("hybrid",))
    assert report["overall_strict"]["hybrid"]["hit@1"] == 1.0
    assert report["halves_strict"][half_of("x1")]["n"] == 1


def test_half_split_is_fixed_and_balanced() -> None:
    assert half_of("q001") == "A" and half_of("q002") == "B"  # never changes
    answerable = [q for q in load_questions(DATA / "questions.jsonl") if q.answerable]
    in_a = sum(half_of(q.id) == "A" for q in answerable)
    assert 0.35 * len(answerable) <= in_a <= 0.65 * len(answerable)


def test_answer_summary_reports_each_half() -> None:
    rows = [
        {
            "id": "q001",
            "answerable": True,
            "answered": True,
            "supported": True,
            "covered": [True, False],
            "on_point": [True, True, False, False],
        },
        {
            "id": "q002",
            "answerable": True,
            "answered": True,
            "supported": False,
            "covered": [False],
            "on_point": [False, False],
        },
    ]
    report = summarise(rows, [], 0.0)
    assert report["answered_with_evidence_by_half"] == {"A": 1.0, "B": 0.0}
    assert report["point_coverage"] == 0.25  # (1/2 + 0/1) / 2
    assert report["on_point"] == round(2 / 6, 3)
    assert report["statements_per_answer"] == 3.0
