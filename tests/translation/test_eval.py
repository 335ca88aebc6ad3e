"""The multilingual evaluation harness: English originals join the set; the table prints."""

from __future__ import annotations

from eval.multilingual import format_multilingual, with_sources
from eval.questions import DATA_DIR, load_questions


def test_multilingual_set_gains_its_english_originals() -> None:
    questions = load_questions(DATA_DIR / "questions-multilingual.jsonl")
    langs = {q.lang for q in questions}
    assert {"es", "fr", "ru", "id", "vi", "th"} <= langs
    combined = with_sources(questions)
    english = [q for q in combined if q.lang == "en"]
    assert len(english) == len({q.extra["source_id"] for q in questions})
    assert {q.id for q in english} == {q.extra["source_id"] for q in questions}


def test_table_has_a_row_per_embedder_and_ingredient() -> None:
    report = {
        "k": 5,
        "embedders": {
            "e5:x": {
                "plain": {
                    "en": {"n": 2, "hit@5": 1.0, "mrr": 0.75},
                    "th": {"n": 2, "hit@5": 0.5, "mrr": 0.25},
                },
                "all": {"en": {"n": 2, "hit@5": 1.0, "mrr": 0.75}},
            }
        },
    }
    text = format_multilingual(report)
    assert "hit@5 / MRR" in text
    assert "1.00/0.75" in text and "0.50/0.25" in text
    assert text.splitlines()[1].split()[2:] == ["en", "th"]


def test_each_ablation_switches_its_ingredient_fully_off() -> None:
    from eval.multilingual import VARIANTS
    from index.retriever import RetrievalConfig

    fields = set(RetrievalConfig.__dataclass_fields__)
    vocabulary = {f for f in fields if f.startswith("vocabulary")}
    lexicon = {"foreign_expansion_weight", "gloss_weight"}
    plain, _ = VARIANTS["plain"]
    assert vocabulary | lexicon <= set(plain) and not any(plain.values())
    assert vocabulary <= set(VARIANTS["+lexicon"][0])
    assert lexicon <= set(VARIANTS["+vocabulary"][0])
    assert VARIANTS["all"] == ({}, True)
