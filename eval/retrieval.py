"""Retrieval metrics: hit@1/3/5 and MRR per search mode, matching evidence in returned passages.

A question "hits" at rank r when the r-th passage contains one of its evidence strings after
both sides are normalised (case, whitespace, and the cleaning ingestion applies). Figures are
given with the pooled evidence (original plus `alt_evidence` from review) and with the
original evidence only; per-group rows use the pooled evidence.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from eval.questions import DATA_DIR, Question, load_questions
from eval.split import HALVES, half_of
from index.retriever import SearchHit
from ingest.matching import normalize_for_match

MODES = ("keyword", "vector", "hybrid")
CUTOFFS = (1, 3, 5)


def default_question_file() -> Path:
    own = DATA_DIR / "questions.jsonl"
    return own if own.exists() else DATA_DIR / "dev-questions.jsonl"


def first_hit_rank(texts: Sequence[str], evidence: Sequence[str]) -> int | None:
    needles = [normalize_for_match(e) for e in evidence if e.strip()]
    for rank, text in enumerate(texts, 1):
        hay = normalize_for_match(text)
        if any(n in hay for n in needles):
            return rank
    return None


def _metrics(ranks: list[int | None], k: int) -> dict[str, float]:
    n = len(ranks) or 1
    out = {f"hit@{c}": sum(1 for r in ranks if r is not None and r <= c) / n for c in CUTOFFS}
    out[f"hit@{k}"] = sum(1 for r in ranks if r is not None and r <= k) / n
    out["mrr"] = sum(1.0 / r for r in ranks if r is not None and r <= k) / n
    return {key: round(value, 3) for key, value in out.items()}


Translate = Callable[[str, str], str | None]  # (question, its language) → English, or None


class Searcher(Protocol):
    """The product's HybridRetriever, or the naive baseline (eval/baseline.py)."""

    def search(
        self,
        query: str,
        k: int,
        doc_ids: Sequence[str] | None = None,
        mode: str = "hybrid",
        lang: str = "en",
        translations: Sequence[str] = (),
    ) -> list[SearchHit]: ...


def run_retrieval_eval(
    retriever: Searcher,
    question_file: Path,
    k: int = 5,
    modes: Sequence[str] = MODES,
    translate: Translate | None = None,
) -> dict[str, Any]:
    """Each question is searched in its own language (`lang`), with its English translation
    when `translate` gives one, as /api/ask does."""
    questions = load_questions(question_file)
    return evaluate_questions(retriever, questions, question_file.name, k, modes, translate)


def evaluate_questions(
    retriever: Searcher,
    questions: Sequence[Question],
    name: str,
    k: int = 5,
    modes: Sequence[str] = MODES,
    translate: Translate | None = None,
) -> dict[str, Any]:
    questions = [q for q in questions if q.answerable and q.evidence]
    ranks: dict[str, list[int | None]] = {m: [] for m in modes}
    strict: dict[str, list[int | None]] = {m: [] for m in modes}
    by_group: dict[str, dict[str, list[int | None]]] = defaultdict(lambda: defaultdict(list))
    by_half: dict[str, dict[str, list[int | None]]] = {h: defaultdict(list) for h in HALVES}
    misses: list[str] = []
    started = time.perf_counter()
    for q in questions:
        translated = translate(q.question, q.lang) if translate and q.lang != "en" else None
        extra = [translated] if translated else []
        for mode in modes:
            hits = retriever.search(q.question, k, mode=mode, lang=q.lang, translations=extra)
            texts = [h.chunk.text for h in hits]
            rank = first_hit_rank(texts, q.pooled_evidence)
            ranks[mode].append(rank)
            strict[mode].append(first_hit_rank(texts, q.evidence))
            by_half[half_of(q.id)][mode].append(strict[mode][-1])
            by_group[f"lang={q.lang}"][mode].append(rank)
            for doc in q.docs[:1]:
                by_group[f"doc={doc}"][mode].append(rank)
            if mode == "hybrid" and rank is None:
                misses.append(q.id)
    return {
        "question_file": name,
        "questions": len(questions),
        "k": k,
        "seconds": round(time.perf_counter() - started, 1),
        "overall": {m: _metrics(ranks[m], k) for m in modes},
        "overall_strict": {m: _metrics(strict[m], k) for m in modes},
        "halves_strict": {
            h: {"n": len(per.get(modes[0], [])), **{m: _metrics(per[m], k) for m in per}}
            for h, per in by_half.items()
        },
        "groups": {
            g: {"n": len(next(iter(per.values()))), **{m: _metrics(per[m], k) for m in per}}
            for g, per in sorted(by_group.items())
        },
        "hybrid_misses": misses,
    }


def format_report(report: dict[str, Any]) -> str:
    k = report["k"]
    lines = [
        f"{report['question_file']}: {report['questions']} answerable questions, "
        f"top {k}, {report['seconds']}s",
        f"{'':34} {'mode':8} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR':>6}",
    ]

    def row(label: str, mode: str, m: dict[str, float]) -> str:
        return (
            f"{label:34} {mode:8} {m['hit@1']:6.3f} {m['hit@3']:6.3f} "
            f"{m['hit@5']:6.3f} {m['mrr']:6.3f}"
        )

    for mode, m in report["overall"].items():
        lines.append(row("ALL (pooled evidence)", mode, m))
    for mode, m in report["overall_strict"].items():
        lines.append(row("ALL (original evidence only)", mode, m))
    for half, per in report.get("halves_strict", {}).items():
        if "hybrid" in per:
            lines.append(
                row(f"half {half} (n={per['n']}, original evidence)", "hybrid", per["hybrid"])
            )
    for group, per in report["groups"].items():
        for mode in report["overall"]:
            if mode in per:
                lines.append(row(f"{group[:26]} (n={per['n']})", mode, per[mode]))
    if report["hybrid_misses"]:
        lines.append("hybrid misses: " + ", ".join(report["hybrid_misses"]))
    return "\n".join(lines)
