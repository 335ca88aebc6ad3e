"""What a question is after, read once per answer: its kind, the stems of what it asks apart
from the situation it tells, and which passages' hypothetical questions match it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from answer.noise import asks_for_voices
from answer.question_kind import QuestionKind, question_kind, split_situation
from answer.terms import TermStats, content_stems

# A passage's hypothetical question "matches" when it holds this share of the question's
# weight (idf-weighted, both ways averaged); only the passage's best questions count.
HINT_MIN = 0.3
HINT_NEAR_BEST = 0.8


@dataclass(frozen=True)
class Focus:
    kind: QuestionKind
    ask: frozenset[str]  # content stems of the asking clause
    situation: frozenset[str]  # stems only the situation told before it has
    voices: bool  # the question asks for testimonies or cases
    hints: dict[str, frozenset[str]] = field(default_factory=dict)  # chunk id → stems


def focus_of(
    question: str, stats: TermStats, passage_questions: Mapping[str, list[str]] | None = None
) -> Focus:
    situation, ask = split_situation(question)
    ask_stems = frozenset(content_stems(ask))
    asked = frozenset(content_stems(question))
    hints = {
        chunk_id: stems
        for chunk_id, qs in (passage_questions or {}).items()
        if (stems := _matching_question_stems(asked, qs, stats))
    }
    return Focus(
        kind=question_kind(question),
        ask=ask_stems,
        situation=frozenset(content_stems(situation)) - ask_stems,
        voices=asks_for_voices(question),
        hints=hints,
    )


def _weighted_overlap(a: frozenset[str], b: frozenset[str], stats: TermStats) -> float:
    def weight(terms: frozenset[str]) -> float:
        return sum(stats.idf(t) for t in terms)

    if not a or not b:
        return 0.0
    shared = weight(a & b)
    return (shared / weight(a) + shared / weight(b)) / 2


def _matching_question_stems(
    asked: frozenset[str], questions: list[str], stats: TermStats
) -> frozenset[str]:
    scored = [(_weighted_overlap(asked, s, stats), s) for s in map(_stems, questions)]
    best = max((score for score, _ in scored), default=0.0)
    if best < HINT_MIN:
        return frozenset()
    near = [s for score, s in scored if score >= best * HINT_NEAR_BEST]
    return frozenset().union(*near)


def _stems(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))
