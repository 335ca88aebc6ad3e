"""Checks on an item's shape, run on every drafted item and on every trainer's edit."""

from __future__ import annotations

from index.keywords import STOPWORDS
from quiz.constants import BLANK, FALSE, MAX_OPTIONS, TRUE
from quiz.schemas import QuizItem
from quiz.support import check_support
from quiz.text import jaccard, key

DISTINCT = 0.8  # stem overlap above which two options of a drafted item read as the same


def shape_problems(item: QuizItem) -> list[str]:
    """What makes the item unusable in any quiz tool, whoever wrote it."""
    problems = []
    if not item.question.strip():
        problems.append("the question is empty")
    if not item.answer.strip():
        problems.append("the answer is empty")
    if item.kind in ("mcq", "scenario"):
        options = item.options or []
        if not 2 <= len(options) <= MAX_OPTIONS:
            problems.append(f"a {item.kind} item needs 2 to {MAX_OPTIONS} options")
        if any(not o.strip() for o in options):
            problems.append("an option is empty")
        if options.count(item.answer) != 1:
            problems.append("the answer must be exactly one of the options")
        keys = [key(o) for o in options]
        if len(set(keys)) != len(keys):
            problems.append("two options are the same")
    elif item.options:
        problems.append(f"a {item.kind} item has no options")
    if item.kind == "true_false" and item.answer not in (TRUE, FALSE):
        problems.append(f"a true_false answer is {TRUE!r} or {FALSE!r}")
    if item.kind == "fill_blank":
        if item.question.count(BLANK) != 1:
            problems.append(f"a fill_blank question has exactly one blank ({BLANK})")
        if item.answer.strip().lower() in STOPWORDS:
            problems.append("the missing word is a stopword")
    return problems


def draft_problems(item: QuizItem, passage_text: str) -> list[str]:
    """Shape, support by the quote, and options that differ in substance, not only in form."""
    problems = shape_problems(item)
    options = item.options or []
    for i, a in enumerate(options):
        for b in options[i + 1 :]:
            if jaccard(a, b) >= DISTINCT:
                problems.append(f"two options say nearly the same: {a!r} / {b!r}")
    if item.kind == "fill_blank" and key(item.answer) in key(item.question.replace(BLANK, " ")):
        problems.append("the question gives the missing term away")
    problems.extend(check_support(item, passage_text).reasons)
    return problems
