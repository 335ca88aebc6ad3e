"""What every builder shares: the draft it returns and the context it builds in."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from quiz.constants import Kind
from quiz.phrasing import doc_name, heading, where
from quiz.pool import Candidate, Entry, StatementPool
from quiz.text import cap_first, one_line


@dataclass
class ItemDraft:
    kind: Kind
    basis: str
    question: str
    answer: str
    explanation: str
    source: Entry
    options: list[str] | None = None
    accept: list[str] = field(default_factory=list)
    distractors: list[Candidate] = field(default_factory=list)

    @property
    def quote(self) -> str:
        return self.source.statement.text


@dataclass
class BuildContext:
    pool: StatementPool
    rng: random.Random
    used_distractors: Counter[str] = field(default_factory=Counter)

    def name(self, entry: Entry) -> str:
        return doc_name(entry.statement.doc_id, entry.statement.title)

    def explain(self, entry: Entry, says: str) -> str:
        """ "The RSO guide for first responders (First encounter..., p. 4) says: “...”"."""
        chunk = entry.statement.chunk
        place = where(heading(chunk.section) or "", chunk.page_start, chunk.page_end)
        place = f" ({place})" if place else ""
        return f"{cap_first(self.name(entry))}{place} {says}: “{one_line(entry.statement.text)}”"

    def shuffled(self, answer: str, wrong: list[str]) -> list[str]:
        options = [answer, *wrong]
        self.rng.shuffle(options)
        return options
