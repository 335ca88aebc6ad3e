"""Cross-lingual retrieval: hit@5 and MRR per language, per embedder, per ingredient.

The multilingual set holds translations of English questions (`source_id`); their English
originals are evaluated alongside as the `en` row, so every language is compared with the
same questions asked in English. Ingredients (each measured by switching it off or on):
- plain: the question's own keyword and vector rankings only (over the passages' text);
- no-questions: everything but the passages' hypothetical questions (the index before them);
- en-questions: the hypothetical questions in English only (none in the asker's language);
- questions: plain + the hypothetical questions in the asker's language and English;
- +lexicon: the domain lexicon's English terms and its rough gloss of the question;
- +vocabulary: the word-by-word English rendering (lexicon phrases + handbook vocabulary);
- +translation: the question machine-translated into English (where a backend covers it);
- no-translation: everything but the machine translation (what a language without a
  translation backend gets);
- all: everything (what /api/ask does).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from eval.questions import DATA_DIR, Question, load_questions
from eval.retrieval import Translate, evaluate_questions
from index.retriever import HybridRetriever, RetrievalConfig

_NO_LEXICON = {"foreign_expansion_weight": 0.0, "gloss_weight": 0.0}
_NO_VOCABULARY = {"vocabulary_weight": 0.0, "vocabulary_vector_weight": 0.0}
_NO_QUESTIONS = {
    "question_keyword_weight": 0.0,
    "question_english_weight": 0.0,
    "question_vector_weight": 0.0,
}
VARIANTS: dict[str, tuple[dict[str, float], bool]] = {
    "plain": ({**_NO_LEXICON, **_NO_VOCABULARY, **_NO_QUESTIONS}, False),
    "no-questions": (_NO_QUESTIONS, True),
    "en-questions": ({"question_keyword_weight": 0.0}, True),
    "questions": ({**_NO_LEXICON, **_NO_VOCABULARY}, False),
    "+lexicon": ({**_NO_VOCABULARY, **_NO_QUESTIONS}, False),
    "+vocabulary": ({**_NO_LEXICON, **_NO_QUESTIONS}, False),
    "+translation": ({**_NO_LEXICON, **_NO_VOCABULARY, **_NO_QUESTIONS}, True),
    "no-translation": ({}, False),
    "all": ({}, True),
}


def with_sources(questions: Sequence[Question]) -> list[Question]:
    """The questions plus the English originals they translate (from the English sets in
    eval/data: questions.jsonl, heldout-questions.jsonl; ids are unique across sets)."""
    sources = {q.extra.get("source_id") for q in questions} - {None}
    own = {q.id for q in questions}
    english: dict[str, Question] = {}
    if sources:
        for path in sorted(DATA_DIR.glob("*questions.jsonl")):
            for q in load_questions(path):
                if q.id in sources and q.id not in own and q.lang == "en":
                    english.setdefault(q.id, q)
    return [*english.values(), *questions]


def run_multilingual_eval(
    retrievers: dict[str, HybridRetriever],
    questions: Sequence[Question],
    k: int = 5,
    translate: Translate | None = None,
    variants: Sequence[str] = ("all",),
) -> dict[str, Any]:
    """{embedder: {variant: {lang: {"n", "hit@k", "mrr"}}}} for the hybrid mode."""
    rows: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for name, retriever in retrievers.items():
        base = retriever.config
        rows[name] = {}
        try:
            for variant in variants:
                changes, translated = VARIANTS[variant]
                retriever.config = _changed(base, changes)
                report = evaluate_questions(
                    retriever,
                    questions,
                    "multilingual",
                    k,
                    ("hybrid",),
                    translate if translated else None,
                )
                rows[name][variant] = {
                    group.split("=", 1)[1]: {
                        "n": per["n"],
                        f"hit@{k}": per["hybrid"][f"hit@{k}"],
                        "mrr": per["hybrid"]["mrr"],
                    }
                    for group, per in report["groups"].items()
                    if group.startswith("lang=")
                }
        finally:
            retriever.config = base
    return {"k": k, "embedders": rows}


def _changed(config: RetrievalConfig, changes: dict[str, float]) -> RetrievalConfig:
    changed: RetrievalConfig = dataclasses.replace(config, **changes)  # type: ignore[arg-type]
    return changed


def format_multilingual(report: dict[str, Any]) -> str:
    k = report["k"]
    langs = sorted(
        {lang for per in report["embedders"].values() for v in per.values() for lang in v},
        key=lambda lang: (lang != "en", lang),
    )
    width = max([8, *(len(name) for name in report["embedders"])])
    head = f"{'embedder':{width}} {'ingredients':13} " + " ".join(f"{lang:>11}" for lang in langs)
    lines = [f"hybrid hit@{k} / MRR by language (en = the same questions in English)", head]
    for name, per in report["embedders"].items():
        for variant, by_lang in per.items():
            cells = []
            for lang in langs:
                m = by_lang.get(lang)
                cells.append(f"{m[f'hit@{k}']:.2f}/{m['mrr']:.2f}" if m else "-")
            lines.append(f"{name:{width}} {variant:13} " + " ".join(f"{c:>11}" for c in cells))
    return "\n".join(lines)
