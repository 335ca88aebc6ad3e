"""Answer metrics: grounded answers, refusals of what the handbooks don't cover, false refusals.

- answered_with_evidence: share of answerable questions answered (answered=true) with at least
  one citation whose quote supports the expected evidence: after normalisation the quote
  contains an evidence string, or the two share a run of at least 6 consecutive words (or the
  whole evidence string when it is shorter) — a quote may be one sentence of a two-sentence
  evidence line, or the evidence a line of a longer quoted sentence.
- refused_unanswerable: share of unanswerable questions with answered=false.
- wrongly_refused: share of answerable questions with answered=false.
- point_coverage: over answerable questions (a refusal covers none), the mean share of
  expert answer points the answer covers;
- on_point: the share of answers' statements (lead and bullets) on a question's point
  (eval/points.py says how both read words).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from answer.records import Answer
from answer.service import AskService
from eval.points import covered_points, on_point
from eval.questions import Question, load_questions
from eval.split import HALVES, half_of
from ingest.matching import normalize_for_match

MIN_SHARED_WORDS = 6


def _shares_run(a: list[str], b: list[str], run: int) -> bool:
    if len(b) < run or len(a) < run:
        return False
    grams = {tuple(a[i : i + run]) for i in range(len(a) - run + 1)}
    return any(tuple(b[i : i + run]) in grams for i in range(len(b) - run + 1))


def quote_supports(quote: str, evidence: Sequence[str]) -> bool:
    q = normalize_for_match(quote)
    q_words = q.split()
    for raw in evidence:
        e = normalize_for_match(raw)
        if not e:
            continue
        if e in q:
            return True
        e_words = e.split()
        if _shares_run(q_words, e_words, min(MIN_SHARED_WORDS, len(e_words))):
            return True
    return False


def run_answer_eval(service: AskService, question_file: Path) -> dict[str, Any]:
    questions = load_questions(question_file)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for q in questions:
        answer = service.ask(q.question)
        supported = any(quote_supports(c.quote, q.pooled_evidence) for c in answer.citations)
        said = statements(answer)
        rows.append(
            {
                "covered": covered_points(q.answer_points, said)
                if answer.answered
                else [False] * len(q.answer_points),
                "on_point": [
                    on_point(s, q.answer_points, quote_supports(s, q.pooled_evidence)) for s in said
                ]
                if answer.answered
                else [],
                "id": q.id,
                "lang": q.lang,
                "answerable": q.answerable,
                "answered": answer.answered,
                "supported": supported,
                "reasons": list(answer.verdict.reasons) if answer.verdict else [],
            }
        )
    return summarise(rows, questions, time.perf_counter() - started)


def statements(answer: Answer) -> list[str]:
    """What the answer says: its lead when that is a handbook sentence, and its points."""
    said = [text for text, _ in answer.point_parts]
    if answer.lead_parts is not None:
        said.insert(0, answer.lead_parts[0])
    return said


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def summarise(
    rows: list[dict[str, Any]], questions: list[Question], seconds: float
) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]

    def share(items: list[dict[str, Any]], test: Any) -> float:
        return round(sum(1 for r in items if test(r)) / len(items), 3) if items else 0.0

    return {
        "questions": len(questions),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "seconds": round(seconds, 1),
        "answered_with_evidence": share(answerable, lambda r: r["answered"] and r["supported"]),
        "answered_with_evidence_by_half": {
            h: share(
                [r for r in answerable if half_of(r["id"]) == h],
                lambda r: r["answered"] and r["supported"],
            )
            for h in HALVES
        },
        "point_coverage": _mean(
            [sum(r["covered"]) / len(r["covered"]) for r in answerable if r["covered"]]
        ),
        "on_point": _mean([float(x) for r in answerable for x in r["on_point"]]),
        "statements_per_answer": _mean(
            [float(len(r["on_point"])) for r in answerable if r["answered"]]
        ),
        "refused_unanswerable": share(unanswerable, lambda r: not r["answered"]),
        "wrongly_refused": share(answerable, lambda r: not r["answered"]),
        "unsupported_ids": [r["id"] for r in answerable if r["answered"] and not r["supported"]],
        "wrongly_refused_ids": [r["id"] for r in answerable if not r["answered"]],
        "wrongly_answered_ids": [r["id"] for r in unanswerable if r["answered"]],
    }


def format_answer_report(report: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"answers: {report['answerable']} answerable, {report['unanswerable']} unanswerable "
            f"questions, {report['seconds']}s",
            f"  answered with a citation supporting the evidence: "
            f"{report['answered_with_evidence']:.3f}  (target >= 0.85)",
            "    by half: "
            + ", ".join(
                f"{h} {v:.3f}" for h, v in report["answered_with_evidence_by_half"].items()
            ),
            f"  expert answer points covered:                     "
            f"{report['point_coverage']:.3f}  (target >= 0.70)",
            f"  statements on the question's point:               "
            f"{report['on_point']:.3f}  (target >= 0.75), "
            f"{report['statements_per_answer']:.1f} statements per answer",
            f"  unanswerable questions refused:                   "
            f"{report['refused_unanswerable']:.3f}  (target >= 0.90)",
            f"  answerable questions wrongly refused:             "
            f"{report['wrongly_refused']:.3f}  (target <= 0.05)",
            f"  unsupported: {', '.join(report['unsupported_ids']) or '-'}",
            f"  wrongly refused: {', '.join(report['wrongly_refused_ids']) or '-'}",
            f"  wrongly answered: {', '.join(report['wrongly_answered_ids']) or '-'}",
        ]
    )
