"""The evaluation harness's own arithmetic and matching rules."""

from __future__ import annotations

from pathlib import Path

from eval.answers import quote_supports
from eval.questions import load_questions
from eval.retrieval import _metrics, first_hit_rank

DATA = Path(__file__).resolve().parents[2] / "eval" / "data"


def test_first_hit_rank_normalises_case_and_whitespace() -> None:
    texts = ["nothing here", "Provide  WATER,\nfood and shelter."]
    assert first_hit_rank(texts, ["provide water, food"]) == 2
    assert first_hit_rank(texts, ["absent"]) is None


def test_metrics() -> None:
    m = _metrics([1, 3, None, 6], k=5)
    assert m["hit@1"] == 0.25 and m["hit@3"] == 0.5 and m["hit@5"] == 0.5
    assert m["mrr"] == round((1 + 1 / 3) / 4, 3)


def test_quote_support_rules() -> None:
    evidence = ["them with a card for referral services. They can keep it discreetly"]
    assert quote_supports(
        "If victims do not wish to talk, provide them with a card for referral services.",
        evidence,
    )
    assert not quote_supports("Provide a card.", evidence)
    assert quote_supports("… and rest, if necessary.", ["rest, if necessary."])


def test_question_sets_are_well_formed() -> None:
    english = load_questions(DATA / "questions.jsonl")
    assert len(english) >= 90
    assert len({q.id for q in english}) == len(english)
    assert sum(not q.answerable for q in english) >= 15
    assert all(q.evidence for q in english if q.answerable)
    docs = {d for q in english for d in q.docs}
    assert len(docs) == 5
    multilingual = load_questions(DATA / "questions-multilingual.jsonl")
    assert {q.lang for q in multilingual} >= {"es", "fr", "ru", "id", "vi", "th"}
