"""What an answer is made of: points, each backed by exact quotes from retrieved passages."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.retriever import SearchHit


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
class Draft:
    """An answer before numbering: a lead line and points, or a refusal with pointers."""

    answered: bool
    lead: str
    points: list[Point] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pointers: list[SearchHit] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
