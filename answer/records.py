"""What an answer is made of: points, each backed by exact quotes from retrieved passages, and
the numbered citations of the finished answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from answer.answerability import Verdict
from index.retriever import SearchHit
from translation.languages import SOURCE_LANG


@dataclass(frozen=True)
class Quote:
    hit_index: int  # position of the passage in the retrieved list
    start: int  # offsets of the quote inside the passage text
    end: int
    text: str


@dataclass
class Point:
    text: str
    quotes: list[Quote]
    score: float = 0.0


@dataclass
class AnswerDraft:
    """An answer before numbering: a lead line and points, or a refusal with pointers."""

    answered: bool
    lead: str
    points: list[Point] = field(default_factory=list)
    # A lead that is a handbook sentence (the direct answer or first step), cited like a point.
    lead_point: Point | None = None
    notes: list[str] = field(default_factory=list)
    pointers: list[SearchHit] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Citation:
    n: int
    hit: SearchHit
    quote: str  # always the handbook's own words
    translation: str | None = None  # the quote in the answer's language, when translated


@dataclass
class Answer:
    question: str
    resolved_question: str
    answer: str
    answered: bool
    citations: list[Citation]
    passages: list[SearchHit]
    notes: list[str]
    lead: str = ""
    points: list[str] = field(default_factory=list)  # each point's text with its [n] marks
    verdict: Verdict | None = None
    lang: str = SOURCE_LANG  # the language asked for (explicit, else detected)
    detected_lang: str = SOURCE_LANG  # what detection said the question is in
    answer_lang: str = SOURCE_LANG  # the language the answer is actually in
    point_parts: list[tuple[str, str]] = field(default_factory=list)  # (text, [n] marks)
    pointer_note: str = ""  # for a refusal: where the nearest sections are
    # The lead when it is a handbook sentence (the direct answer or first step): (text, marks).
    lead_parts: tuple[str, str] | None = None
    question_kind: str = "general"  # answer.question_kind.QuestionKind's value


def compose_body(lead: str, pointer_note: str, lines: list[str]) -> str:
    """The answer text: the lead, the pointers of a refusal, then one line per point."""
    body = lead + (" " + pointer_note if pointer_note else "")
    if lines:
        body += "\n\n" + "\n".join(f"- {line}" for line in lines)
    return body
