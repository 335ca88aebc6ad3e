"""What every export writes the same way: where an item's answer comes from."""

from __future__ import annotations

from quiz.phrasing import where
from quiz.schemas import QuizItem
from quiz.text import one_line


def source_line(item: QuizItem) -> str:
    """ "Title — Section › Sub, p. 4"."""
    c = item.citation
    place = where(c.section, c.page_start, c.page_end)
    return f"{c.title} — {place}" if place else c.title


def feedback(item: QuizItem) -> str:
    """The explanation, then the source and its verbatim quote (unless the explanation
    already quotes it)."""
    quote = one_line(item.citation.quote)
    text = f"{one_line(item.explanation)} Source: {source_line(item)}."
    return text if quote in text else f"{text} Quote: “{quote}”"


def short_answers(item: QuizItem) -> list[str]:
    """A fill-in-the-blank item's accepted answers as Moodle must store them: in a short
    answer, * is a wildcard unless escaped (whichever format brought the question in)."""
    return [a.replace("*", "\\*") for a in dict.fromkeys([item.answer, *item.accept])]


def kind_label(kind: str) -> str:
    return {
        "mcq": "Multiple choice",
        "true_false": "True or false",
        "fill_blank": "Fill in the blank",
        "scenario": "Scenario",
    }[kind]
