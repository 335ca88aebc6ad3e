"""Do-no-harm reminders, themselves quoted from the handbooks, for sensitive questions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from answer.terms import TermStats, content_stems
from answer.units import split_units
from index.retriever import HybridRetriever, SearchHit

STANDING_LINE = (
    "Guidance drawn from the handbooks, not legal advice: follow your national law and "
    "procedures, and ask a specialist when in doubt."
)


@dataclass(frozen=True)
class Topic:
    name: str
    label: str
    trigger: re.Pattern[str]
    query: str  # the retrieval that finds the reminder in the handbooks
    key: str  # the words the quoted sentence should carry


TOPICS = (
    Topic(
        "child",
        "Best interests of the child",
        re.compile(
            r"\b(child|children|minor|minors|girl|boy|teen\w*|adolescent\w*|underage|juvenile|"
            r"kid|kids|baby|infant|(1[0-7]|[1-9])[- ]year[- ]old)\b",
            re.IGNORECASE,
        ),
        "action taken on behalf of child trafficking victims must reflect the best interests "
        "of the child refer to child services social welfare agency",
        "best interests child",
    ),
    Topic(
        "interview",
        "Interviewing without harm",
        re.compile(r"\b(interview\w*|question(ing)?|statement|testimony|testify)\b", re.I),
        "must not do anything that could harm the child shouting forcing them to speak interview",
        "not harm forcing speak",
    ),
    Topic(
        "detention",
        "No detention of victims",
        re.compile(
            r"\b(detain\w*|detention|arrest\w*|jail|prison|custody|lock(ed)? up|cell)\b", re.I
        ),
        "child victims should not be detained or feel as if they have been detained",
        "not be detained",
    ),
    Topic(
        "deportation",
        "Non-punishment and safe return",
        re.compile(
            r"\b(deport\w*|expel\w*|remov(e|al)|repatriat\w*|send (them|her|him) back)\b", re.I
        ),
        "non-punishment principle victims should not be detained charged or prosecuted for "
        "irregular entry or residence",
        "non-punishment prosecuted",
    ),
    Topic(
        "consent",
        "Consent of a child is irrelevant",
        re.compile(r"\b(consent\w*|agreed|willing\w*|voluntar\w*|chose|choice)\b", re.I),
        "it does not matter whether illegal means have been used or if the child has consented",
        "consent child",
    ),
)


@dataclass(frozen=True)
class Reminder:
    topic: Topic
    hit: SearchHit
    start: int
    end: int

    @property
    def quote(self) -> str:
        return self.hit.chunk.text[self.start : self.end]


def topics_for(question: str) -> list[Topic]:
    return [t for t in TOPICS if t.trigger.search(question)]


def find_reminders(retriever: HybridRetriever, stats: TermStats) -> dict[str, Reminder]:
    """Look each reminder up once, at start-up: the handbooks do not change while serving."""
    found: dict[str, Reminder] = {}
    for topic in TOPICS:
        key = set(content_stems(topic.key))
        best: tuple[float, SearchHit, int, int] | None = None
        for hit in retriever.search(topic.query, 5):
            for unit in split_units(hit.chunk.text):
                stems = set(content_stems(unit.text))
                score = sum(stats.idf(t) for t in key & stems) - 0.01 * len(unit.text.split())
                if key <= stems and (best is None or score > best[0]):
                    best = (score, hit, unit.start, unit.end)
        if best is not None:
            found[topic.name] = Reminder(topic, best[1], best[2], best[3])
    return found
