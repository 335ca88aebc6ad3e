"""Resolving a follow-up ("and if the child is with a parent?") against the conversation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from answer.terms import content_stems

_OPENERS = re.compile(
    r"^\s*(and|but|or|also|so|then|what about|how about|what if|and if|if so|in that case|"
    r"same|that|this|those|these|y|et|и|dan|và|และ)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_ANAPHORA = re.compile(
    r"\b(it|they|them|their|this|that|these|those|she|he|her|him|his|there|such|the same)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


def is_follow_up(question: str) -> bool:
    words = question.split()
    if _OPENERS.match(question):
        return True
    if len(words) <= 12 and _ANAPHORA.search(question):
        return True
    # Too few topic words to stand alone — unless it names something (an acronym like NRM).
    return len(content_stems(question)) < 3 and not _ACRONYM.search(question)


def resolve(question: str, history: list[Turn]) -> str:
    """The question to retrieve with: a follow-up carries the last question it builds on."""
    earlier = [t.content.strip() for t in history if t.role == "user" and t.content.strip()]
    if not earlier or not is_follow_up(question):
        return question
    return f"{earlier[-1]} {question}"
